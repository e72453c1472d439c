"""Take the README's screenshots from a running demo site (`make run` first).

.venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]
"""

import datetime
import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


DEMO_PASSWORD = "tremplin-demo"  # accounts.demo's, public: the demo runs only where allowed


def log_in(page, base_url, email, password=DEMO_PASSWORD):
    page.goto(f"{base_url}/compte/connexion/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")


def main(base_url):
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 700}, locale="fr-FR")
        page.goto(f"{base_url}/")
        page.screenshot(path=OUT / "home.png")

        phone = browser.new_page(viewport={"width": 320, "height": 900}, locale="fr-FR")
        phone.goto(f"{base_url}/compte/inscription/")
        phone.screenshot(path=OUT / "signup-mobile.png")

        log_in(page, base_url, "demandeur@tremplin.test")
        page.wait_for_url("**/mon-parcours/")
        page.screenshot(path=OUT / "dashboard.png")

        # MOOCs: the catalogue, a course outline with progress, a lesson with its video.
        page.goto(f"{base_url}/formations/")
        page.screenshot(path=OUT / "catalogue.png")
        page.click("main .card a >> nth=0")
        page.screenshot(path=OUT / "course.png", full_page=True)
        course_url = page.url
        page.click("main .weeks .lessons a >> nth=0")
        page.screenshot(path=OUT / "lesson.png")
        page.goto(course_url)
        page.click("main .weeks .lessons a >> nth=2")
        page.locator("main .quiz").screenshot(path=OUT / "quiz.png")
        page.goto(f"{base_url}/mes-formations/")
        page.screenshot(path=OUT / "my-courses.png")

        # The counsellor's workspace: the portfolio and a seeker's page.
        counsellor = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        log_in(counsellor, base_url, "conseillere@tremplin.test")
        counsellor.goto(f"{base_url}/portefeuille/")
        counsellor.screenshot(path=OUT / "portfolio.png")
        counsellor.click('main table a:has-text("Benali")')
        counsellor.screenshot(path=OUT / "seeker-page.png")
        security_pages(browser, base_url)
        keeping_in_touch(browser, base_url)
        mock_interviews(browser, base_url)
        time_off(browser, base_url)
        interview_by_keyboard(browser, base_url)
        interview_review(browser, base_url)
        browser.close()


def security_pages(browser, base_url):
    """What a person sees when the site protects them: a sign-up that tells nothing about
    the address, a refused log-in with the true time left, a bulk assignment refused
    with the focus on its errors."""
    page = browser.new_page(viewport={"width": 1100, "height": 700}, locale="fr-FR")
    page.goto(f"{base_url}/compte/inscription/")
    page.fill("input[name=first_name]", "Inès")
    page.fill("input[name=last_name]", "Roussel")
    page.fill("input[name=email]", "demandeur@tremplin.test")  # an address in use: same answer
    page.fill("input[name=password1]", "vers-un-nouvel-emploi-2026")
    page.fill("input[name=password2]", "vers-un-nouvel-emploi-2026")
    page.click("main button[type=submit]")
    page.wait_for_url("**/inscription/envoye/")
    page.screenshot(path=OUT / "signup-check-email.png")

    for _attempt in range(6):  # an address nobody uses: the demo accounts stay open
        log_in(page, base_url, "inconnu@exemple.test", "mauvais-mot-de-passe")
    page.screenshot(path=OUT / "login-locked.png")

    counsellor = browser.new_page(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    log_in(counsellor, base_url, "conseillere@tremplin.test")
    counsellor.goto(f"{base_url}/portefeuille/?alert=any")
    counsellor.locator("#id_assign-module").select_option(index=1)
    counsellor.click("#bulk-assign button[type=submit]")
    counsellor.locator(".error-summary").wait_for()
    counsellor.screenshot(path=OUT / "portfolio-error.png")


def keeping_in_touch(browser, base_url):
    """The second release: messages, a callback request, appointments, the equipment
    check, a mock interview; the counsellor's inbox and agenda."""
    seeker = browser.new_page(viewport={"width": 1100, "height": 800}, locale="fr-FR")
    log_in(seeker, base_url, "demandeur@tremplin.test")
    for path, name in (
        ("/mes-messages/", "messages"),
        ("/mon-parcours/rappel/", "callback"),
        ("/rendez-vous/", "my-appointments"),
        ("/rendez-vous/reserver/", "booking"),
        ("/verifier-mon-materiel/", "device-check"),
    ):
        seeker.goto(f"{base_url}{path}")
        seeker.screenshot(path=OUT / f"{name}.png", full_page=True)
    counsellor = browser.new_page(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    log_in(counsellor, base_url, "conseillere@tremplin.test")
    for path, name in (("/portefeuille/messages/", "inbox"), ("/agenda/?vue=semaine", "agenda")):
        counsellor.goto(f"{base_url}{path}")
        counsellor.screenshot(path=OUT / f"{name}.png")


def mock_interviews(browser, base_url):
    """A mock interview's page and its recording session (the seeker's)."""
    seeker = browser.new_page(viewport={"width": 1100, "height": 800}, locale="fr-FR")
    log_in(seeker, base_url, "demandeur@tremplin.test")
    seeker.goto(f"{base_url}/entretiens/questions-classiques/")
    seeker.screenshot(path=OUT / "interview.png")
    seeker.click("main a:has-text('Enregistrer mes réponses')")
    seeker.screenshot(path=OUT / "interview-session.png")


def interview_review(browser, base_url):
    """The demo's reviewed attempt: an answer as the counsellor reviews it (the video,
    the comments pinned to it, the measures, the transcript), the review as the seeker
    reads it, and the seeker's attempts with the trend of the measures."""
    counsellor = browser.new_page(viewport={"width": 1100, "height": 800}, locale="fr-FR")
    log_in(counsellor, base_url, "conseillere@tremplin.test")
    counsellor.goto(f"{base_url}/portefeuille/")
    counsellor.click("main a:has-text('Karim Benali')")
    counsellor.click("main #alerts a:has-text('(n° 1)')")
    counsellor.locator("main .interview-answer >> nth=0").screenshot(path=OUT / "interview-review.png")
    seeker = browser.new_page(viewport={"width": 1100, "height": 800}, locale="fr-FR")
    log_in(seeker, base_url, "demandeur@tremplin.test")
    seeker.goto(f"{base_url}/entretiens/questions-classiques/")
    seeker.click("main a:has-text('Essai 1')")
    seeker.screenshot(path=OUT / "interview-feedback.png")
    seeker.click("main a:has-text('Mes essais')")
    seeker.screenshot(path=OUT / "interview-history.png")


def _next_weekday(day):
    """The day contact.appointments_demo books the demo seeker's appointment on (the
    other one is on the weekday after)."""
    day += datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def time_off(browser, base_url):
    """Time off over the demo appointments: the page lists them and asks to cancel or keep
    them (the choice is not sent: the demo keeps its appointments). Then, on a day of that
    week without appointments, time off that the agenda shows as "Absent"; it is removed
    once the agenda is taken, so the demo data end as they began."""
    today = datetime.datetime.now(ZoneInfo("Europe/Paris")).date()
    first_booked = _next_weekday(today)
    counsellor = browser.new_page(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    log_in(counsellor, base_url, "conseillere@tremplin.test")
    counsellor.goto(f"{base_url}/agenda/disponibilites/")
    section = counsellor.locator("section[aria-labelledby=off-title]")
    until = _next_weekday(_next_weekday(first_booked))
    _fill_time_off(section, f"{first_booked:%Y-%m-%d}T08:00", f"{until:%Y-%m-%d}T18:00", "Congés")
    # The choice only: this Chromium has no French for the date fields above it.
    section.locator("#clash").screenshot(path=OUT / "time-off-clash.png")

    monday = first_booked - datetime.timedelta(days=first_booked.weekday())
    counsellor.goto(f"{base_url}/agenda/?jour={monday:%Y-%m-%d}&vue=semaine")
    days = counsellor.locator("main section.panel")
    free = [
        monday + datetime.timedelta(days=offset)
        for offset in range(7)
        if monday + datetime.timedelta(days=offset) > today
        and days.nth(offset).get_by_text("Aucun rendez-vous.").count()
    ]
    absent_day = min(free, key=lambda day: (day.weekday() >= 5, day))
    counsellor.goto(f"{base_url}/agenda/disponibilites/")
    _fill_time_off(
        section, f"{absent_day:%Y-%m-%d}T13:30", f"{absent_day:%Y-%m-%d}T17:00", "Réunion d’équipe"
    )
    counsellor.wait_for_url("**/agenda/disponibilites/")
    counsellor.goto(f"{base_url}/agenda/?jour={monday:%Y-%m-%d}&vue=semaine")
    counsellor.locator(".agenda__absence").scroll_into_view_if_needed()
    counsellor.screenshot(path=OUT / "agenda-absent.png")

    counsellor.goto(f"{base_url}/agenda/disponibilites/")
    section.locator("li", has_text="Réunion d’équipe").get_by_role("button", name="Retirer").click()
    section.get_by_text("Aucune de prévue.").wait_for()


def _fill_time_off(section, starts_at, ends_at, reason):
    """The time-off form, filled by its labels and sent."""
    section.get_by_label(re.compile(r"^Du\b")).fill(starts_at)
    section.get_by_label(re.compile(r"^Au\b")).fill(ends_at)
    section.get_by_label("Motif").fill(reason)
    section.get_by_role("button", name="Ajouter cette absence").click()


def interview_by_keyboard(browser, base_url):
    """The recording session as a keyboard user sees it: Tab up to the first question's
    button, its focus ring shown."""
    seeker = browser.new_page(viewport={"width": 1100, "height": 800}, locale="fr-FR")
    log_in(seeker, base_url, "demandeur@tremplin.test")
    seeker.goto(f"{base_url}/entretiens/questions-classiques/")
    seeker.click("main a:has-text('Enregistrer mes réponses')")
    begin = seeker.locator("#question-1 [data-begin]")
    begin.wait_for()
    for _press in range(60):
        seeker.keyboard.press("Tab")
        if begin.evaluate("button => button === document.activeElement"):
            break
    seeker.screenshot(path=OUT / "interview-keyboard.png")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
