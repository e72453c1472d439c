"""'Vérifier mon matériel' in Chromium with its synthetic camera and microphone."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_serious_axe_violations, log_in
from tests.factories import SeekerFactory
from tests.factories.accounts import PASSWORD


def open_check(page):
    seeker = SeekerFactory(email="materiel@exemple.test")
    log_in(page, seeker.email, PASSWORD)
    page.goto("/verifier-mon-materiel/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier mon matériel")


def test_allowed_camera_shows_the_preview_and_the_sound_level(page, home_page, base_url):
    page.context.grant_permissions(["camera", "microphone"], origin=base_url)
    open_check(page)
    assert_no_serious_axe_violations(page)
    expect(page.get_by_role("button", name="Arrêter le test")).to_be_hidden()

    page.get_by_role("button", name="Tester ma caméra et mon micro").click()
    status = page.locator("[data-status]")
    expect(status).to_contain_text("Votre caméra fonctionne")
    preview = page.locator("[data-preview]")
    expect(preview).to_be_visible()
    # The synthetic camera's picture arrives (polled: the page's CSP forbids eval).
    for _ in range(50):
        if preview.evaluate("video => video.videoWidth") > 0:
            break
        page.wait_for_timeout(100)
    assert preview.evaluate("video => video.videoWidth") > 0
    # The synthetic microphone beeps: once the meter rises above the threshold, we say so.
    expect(status).to_contain_text("Nous vous entendons", timeout=15_000)
    assert_no_serious_axe_violations(page)

    page.get_by_role("button", name="Arrêter le test").click()
    expect(preview).to_be_hidden()
    assert page.evaluate("document.activeElement.dataset.start") == "video"


def test_refused_permission_is_explained_in_french(page, home_page):
    open_check(page)  # no permission granted: Chromium refuses
    page.get_by_role("button", name="Tester ma caméra et mon micro").click()
    expect(page.locator("[data-status]")).to_contain_text("Votre navigateur a refusé la caméra ou le micro")
    expect(page.locator("[data-preview]")).to_be_hidden()
    assert_no_serious_axe_violations(page)


def test_the_connection_speed_is_measured_and_explained(page, home_page):
    open_check(page)
    page.get_by_role("button", name="Mesurer ma connexion").click()
    result = page.locator("[data-speed-status]")
    expect(result).to_contain_text(re.compile(r"kbit/s"))
    assert int(result.get_attribute("data-kbps")) > 0
