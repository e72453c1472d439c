"""Browser journeys: Playwright (sync API) driving Debian's headless Chromium.

Every test here gets the `e2e` marker: run them alone with `pytest -m e2e`, or skip
them with `pytest -m "not e2e"`.

The browser is the system one (/usr/bin/chromium): `playwright install` cannot
download browsers on these machines, so it must never be called.
"""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
    # A synthetic camera (a test pattern) and microphone (a beep): pages that use them
    # still need the permission, granted per test with context.grant_permissions().
    "--use-fake-device-for-media-stream",
]
VIEWPORT = {"width": 1280, "height": 800}
ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"
SERIOUS_IMPACTS = ("serious", "critical")

E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/e2e with `e2e`."""
    for item in items:
        if E2E_DIR in item.path.resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so the `page` fixture can see a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """Headless Chromium, launched once for all the tests of tests/e2e.

    Package scope rather than session scope: while Playwright runs, its event loop
    counts as running in the test thread, and any later test of the session that
    calls asyncio.run() or async_to_sync() would fail ("You cannot use AsyncToSync in
    the same thread as an async event loop"). pytest-django runs all the live-server
    tests together, so this package is one block: one launch, stopped right after.
    """
    # While the loop runs, Django keeps this thread's database connections in
    # per-context storage rather than in the thread-local one: the test thread gets
    # new connection objects (to the same test database). The snapshot of the migrated
    # database that `django_db_setup` left on the old objects, for serialized
    # rollback, is handed over to the new ones.
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API runs an asyncio event loop in the test's own thread
        # (it only blocks while the browser works). Django sees that running loop and
        # refuses ORM calls from the test body and from fixtures (factories, reading
        # back what the browser created) with SynchronousOnlyOperation, although
        # nothing runs concurrently. Allowing "async-unsafe" calls is therefore safe
        # here. The live server answers in its own thread, where no loop runs, so the
        # application code keeps Django's check. The variable is set only while the
        # browser runs (the tests of this package), then restored for the rest of the
        # suite, where the check must keep guarding real async code.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Close those extra connections while they are still reachable, so that none
        # stays open on the test database when it is destroyed (PostgreSQL in CI).
        connections.close_all()


@pytest.fixture(autouse=True)
def _restore_migrated_data(django_db_serialized_rollback):
    """With `live_server` the database is transactional (the server runs in another
    thread) and is flushed after each test, migrated rows included. Serialized rollback
    puts back what the migrations created (Wagtail's root page and locale, content
    types), on which the `home_page` fixture builds. It is requested by name here so
    that pytest-django sees it at collection and serializes the test database once."""


@pytest.fixture
def base_url(live_server):
    return live_server.url


@pytest.fixture
def page(request, browser, base_url):
    """A fresh browser context per test (no cookies carried over), in French."""
    context = browser.new_context(base_url=base_url, locale="fr-FR", viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        try:
            page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"), full_page=True)
        except Exception as error:  # noqa: BLE001 - a screenshot must never hide the failure
            print(f"Could not save a screenshot: {error}")
    context.close()


_axe = Axe()  # reads axe.min.js once


def serious_axe_violations(page):
    """axe-core's violations on the current page whose impact is serious or critical."""
    results = _axe.run(page)
    return [v for v in results.response["violations"] if v.get("impact") in SERIOUS_IMPACTS]


def format_violations(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}")
            summary = [line.strip() for line in (node.get("failureSummary") or "").splitlines()]
            lines.extend(f"      {line}" for line in summary if line)
    return "\n".join(lines)


def assert_no_serious_axe_violations(page):
    """Fail with a readable list if axe-core finds a serious or critical violation."""
    violations = serious_axe_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} serious or critical violation(s) on {page.url}:\n"
        + format_violations(violations)
    )


def log_in(page, email, password):
    """Log in through the form at /compte/connexion/."""
    page.goto("/compte/connexion/")
    page.locator("input[name='username']").fill(email)
    page.locator("input[name='password']").fill(password)
    page.locator("main form button[type='submit']").click()


@pytest.fixture
def folders(settings, tmp_path):
    """Uploads in progress, private files and the media jobs' work in the test's folder."""
    settings.RESUMABLE_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_PROCESSING = {**settings.MEDIA_PROCESSING, "WORK_DIR": str(tmp_path / "work")}
