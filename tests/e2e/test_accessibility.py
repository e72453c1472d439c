"""axe-core (through axe-playwright-python) on the public pages and the seeker's dashboard.

Only serious and critical violations fail a test; the message lists each rule, its help
text and the elements at fault.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_serious_axe_violations, log_in
from tests.factories import SeekerFactory
from tests.factories.accounts import PASSWORD

NARROW_VIEWPORT = {"width": 320, "height": 640}


@pytest.mark.parametrize(
    "path",
    ["/", "/compte/connexion/", "/compte/inscription/"],
    ids=["home", "login", "signup"],
)
def test_public_page_has_no_serious_violation(page, home_page, path):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_no_serious_axe_violations(page)


def test_signup_page_in_error_has_no_serious_violation(page, home_page):
    page.goto("/compte/inscription/")
    form = page.get_by_role("main").locator("form[method='post']")
    form.get_by_role("button").and_(form.locator("[type='submit']")).click()

    expect(page).to_have_url(re.compile(r"/compte/inscription/$"))
    expect(page.get_by_role("alert")).to_be_visible()  # the error summary
    expect(page.locator("input[aria-invalid='true']").first).to_be_attached()
    assert_no_serious_axe_violations(page)


def test_seeker_dashboard_has_no_serious_violation(page, home_page):
    seeker = SeekerFactory()
    log_in(page, seeker.email, PASSWORD)

    expect(page).to_have_url(re.compile(r"/mon-parcours/$"))
    expect(page.get_by_role("main")).to_contain_text(seeker.first_name)
    assert_no_serious_axe_violations(page)


def test_home_page_fits_320_px_without_horizontal_scrolling(page, home_page):
    page.set_viewport_size(NARROW_VIEWPORT)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= NARROW_VIEWPORT["width"], (
        f"The home page is {scroll_width} px wide at a {NARROW_VIEWPORT['width']} px viewport: "
        "it scrolls horizontally (WCAG 1.4.10 Reflow)."
    )
    assert_no_serious_axe_violations(page)
