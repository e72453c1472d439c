"""A counsellor assigns a MOOC to inactive seekers in Chromium; a seeker finds it on
"Mon parcours".

The journey: the counsellor logs in and opens "Mon portefeuille", filters it to the
inactive seekers (no activity of their own for 20 days, or none since they joined 20
days ago), ticks two of them, picks the MOOC, a due date and a message and assigns it;
each of the two gets an e-mail (two RQ jobs, queued once the live server's transaction
commits, then run here). The counsellor opens one of them from the list and finds the
assignment on the seeker page, logs out; that seeker logs in and sees the MOOC, its due
date and the message on "Mon parcours". axe-core runs on the portfolio (before and
after the assignment), the seeker page and "Mon parcours".

The coaching strings are not all translated yet: elements are found by their stable
attributes (form actions, field names, ids and classes of the templates) and by role
with names accepting French or English.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from activity import log
from coaching.models import Assignment
from courses.models import Enrolment
from tests.e2e.conftest import assert_no_serious_axe_violations, log_in
from tests.factories import SeekerFactory
from tests.factories import courses as build

PORTFOLIO_URL = "/portefeuille/"
DASHBOARD_URL = "/mon-parcours/"
MESSAGE = "Commencez par la première semaine avant notre prochain rendez-vous."

INACTIVE = re.compile(r"Inacti|Inactive", re.IGNORECASE)
ASSIGNED = re.compile(r"propos|assign", re.IGNORECASE)


NOT_STARTED = re.compile(r"1 (pas commencé|not started)", re.IGNORECASE)


def url_path(path, query=""):
    """Matches the live server URL of `path` (with `query` in its query string if given)."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(?:\?[^#]*{re.escape(query)}[^#]*)?(?:#.*)?$")


@pytest.fixture
def mooc(home_page):
    return build.course(build.catalogue(home_page), "Réussir son CV", weeks=1)


@pytest.fixture
def portfolio(counsellor):
    """Five seekers of the counsellor, three of them inactive for 20 days."""
    now = timezone.now()
    long_ago = now - timedelta(days=20)

    def seeker(first_name, last_name, joined):
        return SeekerFactory(
            first_name=first_name,
            last_name=last_name,
            counsellor=counsellor,
            modality="guide",
            date_joined=joined,
        )

    people = {
        # Joined 20 days ago and never came back.
        "aubert": seeker("Amandine", "Aubert", long_ago),
        # Last logged in 20 days ago; what the counsellor did since is not their activity.
        "bernard": seeker("Bruno", "Bernard", now - timedelta(days=60)),
        "charpentier": seeker("Chloé", "Charpentier", long_ago),
        # Joined long ago, active two days ago.
        "dupont": seeker("Denis", "Dupont", now - timedelta(days=60)),
        # Joined today.
        "fabre": seeker("Élodie", "Fabre", now),
    }
    log.record(people["bernard"], "account.logged_in", when=long_ago)
    log.record(people["bernard"], "web.validated", actor=counsellor, when=now - timedelta(days=1))
    log.record(people["dupont"], "account.logged_in", when=now - timedelta(days=2))
    return people


def test_counsellor_assigns_a_mooc_to_inactive_seekers_who_see_it_on_their_path(
    page, live_server, counsellor, portfolio, mooc, password, queues, run_jobs
):
    main = page.get_by_role("main")
    rows = main.locator("table.portfolio tbody tr")
    aubert, bernard = portfolio["aubert"], portfolio["bernard"]
    inactive = [aubert, bernard, portfolio["charpentier"]]
    due = timezone.localdate() + timedelta(days=45)
    with translation.override("fr"):
        due_text = date_format(due, "j F Y")

    # The counsellor starts on the portfolio: the five seekers.
    log_in(page, counsellor.email, password)
    expect(page).to_have_url(url_path(PORTFOLIO_URL))
    expect(rows).to_have_count(5)
    assert_no_serious_axe_violations(page)

    # Filtered to the inactive seekers: only the three of them, each with the alert.
    filters = main.locator("form.filters")
    filters.locator("select[name='alert']").select_option("inactive")
    filters.get_by_role("button", name=re.compile(r"Appliquer|Apply")).click()
    expect(page).to_have_url(url_path(PORTFOLIO_URL, "alert=inactive"))
    expect(rows).to_have_count(3)
    expect(rows.get_by_role("rowheader")).to_have_text([person.get_full_name() for person in inactive])
    for row in rows.all():
        expect(row.locator(".badge--alert")).to_have_text(INACTIVE)

    # Two of them ticked, the MOOC, a due date and a message: assigned.
    for person in (aubert, bernard):
        main.get_by_role("checkbox", name=re.compile(re.escape(person.get_full_name()))).check()
    form = main.locator(f"form[action='{PORTFOLIO_URL}assigner/']")
    form.locator("select[name='assign-module']").select_option(str(mooc.pk))
    form.locator("input[name='assign-due_date']").fill(due.isoformat())
    form.locator("textarea[name='assign-message']").fill(MESSAGE)
    form.locator("fieldset.bulk-assign").get_by_role("button", name=re.compile(r"Proposer|Assign")).click()

    # Back on the filtered list, told it is done; the two rows show the MOOC.
    expect(page).to_have_url(url_path(PORTFOLIO_URL, "alert=inactive"))
    success = main.locator(".messages[role='status'] .message--success")
    expect(success).to_contain_text(mooc.title)
    expect(success).to_contain_text("2")
    expect(success).to_contain_text(ASSIGNED)
    expect(rows).to_have_count(3)
    for person, assigned in ((aubert, True), (bernard, True), (portfolio["charpentier"], False)):
        row = rows.filter(has=page.get_by_role("rowheader", name=person.get_full_name()))
        # Each row sums up its assignments by status ("1 pas commencé").
        if assigned:
            expect(row).to_contain_text(NOT_STARTED)
        else:
            expect(row).not_to_contain_text(NOT_STARTED)
    assert_no_serious_axe_violations(page)

    assignments = Assignment.objects.active().filter(module=mooc)
    assert {assignment.seeker_id for assignment in assignments} == {aubert.pk, bernard.pk}
    for assignment in assignments:
        assert (assignment.due_date, assignment.message, assignment.assigned_by) == (due, MESSAGE, counsellor)
    assert set(Enrolment.objects.filter(course=mooc).values_list("seeker_id", flat=True)) == {
        aubert.pk,
        bernard.pk,
    }

    # One e-mail each, queued once the assignment was committed.
    assert queues["default"].count == 2
    assert run_jobs("default") == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted([aubert.email, bernard.email])
    for message in mail.outbox:
        assert mooc.title in message.subject
        assert MESSAGE in message.body
        assert due_text in message.body
        assert f"{live_server.url}{DASHBOARD_URL}" in message.body

    # The seeker page, from the name in the list: the assignment with its due date.
    main.get_by_role("link", name=aubert.get_full_name(), exact=True).click()
    expect(page).to_have_url(url_path(f"{PORTFOLIO_URL}demandeurs/{aubert.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(aubert.get_full_name())
    expect(main.locator("#alerts")).to_contain_text(INACTIVE)
    progress = main.locator("#progress tbody tr")
    expect(progress).to_have_count(1)
    expect(progress.get_by_role("rowheader")).to_have_text(mooc.title)
    expect(progress.locator(f"time[datetime='{due.isoformat()}']")).to_have_text(due_text)
    expect(main.locator("#timeline")).to_contain_text(mooc.title)
    assert_no_serious_axe_violations(page)

    # The counsellor logs out (the button in the header).
    page.locator("header form[action='/compte/deconnexion/']").get_by_role("button").click()
    expect(page.locator("header").get_by_role("link", name=re.compile(r"connecter|Log in"))).to_be_visible()

    # The seeker finds the MOOC, its due date and the message on "Mon parcours".
    log_in(page, aubert.email, password)
    expect(page).to_have_url(url_path(DASHBOARD_URL))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Mon parcours|My path"))
    suggested = main.locator("section[aria-labelledby='assignments-title'] tbody tr")
    expect(suggested).to_have_count(1)
    expect(suggested.get_by_role("rowheader").get_by_role("link")).to_have_text(mooc.title)
    expect(suggested.locator(".assignment__message")).to_have_text(MESSAGE)
    expect(suggested.locator(f"time[datetime='{due.isoformat()}']")).to_have_text(due_text)
    expect(main.locator("#next-steps").locator("..")).to_contain_text(mooc.title)
    assert_no_serious_axe_violations(page)
