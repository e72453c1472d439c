"""A job seeker signs up in French, follows the link e-mailed to them, logs out, logs back
in and reaches "Mon parcours".

The interface's French translations are being written: where a visible text may still
be English, elements are found by their role and their stable attributes (href, field
name) and the assertions bear on URLs, `html[lang]` and headings, not on wording.
"""

import re

from django.core import mail
from playwright.sync_api import expect

from accounts.models import Role, User
from tests.e2e.conftest import log_in

SIGNUP_URL = "/compte/inscription/"
SIGNUP_DONE_URL = "/compte/inscription/envoye/"
LOGIN_URL = "/compte/connexion/"
LOGOUT_URL = "/compte/deconnexion/"
DASHBOARD_URL = "/mon-parcours/"

FIRST_NAME = "Amandine"
LAST_NAME = "Lefèvre"
EMAIL = "amandine.lefevre@exemple.test"
STRONG_PASSWORD = "Vélo-Jardin-Horizon-2025!"


def url_path(path):
    """Matches the live server URL of `path` (query string and fragment allowed)."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(?:[?#].*)?$")


def expect_french_page_with_h1(page):
    assert page.evaluate("document.documentElement.lang") == "fr"
    expect(page.get_by_role("heading", level=1)).to_have_count(1)


def test_seeker_signs_up_logs_out_and_logs_back_in(page, home_page, run_jobs):
    page.goto("/")
    expect_french_page_with_h1(page)

    # The header's "Créer un compte" link.
    header = page.get_by_role("banner")
    header.get_by_role("link").and_(page.locator(f"[href='{SIGNUP_URL}']")).click()
    expect(page).to_have_url(url_path(SIGNUP_URL))
    expect_french_page_with_h1(page)

    form = page.get_by_role("main").locator("form[method='post']")
    fields = {
        "first_name": FIRST_NAME,
        "last_name": LAST_NAME,
        "email": EMAIL,
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
    }
    for name, value in fields.items():
        field = form.locator(f"input[name='{name}']")
        # Each field carries a visible label tied to it, whatever its language.
        expect(field).to_have_accessible_name(re.compile(r"\w"))
        field.fill(value)
    form.get_by_role("button").and_(form.locator("[type='submit']")).click()

    # "Check your e-mail": the account waits for the link sent to the address.
    expect(page).to_have_url(url_path(SIGNUP_DONE_URL))
    expect_french_page_with_h1(page)
    assert run_jobs("default") == 1
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    page.goto(re.search(r"https?://[^/\s]+(/compte/activer/\S+/)", message.body).group(1))

    expect(page).to_have_url(url_path(DASHBOARD_URL))
    expect_french_page_with_h1(page)
    expect(page.get_by_role("main")).to_contain_text(FIRST_NAME)

    user = User.objects.get(email=EMAIL)
    assert user.role == Role.SEEKER
    assert (user.first_name, user.last_name) == (FIRST_NAME, LAST_NAME)

    # Log out with the header's button (a form posting to /compte/deconnexion/).
    page.get_by_role("banner").locator(f"form[action='{LOGOUT_URL}']").get_by_role("button").click()
    expect(page).to_have_url(url_path("/"))
    expect(page.get_by_role("banner").locator(f"form[action='{LOGOUT_URL}']")).to_have_count(0)
    page.goto(DASHBOARD_URL)
    expect(page).to_have_url(url_path(LOGIN_URL))  # ?next=/mon-parcours/
    expect_french_page_with_h1(page)

    # Log in again with the e-mail address and the password.
    log_in(page, EMAIL, STRONG_PASSWORD)
    expect(page).to_have_url(url_path(DASHBOARD_URL))
    expect_french_page_with_h1(page)
    expect(page.get_by_role("main")).to_contain_text(FIRST_NAME)


def test_wrong_password_shows_an_error_and_stays_on_the_login_page(page, home_page, seeker):
    log_in(page, seeker.email, "pas-le-bon-mot-de-passe")

    expect(page).to_have_url(url_path(LOGIN_URL))
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("input[name='username']")).to_have_value(seeker.email)
    # Still anonymous: the dashboard sends back to the log-in page.
    page.goto(DASHBOARD_URL)
    expect(page).to_have_url(url_path(LOGIN_URL))


def test_first_tab_reaches_the_skip_link_which_leads_to_the_content(page, home_page):
    page.goto("/")
    page.keyboard.press("Tab")

    focused = page.locator(":focus")
    expect(focused).to_have_attribute("href", "#contenu")
    expect(focused).to_have_text(re.compile(r"contenu|content", re.IGNORECASE))
    expect(focused).to_be_visible()  # shown when focused, not only to screen readers

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#contenu$"))
    expect(page.locator("main#contenu")).to_be_focused()
