"""A mock interview from start to review with the keyboard alone, in Chromium with its
fake camera and microphone (the issue: "the whole recording flow done with the
keyboard alone", and the review too).

The seeker opens the interview, tabs through the privacy text to the first question,
starts it, cuts the think time short, records, stops, records again once, keeps the
take, and does the same for the second question; a real RQ worker measures the takes;
the seeker goes on to the send page, chooses the takes, fills the grid and the notes and
sends. Their counsellor opens the review, plays an answer, comments with Alt+Shift+C
and by tabbing to the comment box, scores the grid (the shortcut does nothing while
they type the advice), writes the advice and saves. The seeker opens the attempt and a
comment's time takes the video there.

Only the keyboard acts on the controls under test (Tab, Shift+Tab, Enter, Space, the
arrows, typing); Playwright's locators only check. After each action that changes a
part of the page, focus lands on a control (never on <body>), and at key steps the
focused control shows its focus ring.
"""

import re
import time

import django_rq
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.models import ResumableUpload
from interviews import reviews
from interviews.models import Attempt, Decision, InterviewQuestion, ReviewComment, Take
from media.models import ProcessingStatus
from tests.e2e.conftest import log_in
from tests.factories import interviews as build
from tests.factories.accounts import PASSWORD

ANSWER_SECONDS = 8  # the maximum: the seeker stops before
RECORD_FOR_MS = 3500
CRITERIA_LEVEL = 3
SCORE_LEVEL = 2


@pytest.fixture
def worker_queues(queues):
    """The queues the worker runs here, on an empty Redis database."""
    for name in ("feedback", "media"):
        queues[name] = django_rq.get_queue(name)
    queues["feedback"].connection.flushdb()
    yield queues


def wait_for(page, predicate, timeout=30):
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if predicate():
            return
        page.wait_for_timeout(200)
    raise AssertionError("Timed out")


def focused(page):
    """A short description of the focused element (its shadow host for a video)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return "BODY";
            const text = (el.getAttribute("aria-label") || el.textContent || el.value || "").trim().slice(0, 60);
            return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}[${el.name || ""}] ${text}`;
        }"""
    )


# On every page: from the first key pressed, note each moment focus is on <body> (a
# control hidden or removed while focused, even for the time of a request).
WATCH_FOCUS = """
window.focusLost = [];
let armed = false;
document.addEventListener("keydown", () => { armed = true; }, true);
setInterval(() => {
    if (armed && document.activeElement === document.body) {
        window.focusLost.push(document.title);
    }
}, 10);
"""


def assert_focus_never_lost(page):
    assert page.evaluate("document.activeElement && document.activeElement !== document.body"), (
        "focus is on <body>"
    )
    lost = page.evaluate("window.focusLost.length")
    assert lost == 0, f"focus fell on <body> ({lost} × 10 ms) on {page.url}"


def assert_focus_visible(page):
    """The focused control shows a focus indicator (an outline or a box-shadow)."""
    style = page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return {outline: style.outlineStyle, width: style.outlineWidth, shadow: style.boxShadow,
                    visible: document.activeElement.matches(":focus-visible")};
        }"""
    )
    assert style["visible"], f"{focused(page)} does not match :focus-visible"
    assert (style["outline"] != "none" and style["width"] != "0px") or style["shadow"] != "none", (
        f"no visible focus on {focused(page)}: {style}"
    )


def tab_to(page, selector, *, limit=60, key="Tab"):
    """Press Tab (or `key`) until the focused element matches `selector`; the elements
    passed on the way. Focus never falls on <body> meanwhile."""
    path = []
    for _press in range(limit):
        page.keyboard.press(key)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return path
        path.append(focused(page))
    raise AssertionError(f"{selector} not reached with {key} in {limit} presses: {path}")


def record_one(page, question, *, again=False):
    """Start the question, answer before the think time ends, stop; record again
    once if `again`; keep the take. Focus follows each step."""
    begin = question.locator("[data-begin]")
    answer_now = question.locator("[data-answer-now]")
    stop = question.locator("[data-stop]")
    keep = question.locator("[data-keep]")
    expect(begin).to_be_focused()
    page.keyboard.press("Enter")
    expect(answer_now).to_be_focused()
    assert_focus_visible(page)
    expect(question.locator("[data-status]")).to_contain_text("Temps de réflexion")
    page.keyboard.press("Enter")  # the think time cut short
    expect(stop).to_be_focused()
    assert_focus_visible(page)
    page.wait_for_timeout(RECORD_FOR_MS)
    page.keyboard.press("Enter")
    expect(keep).to_be_focused(timeout=15_000)
    assert_focus_visible(page)
    expect(question.locator("[data-replay]")).to_be_visible()
    if again:
        page.keyboard.press("Tab")
        expect(question.locator("[data-again]")).to_be_focused()
        page.keyboard.press("Enter")
        expect(answer_now).to_be_focused(timeout=15_000)
        page.keyboard.press("Enter")
        expect(stop).to_be_focused()
        page.wait_for_timeout(RECORD_FOR_MS)
        page.keyboard.press("Enter")
        expect(keep).to_be_focused(timeout=15_000)
    page.keyboard.press("Enter")
    # The take joins the list; focus goes back to the question's start button.
    expect(question.locator("[data-take]")).to_have_count(1)
    expect(begin).to_be_focused()
    assert_focus_visible(page)


def video_time(video):
    return video.evaluate("v => v.currentTime")


def test_record_send_review_and_watch_with_the_keyboard_alone(
    page, base_url, home_page, seeker, counsellor, folders, worker_queues, run_jobs
):
    interview = build.interview(
        home_page, questions=build.question_set(questions=("Présentez-vous.", "Pourquoi ce poste ?"))
    )
    InterviewQuestion.objects.filter(question_set=interview.question_set).update(
        answer_seconds=ANSWER_SECONDS
    )
    page.context.grant_permissions(["camera", "microphone"], origin=base_url)
    page.add_init_script(WATCH_FOCUS)
    log_in(page, seeker.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/mon-parcours/$"))

    # The interview's page: Tab to "Record my answers", Enter.
    page.goto(interview.url)
    session_link = f"a[href='{reverse('interviews:session', args=[interview.pk])}']"
    tab_to(page, session_link)
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-interview-session][data-recorder-ready='ready']")

    # The privacy text, its link, the choice of mode and the practice are all on the
    # way to the first question.
    first = page.locator("#question-1")
    path = tab_to(page, "#question-1 [data-begin]")
    assert {
        "a[] Vérifier ma caméra, mon micro et ma connexion",
        "input[mode] video",
        "button[] Faire un essai",
    } <= set(path)
    assert_focus_visible(page)
    record_one(page, first, again=True)

    # On to the second question: past the kept take and the file form.
    second = page.locator("#question-2")
    path = tab_to(page, "#question-2 [data-begin]")
    assert path == ["button[] Supprimer la réponse 1", "summary[] Envoyer plutôt un fichier enregistré"]
    record_one(page, second)

    takes = list(Take.objects.order_by("position"))
    assert [(take.position, take.number) for take in takes] == [(1, 1), (2, 1)]
    wait_for(
        page,
        lambda: (
            ResumableUpload.objects.filter(
                target_id__in=[take.pk for take in takes], completed_at__isnull=False
            ).count()
            == 2
        ),
    )
    # A real worker measures them (then makes their MP4 renditions).
    run_jobs("feedback", "media")
    for take in takes:
        take.refresh_from_db()
        assert take.status == ProcessingStatus.READY, take.error
    expect(second.locator("[data-measures] li").first).to_be_visible(timeout=15_000)
    assert_focus_never_lost(page)

    # The way on, after the questions: the send page.
    attempt = Attempt.objects.get()
    send_url = reverse("interviews:send", args=[attempt.pk])
    expect(second.locator("[data-begin]")).to_be_focused()
    path = tab_to(page, f"a[data-send-link][href='{send_url}']")
    assert path == ["button[] Supprimer la réponse 1", "summary[] Envoyer plutôt un fichier enregistré"]
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(send_url) + "$"))

    # Each question's take: Tab to its radio, Space ticks it.
    for take in takes:
        tab_to(page, f"input[name='question_{take.position}']")
        page.keyboard.press("Space")
        assert_focus_visible(page)
        expect(page.locator(f"input[name='question_{take.position}'][value='{take.pk}']")).to_be_checked()
    # The grid: Tab into each criterion's radios, the arrows choose the level.
    criteria = list(interview.rubric.criteria.order_by("sort_order"))
    for criterion in criteria:
        tab_to(page, f"input[name='criterion_{criterion.pk}']")
        page.keyboard.press("Space")
        for _level in range(CRITERIA_LEVEL - 1):
            page.keyboard.press("ArrowDown")
        assert_focus_visible(page)
        expect(
            page.locator(f"input[name='criterion_{criterion.pk}'][value='{CRITERIA_LEVEL}']")
        ).to_be_checked()
    tab_to(page, "textarea[name='notes']")
    page.keyboard.type("Plus à l'aise à la deuxième question.")
    tab_to(page, "button[value='send']")
    assert_focus_visible(page)
    assert_focus_never_lost(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(attempt.seeker_url()) + "$"))
    attempt.refresh_from_db()
    assert attempt.is_sent and attempt.notes == "Plus à l'aise à la deuxième question."
    assert attempt.self_assessment == {str(criterion.pk): CRITERIA_LEVEL for criterion in criteria}
    assert set(attempt.takes.filter(chosen=True)) == set(takes)

    # The counsellor reviews, by keyboard.
    page.context.clear_cookies()
    log_in(page, counsellor.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/portefeuille/"))
    page.goto(attempt.review_url())
    expect(page.locator(".review-help")).to_contain_text(
        "Il ne fait rien pendant que vous écrivez dans un champ."
    )
    answer = page.locator("[data-review-answer]").first
    video = answer.locator("video")
    page.wait_for_function("v => v.readyState >= 1", arg=video.element_handle())
    tab_to(page, "#question-1 video")
    page.keyboard.press("Space")  # plays
    page.wait_for_function("v => !v.paused && v.currentTime > 1.2", arg=video.element_handle())

    # The shortcut pauses the video and takes the focus to its comment box, time filled in.
    page.keyboard.press("Alt+Shift+KeyC")
    text = answer.locator("[data-comment-text]")
    at = answer.locator("[data-comment-at]")
    expect(text).to_be_focused()
    assert_focus_visible(page)
    assert video.evaluate("v => v.paused")
    paused_at = video_time(video)
    expect(at).to_have_value(reviews.format_time(paused_at))
    page.keyboard.type("Regardez la caméra ici.")
    # Shift+Tab reaches the time (to correct it), Tab comes back to the text.
    page.keyboard.press("Shift+Tab")
    expect(at).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Tab")
    expect(text).to_be_focused()
    # The shortcut does nothing while the counsellor types.
    page.keyboard.press("Alt+Shift+KeyC")
    expect(text).to_be_focused()
    expect(text).to_have_value("Regardez la caméra ici.")
    page.keyboard.press("Tab")
    expect(answer.get_by_role("button", name="Ajouter le commentaire")).to_be_focused()
    page.keyboard.press("Enter")
    expect(answer.locator("[data-comment-list] li")).to_have_count(1)
    expect(text).to_be_focused()  # ready for the next comment
    expect(text).to_have_value("")
    first_comment = ReviewComment.objects.get()
    assert first_comment.at_seconds == int(paused_at) >= 1

    # The second answer: play it, then Tab to its comment box (the video pauses, the
    # time is filled in), type, and the button adds it.
    second_answer = page.locator("[data-review-answer]").nth(1)
    second_video = second_answer.locator("video")
    tab_to(page, "#question-2 video")
    page.keyboard.press("Space")
    page.wait_for_function("v => !v.paused && v.currentTime > 1.2", arg=second_video.element_handle())
    second_text = second_answer.locator("[data-comment-text]")
    tab_to(page, "#question-2 [data-comment-text]")
    assert second_video.evaluate("v => v.paused")
    second_at = video_time(second_video)
    expect(second_answer.locator("[data-comment-at]")).to_have_value(reviews.format_time(second_at))
    page.keyboard.type("Bonne conclusion.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(second_answer.locator("[data-comment-list] li")).to_have_count(1)
    expect(second_text).to_be_focused()
    assert ReviewComment.objects.count() == 2

    # The grid, the advice, the decision, by keyboard; the review is saved.
    for criterion in criteria:
        tab_to(page, f"input[name='score_{criterion.pk}']")
        page.keyboard.press("Space")
        for _level in range(SCORE_LEVEL - 1):
            page.keyboard.press("ArrowDown")
        assert_focus_visible(page)
    tab_to(page, "textarea[name='advice']")
    page.keyboard.type("Travaillez le regard caméra.")
    page.keyboard.press("Alt+Shift+KeyC")  # typing: the shortcut leaves the focus here
    expect(page.locator("textarea[name='advice']")).to_be_focused()
    tab_to(page, "input[name='decision']")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # "Practise again"
    expect(page.locator(f"input[name='decision'][value='{Decision.PRACTISE_AGAIN}']")).to_be_checked()
    tab_to(page, "section.panel--highlight form p.actions button[type='submit']")
    assert_focus_visible(page)
    assert_focus_never_lost(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/portefeuille/"))
    review = reviews.given_review(attempt)
    assert review.decision == Decision.PRACTISE_AGAIN and review.advice == "Travaillez le regard caméra."
    assert review.scores == {str(criterion.pk): SCORE_LEVEL for criterion in criteria}

    # The seeker opens the attempt from the interview's page; a comment's time takes their video there.
    page.context.clear_cookies()
    log_in(page, seeker.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/mon-parcours/$"))
    page.goto(interview.url)
    tab_to(page, f"a[href='{attempt.seeker_url()}']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(attempt.seeker_url()) + "$"))
    mine = page.locator("[data-review-answer]").first
    their_video = mine.locator("video")
    page.wait_for_function("v => v.readyState >= 1", arg=their_video.element_handle())
    assert video_time(their_video) == 0
    tab_to(page, "#question-1 [data-comment-list] button[data-seek]")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"v => Math.abs(v.currentTime - {first_comment.at_seconds}) < 0.01", arg=their_video.element_handle()
    )
    expect(page.locator("[data-review-status]")).to_have_text(re.compile(r"Vidéo placée à \d:\d\d"))
    assert_focus_never_lost(page)
