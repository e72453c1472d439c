"""A job seeker follows a MOOC in Chromium, from the catalogue to the attestation.

The journey: log in, open the catalogue, open a two-week course and enrol, finish
week 1's first lesson, fail then pass its quiz, see the progress on "Mes formations",
find week 2 locked (403 with its opening date); then, a week later, finish week 2,
download the attestation (a PDF bearing the seeker's name and the verification code
shown on the course page) and check it on the public verification page. axe-core runs
on the catalogue, the course page (before and after enrolling, once completed), a
lesson with a quiz (before an attempt, after a failed one, after a passed one), the
progress page, the "not open yet" page and the verification page; and, for a visitor,
on the catalogue and the course page.

Time: the live server answers in a thread of this process, so `time_machine` moves
its clock too. A self-paced course opens week N 7×(N−1) days after enrolment, at
midnight in Paris. The journey starts on a Monday morning and moves on eight days:
week 2 is then open and the session (two weeks) is still valid.

The course strings are not all translated yet: elements are found by their stable
attributes (form actions, hrefs, field names, classes the templates document) and by
role with names accepting French or English, so that the test survives translations.
"""

import io
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect
from pypdf import PdfReader

from courses.models import Attestation, Enrolment
from tests.e2e.conftest import assert_no_serious_axe_violations, log_in
from tests.factories import courses as build

PARIS = ZoneInfo("Europe/Paris")
# A Monday morning: the seeker enrols then, week 2 opens the next Monday at midnight.
START = datetime(2027, 3, 1, 10, 0, tzinfo=PARIS)
WEEK_2_OPENS = "8 mars 2027"  # Monday 8 March, midnight in Paris
LATER = START + timedelta(days=8)

CATALOGUE_URL = "/formations/"
MY_COURSES_URL = "/mes-formations/"
# The answers of the factories' quiz (tests/factories/courses.py), by question.
ANSWERS = [question["answers"] for question in build.QUIZ["questions"]]
RIGHT = [ANSWERS[0][1], ANSWERS[1][0], ANSWERS[1][1]]  # "Quatre"; "Du texte", "Une vidéo"
WRONG = [ANSWERS[0][0], ANSWERS[1][2]]  # "Deux"; "Une facture"
assert all(answer["correct"] for answer in RIGHT) and not any(answer["correct"] for answer in WRONG)

CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")

# Visible texts, French or English (the course strings may not be translated yet).
FINISHED_BUTTON = re.compile(r"termin|finished", re.IGNORECASE)
NOT_PASSED = re.compile(r"pas encore|non réussi|échoué|not passed", re.IGNORECASE)
PASSED = re.compile(r"réussi|passed", re.IGNORECASE)
LOCKED_HEADING = re.compile(r"pas encore|not open yet", re.IGNORECASE)


def url_path(path):
    """Matches the live server URL of `path` (query string and fragment allowed)."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(?:[?#].*)?$")


@pytest.fixture
def mooc(home_page):
    """A catalogue holding one self-paced course of two weeks of two lessons; the
    second lesson of each week holds the quiz of tests/factories/courses.py."""
    catalogue = build.catalogue(home_page)
    assert catalogue.url == CATALOGUE_URL
    return build.course(catalogue, weeks=2, lessons=2)


def finish_lesson(page, lesson):
    """On a lesson without quiz: the "I have finished this lesson" button."""
    expect(page).to_have_url(url_path(lesson.url))
    form = page.locator(f"main form[data-lesson-progress][action='{lesson.url}terminee/']")
    form.get_by_role("button", name=FINISHED_BUTTON).click()


def answer_quiz(page, choices):
    """Tick the `choices` (answers of QUIZ) in the lesson's quiz and submit it."""
    form = page.locator("main form.quiz__form")
    for answer in choices:
        form.get_by_label(answer["text"], exact=True).check()
    form.locator("button[type='submit']").click()


def quiz_result(page):
    return page.locator("main .quiz .quiz__result")


def pass_quiz(page, lesson):
    expect(page).to_have_url(url_path(lesson.url))
    answer_quiz(page, RIGHT)
    expect(page).to_have_url(re.compile(rf"{re.escape(lesson.url)}#quiz-[0-9a-f-]{{36}}-result$"))
    expect(quiz_result(page)).to_have_class(re.compile(r"\bquiz__result--passed\b"))


def test_seeker_follows_a_mooc_from_enrolment_to_attestation(page, mooc, seeker, password):
    # A fixed name with accents (the factory's are random): it must reach the PDF intact.
    seeker.first_name, seeker.last_name = "Anaïs", "Lefèvre-Édouard"
    seeker.save(update_fields=["first_name", "last_name"])
    lessons = build.lessons_of(mooc)
    assert [lesson.title for lesson in lessons] == ["Leçon 1.1", "Leçon 1.2", "Leçon 2.1", "Leçon 2.2"]
    week_1 = lessons[:2]
    week_2 = lessons[2:]
    main = page.get_by_role("main")

    with time_machine.travel(START, tick=True) as traveller:
        log_in(page, seeker.email, password)
        expect(page).to_have_url(url_path("/mon-parcours/"))

        # The catalogue lists the course; its title links to the outline.
        page.goto(CATALOGUE_URL)
        expect(page.get_by_role("heading", level=1)).to_have_text("Formations")
        card_link = main.get_by_role("link", name=mooc.title, exact=True)
        expect(card_link).to_have_attribute("href", mooc.url)
        assert_no_serious_axe_violations(page)
        card_link.click()

        # The outline, not enrolled yet: lessons are not links, the enrol button shows.
        expect(page).to_have_url(url_path(mooc.url))
        expect(page.get_by_role("heading", level=1)).to_have_text(mooc.title)
        expect(main.locator(f"a[href='{week_1[0].url}']")).to_have_count(0)
        assert_no_serious_axe_violations(page)
        enrol_form = main.locator(f"form[method='post'][action='{mooc.url}inscription/']")
        enrol_form.get_by_role("button").click()

        # Enrolled: a message, the progress panel at 0 %, week 1 open, week 2 announced.
        expect(page).to_have_url(url_path(mooc.url))
        expect(main.locator(".messages[role='status'] .message--success")).to_be_visible()
        expect(main.get_by_role("progressbar")).to_have_attribute("value", "0")
        assert Enrolment.objects.filter(seeker=seeker, course=mooc).count() == 1
        expect(main.locator(f"a[href='{week_2[0].url}']")).to_have_count(0)
        expect(main.locator(".week--locked")).to_have_count(1)
        expect(main.locator(".week--locked")).to_contain_text("Semaine 2")
        assert_no_serious_axe_violations(page)

        # Week 1, lesson 1: read it, then "I have finished this lesson" leads to lesson 2.
        main.get_by_role("link", name="Leçon 1.1", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Leçon 1.1")
        finish_lesson(page, week_1[0])

        # Lesson 2 holds the quiz: no "finished" button, the quiz must be passed.
        expect(page).to_have_url(url_path(week_1[1].url))
        expect(page.get_by_role("heading", level=1)).to_have_text("Leçon 1.2")
        expect(main.locator("form[data-lesson-progress]")).to_have_count(0)
        expect(main.locator("form.quiz__form fieldset")).to_have_count(2)
        expect(quiz_result(page)).to_have_count(0)
        assert_no_serious_axe_violations(page)

        # A wrong attempt: "not passed", the feedback of the answers chosen, try again.
        answer_quiz(page, WRONG)
        result = quiz_result(page)
        expect(result).to_have_class(re.compile(r"\bquiz__result--failed\b"))
        expect(result).to_contain_text(NOT_PASSED)
        expect(result).to_contain_text("0 %")
        for answer in WRONG:
            expect(result).to_contain_text(answer["feedback"])
        expect(main.locator(".message--warning")).to_be_visible()
        assert_no_serious_axe_violations(page)

        # The right answers: passed, the lesson is done.
        pass_quiz(page, week_1[1])
        result = quiz_result(page)
        expect(result).to_contain_text(PASSED)
        expect(result).to_contain_text("100 %")
        expect(result).to_contain_text(RIGHT[0]["feedback"])
        expect(main.locator(".lesson__meta .tag--done")).to_be_visible()
        assert_no_serious_axe_violations(page)

        # "Mes formations": week 1 done, the course half done, week 2 not open yet.
        page.goto(MY_COURSES_URL)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        section = main.locator("section.panel").filter(has=page.get_by_role("heading", name=mooc.title))
        expect(section.get_by_role("progressbar", name=mooc.title)).to_have_attribute("value", "50")
        expect(section.locator(".progress__value")).to_have_text(re.compile(r"^\s*50\s*%\s*$"))
        week_rows = section.locator("tbody tr")
        expect(week_rows).to_have_count(2)
        expect(week_rows.nth(0).get_by_role("rowheader")).to_have_text("Semaine 1")
        expect(week_rows.nth(0).get_by_role("cell")).to_contain_text("100 %")
        expect(week_rows.nth(1).get_by_role("rowheader")).to_have_text("Semaine 2")
        expect(week_rows.nth(1).get_by_role("cell")).not_to_contain_text("%")
        expect(week_rows.nth(1).get_by_role("cell")).to_contain_text(WEEK_2_OPENS.removesuffix(" 2027"))
        assert_no_serious_axe_violations(page)

        # Week 2 by its URL: refused with a 403 page giving the opening date.
        response = page.goto(week_2[0].url)
        assert response.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text(LOCKED_HEADING)
        expect(main.locator(".lead")).to_contain_text("Semaine 2")
        expect(main.locator(".lead")).to_contain_text(WEEK_2_OPENS)
        expect(main.locator(f"a[href='{mooc.url}']")).to_be_visible()
        assert_no_serious_axe_violations(page)

        # A week later (the session, two weeks long, is still valid): week 2 is open.
        traveller.move_to(LATER)
        page.goto(mooc.url)
        expect(main.locator(".week--locked")).to_have_count(0)
        main.get_by_role("link", name="Leçon 2.1", exact=True).click()
        finish_lesson(page, week_2[0])
        pass_quiz(page, week_2[1])

        # The last required lesson done: the course is completed.
        expect(main.locator(".message--success").first).to_be_visible()
        enrolment = Enrolment.objects.get(seeker=seeker, course=mooc)
        assert enrolment.completed_at is not None
        assert enrolment.completed_at.astimezone(PARIS).date() == LATER.date()

        # The course page offers the attestation and shows its verification code.
        page.goto(mooc.url)
        expect(main.get_by_role("progressbar")).to_have_attribute("value", "100")
        attestation_link = main.locator(f"a[href='{mooc.url}attestation/']")
        expect(attestation_link).to_be_visible()
        expect(attestation_link).to_have_text(re.compile(r"attestation", re.IGNORECASE))
        code_text = main.locator("strong").filter(has_text=CODE)
        expect(code_text).to_have_count(1)
        code = code_text.inner_text().strip()
        assert CODE.fullmatch(code)
        assert Attestation.objects.get(seeker=seeker, course=mooc).code == code
        assert_no_serious_axe_violations(page)

        with page.expect_download() as download_info:
            attestation_link.click()
        download = download_info.value
        assert download.suggested_filename == f"attestation-{mooc.slug}.pdf"
        pdf = Path(download.path()).read_bytes()
        assert pdf.startswith(b"%PDF-")
        text = " ".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(pdf)).pages)
        text = re.sub(r"\s+", " ", text)
        assert "Anaïs Lefèvre-Édouard" in text
        assert code in text
        assert mooc.title in text

        # Anyone can check the attestation with its code.
        page.context.clear_cookies()
        response = page.goto(f"/attestations/{code}/")
        assert response.status == 200
        expect(main.locator("dl")).to_contain_text(seeker.get_full_name())
        expect(main.locator("dl")).to_contain_text(mooc.title)
        expect(main.locator("dl")).to_contain_text(code)
        assert_no_serious_axe_violations(page)


def test_visitor_is_invited_to_log_in_from_the_catalogue_and_the_course(page, mooc):
    page.goto(CATALOGUE_URL)
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Formations")
    assert_no_serious_axe_violations(page)

    main.get_by_role("link", name=mooc.title, exact=True).click()
    expect(page).to_have_url(url_path(mooc.url))
    # No enrol form for a visitor, but a link to log in that comes back here.
    expect(main.locator(f"form[action='{mooc.url}inscription/']")).to_have_count(0)
    expect(main.locator(f"a[href='/compte/connexion/?next={mooc.url}']")).to_be_visible()
    # The lessons are listed, not linked.
    expect(main.locator(".lessons li")).to_have_count(4)
    expect(main.locator(".lessons a")).to_have_count(0)
    assert_no_serious_axe_violations(page)

    # A lesson's URL sends a visitor to the log-in page.
    lesson = build.lessons_of(mooc)[0]
    page.goto(lesson.url)
    expect(page).to_have_url(re.compile(r"/compte/connexion/\?next="))
