"""The counsellor's review of a mock interview in Chromium: they play an answer, go to
the comment box (the video pauses, the time is filled in), add a comment (it joins the
list and the timeline), the keyboard shortcut does the same, and a comment's time seeks
the video. Then the seeker reads the review and their click seeks their video too.
axe-core finds no serious violation on either page."""

import re
import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from interviews import reviews
from interviews.models import Attempt, ReviewComment
from tests.e2e.conftest import assert_no_serious_axe_violations, log_in
from tests.factories import SeekerFactory
from tests.factories import interviews as build
from tests.factories.accounts import PASSWORD
from tests.factories.interview_reviews import processed

SECONDS = 8


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    root = tmp_path / "private"
    root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = str(root)
    return root


@pytest.fixture(scope="module")
def answer_mp4(tmp_path_factory):
    """An 8-second H.264/AAC MP4 (moov first) of a test pattern and a tone, as the
    rendition job makes it: small, seekable."""
    path = tmp_path_factory.mktemp("review") / "answer.mp4"
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-nostdin", "-y",
            "-f", "lavfi", "-i", f"testsrc2=s=320x240:r=15:d={SECONDS}",
            "-f", "lavfi", "-i", f"sine=f=440:d={SECONDS}:sample_rate=48000",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "48k", "-shortest", "-movflags", "+faststart", str(path),
        ],
        check=True,
        timeout=120,
    )  # fmt: skip
    return path


@pytest.fixture
def sent(home_page, counsellor, answer_mp4):
    seeker = SeekerFactory(counsellor=counsellor)
    interview = build.interview(home_page)
    attempt = Attempt.objects.start(seeker, interview)
    for question in interview.questions():
        processed(build.record(attempt, question), rendition=answer_mp4, duration=float(SECONDS), speaking=6)
    build.send(attempt)
    return attempt


def video_time(video):
    return video.evaluate("v => v.currentTime")


def test_the_counsellor_comments_at_a_time_and_the_seeker_seeks_there(page, counsellor, sent):
    log_in(page, counsellor.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/portefeuille/"))
    page.goto(sent.review_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Relire")
    assert_no_serious_axe_violations(page)

    answer = page.locator("[data-review-answer]").first
    video = answer.locator("video")
    page.wait_for_function("v => v.readyState >= 1", arg=video.element_handle())
    # Play (muted: no user gesture needed), then let it run past 2 s.
    video.evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function("v => v.currentTime > 2.2", arg=video.element_handle())

    text = answer.get_by_label("Votre commentaire à ce moment")
    text.click()
    assert video.evaluate("v => v.paused")  # the box's focus paused it
    paused_at = video_time(video)
    at = answer.get_by_label("Moment (minutes:secondes)")
    expect(at).to_have_value(reviews.format_time(paused_at))
    text.fill("Regardez la caméra ici.")
    answer.get_by_role("button", name="Ajouter le commentaire").click()

    item = answer.locator("[data-comment-list] li")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Regardez la caméra ici.")
    expect(answer.locator(".review-timeline__marker")).to_have_count(1)
    expect(page.locator("[data-review-status]")).to_have_text(re.compile(r"Commentaire ajouté à \d:\d\d"))
    comment = ReviewComment.objects.get()
    assert comment.at_seconds == int(paused_at)
    assert comment.take == sent.takes.get(position=1)

    # The comment's time takes the video back there.
    video.evaluate("v => { v.currentTime = 6; }")
    item.get_by_role("button", name=re.compile("Regarder à partir de")).click()
    page.wait_for_function(
        f"v => Math.abs(v.currentTime - {comment.at_seconds}) < 0.01", arg=video.element_handle()
    )
    # So does its marker on the timeline.
    video.evaluate("v => { v.currentTime = 6; }")
    answer.locator(".review-timeline__marker").click()
    page.wait_for_function(
        f"v => Math.abs(v.currentTime - {comment.at_seconds}) < 0.01", arg=video.element_handle()
    )

    # The shortcut: Alt+Shift+C pauses the video watched and goes to its comment box.
    video.evaluate("v => { v.currentTime = 4.5; return v.play(); }")
    page.wait_for_function("v => v.currentTime > 5", arg=video.element_handle())
    page.keyboard.press("Alt+Shift+KeyC")
    expect(text).to_be_focused()
    assert video.evaluate("v => v.paused")
    expect(at).to_have_value(reviews.format_time(video_time(video)))

    # The seeker, once the review is given, clicks the same comment.
    reviews.give(sent, counsellor, scores={}, advice="Bonne énergie.", decision="practise")
    page.context.clear_cookies()
    log_in(page, sent.seeker.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/mon-parcours/$"))
    page.goto(sent.seeker_url())
    expect(
        page.get_by_role("heading", name="La relecture de votre conseillère ou conseiller")
    ).to_be_visible()
    assert_no_serious_axe_violations(page)
    mine = page.locator("[data-review-answer]").first
    their_video = mine.locator("video")
    page.wait_for_function("v => v.readyState >= 1", arg=their_video.element_handle())
    mine.get_by_role("button", name=re.compile("Regarder à partir de")).click()
    page.wait_for_function(
        f"v => Math.abs(v.currentTime - {comment.at_seconds}) < 0.01", arg=their_video.element_handle()
    )
    expect(mine.locator(".review-timeline__marker")).to_have_count(1)


def test_the_seeker_assesses_themself_and_sends_with_the_keyboard(page, counsellor, home_page, answer_mp4):
    seeker = SeekerFactory(counsellor=counsellor)
    interview = build.interview(home_page)
    attempt = Attempt.objects.start(seeker, interview)
    for question in interview.questions():
        for _take in range(2):
            processed(
                build.record(attempt, question), rendition=answer_mp4, duration=float(SECONDS), speaking=6
            )
    log_in(page, seeker.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/mon-parcours/$"))
    page.goto(reverse("interviews:send", args=[attempt.pk]))
    assert_no_serious_axe_violations(page)

    # Sending with nothing chosen: the errors are listed, and focus can reach them.
    page.get_by_role("button", name="Envoyer à ma conseillère ou mon conseiller").press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Choisissez la réponse que vous envoyez pour la question 1.")
    assert_no_serious_axe_violations(page)

    # Choose the second take of each question and a level per criterion, keys only.
    for position in (1, 2, 3):
        page.get_by_label("Envoyer la prise 2").nth(position - 1).focus()
        page.keyboard.press("Space")
    for criterion in interview.rubric.criteria.all():
        page.locator(f"input[name='criterion_{criterion.pk}'][value='3']").focus()
        page.keyboard.press("Space")
    page.get_by_label("Mes notes").fill("Je me suis senti plus à l'aise.")
    page.get_by_role("button", name="Envoyer à ma conseillère ou mon conseiller").press("Enter")

    expect(page).to_have_url(re.compile(rf"/mes-entretiens/essais/{attempt.pk}/$"))
    expect(page.get_by_role("main")).to_contain_text("Envoyé le")
    attempt.refresh_from_db()
    assert attempt.is_sent
    assert sorted(attempt.takes.filter(chosen=True).values_list("position", "number")) == [
        (1, 2),
        (2, 2),
        (3, 2),
    ]
    assert_no_serious_axe_violations(page)
    page.goto(reverse("interviews:history", args=[interview.pk]))
    expect(page.get_by_role("table")).to_contain_text("Essai 1")
    assert_no_serious_axe_violations(page)
