"""Bulk assignment with the keyboard alone, on a portfolio of 40 seekers.

Each row is one Tab stop (the seeker's name); the "Select" column is one stop for all
its checkboxes (the arrow keys move between them); a link above the table leads
straight to the assignment form. Sent without a ticked seeker, the form comes back
with the focus on the summary of its errors, the checkboxes marked invalid and the
filters of the list kept.
"""

import pytest
from playwright.sync_api import expect

from coaching.models import Assignment
from tests.e2e.conftest import assert_no_serious_axe_violations, log_in
from tests.factories import SeekerFactory
from tests.factories import courses as build

SEEKERS = 40


@pytest.fixture
def crowded_portfolio(counsellor, home_page):
    build.course(build.catalogue(home_page), "Réussir son CV", weeks=1)
    return [
        SeekerFactory(
            first_name="Prénom", last_name=f"Nom{index:02d}", counsellor=counsellor, modality="guide"
        )
        for index in range(SEEKERS)
    ]


def tab_until(page, selector, limit):
    """Press Tab until the focused element matches `selector`; the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return presses
    raise AssertionError(f"{selector} not reached in {limit} Tab presses")


def test_each_row_is_one_tab_stop_and_the_form_is_reached_directly(
    page, counsellor, password, crowded_portfolio
):
    log_in(page, counsellor.email, password)
    page.goto("/portefeuille/?sort=name")
    assert_no_serious_axe_violations(page)

    # From the first checkbox to the assignment form: one stop per seeker's name.
    page.locator("input[name='assign-seekers']").first.focus()
    presses = tab_until(page, "#id_assign-module", limit=3 * SEEKERS)
    assert presses <= SEEKERS + 3

    # The arrow keys move between the checkboxes, the space bar ticks.
    first = page.locator("input[name='assign-seekers']").first
    first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.locator("input[name='assign-seekers']:checked").count() == 2
    expect(page.locator("input[name='assign-seekers']").nth(2)).to_be_focused()

    # The link above the table leads straight to the form.
    page.goto("/portefeuille/?sort=name")
    page.locator("a[href='#bulk-assign-fields']").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("#id_assign-module")).to_be_focused()


def test_a_refused_assignment_moves_the_focus_to_its_errors(page, counsellor, password, crowded_portfolio):
    log_in(page, counsellor.email, password)
    page.goto("/portefeuille/?q=Nom0")
    page.locator("#id_assign-module").select_option(label="Réussir son CV (MOOC)")
    page.locator("#bulk-assign button[type='submit']").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Cochez au moins un demandeur")
    boxes = page.locator("input[name='assign-seekers']")
    # The list is still the filtered one: Nom00 … Nom09.
    assert boxes.count() == 10
    for index in range(boxes.count()):
        expect(boxes.nth(index)).to_have_attribute("aria-invalid", "true")
    assert_no_serious_axe_violations(page)
    assert not Assignment.objects.exists()
