"""The recording session in Chromium with its fake camera and microphone: the seeker
opens an interview's session, answers a question with the keyboard alone (think time
cut short, recording stopped by the timer at the question's maximum), records it again,
keeps the answer;
its pieces go through the real tus endpoint, a real RQ worker measures it, and the
measures' sentences appear on the page. axe-core finds no serious violation. Also: an
upload cut by the network resumes after a reload; the practice recording never leaves
the browser; audio only; the file form without MediaRecorder; and a microphone that
plays a WAV of known speech and silence (a second Chromium), whose pause is measured
within 0.25 s."""

import time

import django_rq
import pytest
from django.urls import reverse

from core.models import ResumableUpload
from interviews import jobs, recordings, submissions
from interviews.models import InterviewQuestion, Take
from media.models import ProcessingStatus
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, assert_no_serious_axe_violations, log_in
from tests.factories import interviews as build
from tests.media.conftest import PHRASES, ffmpeg, speech

ANSWER_SECONDS = 3


@pytest.fixture
def feedback_queue(queues):
    queue = django_rq.get_queue("feedback")
    queue.connection.flushdb()
    queues["feedback"] = queue
    yield queue
    queue.empty()


def wait_for(page, predicate, timeout=20):
    """Until `predicate()` holds, letting Playwright work meanwhile (its sync API runs
    route handlers and events only inside its own calls)."""
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if predicate():
            return True
        page.wait_for_timeout(200)
    raise AssertionError("Timed out")


def test_the_seeker_records_keeps_and_reads_the_measures(
    page, base_url, home_page, seeker, password, folders, feedback_queue, run_jobs
):
    interview = build.interview(home_page)
    # A short answer (the editor's form requires 15 s at least): the timer stops it.
    InterviewQuestion.objects.filter(question_set=interview.question_set).update(
        answer_seconds=ANSWER_SECONDS
    )
    page.context.grant_permissions(["camera", "microphone"], origin=base_url)
    log_in(page, seeker.email, password)
    page.goto(reverse("interviews:session", args=[interview.pk]))
    page.wait_for_selector("[data-interview-session][data-recorder-ready='ready']")
    assert_no_serious_axe_violations(page)

    question = page.locator("#question-1")
    begin = question.get_by_role("button", name="Commencer : temps de réflexion")
    begin.focus()
    page.keyboard.press("Enter")
    answer_now = question.get_by_role("button", name="Répondre maintenant")
    answer_now.wait_for()
    # The countdown is said when it starts, then every 10 seconds and in the last 5 only.
    status = question.locator("[data-status]")
    assert status.inner_text() == "Temps de réflexion : encore 30 secondes."
    page.wait_for_timeout(1500)
    assert status.inner_text() == "Temps de réflexion : encore 30 secondes."
    assert question.locator("[data-timer]").get_attribute("aria-hidden") == "true"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Répondre maintenant"
    page.keyboard.press("Enter")
    # The timer stops the recording at the maximum; focus goes to "keep".
    keep = question.get_by_role("button", name="Garder cette réponse")
    keep.wait_for(timeout=ANSWER_SECONDS * 1000 + 5000)
    assert status.inner_text() == "Enregistrement arrêté. Revoyez-le, puis gardez-le ou recommencez."
    assert page.evaluate("document.activeElement.textContent.trim()") == "Garder cette réponse"
    first = Take.objects.get()

    # Record again: the first take and its upload are deleted, the think time starts over.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Recommencer"
    page.keyboard.press("Enter")
    answer_now.wait_for()
    wait_for(page, lambda: not Take.objects.filter(pk=first.pk).exists())
    assert not ResumableUpload.objects.filter(target_id=first.pk).exists()
    page.keyboard.press("Enter")  # focus is on "answer now"
    keep.wait_for(timeout=ANSWER_SECONDS * 1000 + 5000)
    page.keyboard.press("Enter")  # focus is on "keep"

    take = Take.objects.get()
    assert (take.position, take.number) == (1, 1)
    wait_for(
        page, lambda: ResumableUpload.objects.filter(target_id=take.pk, completed_at__isnull=False).exists()
    )
    upload = ResumableUpload.objects.get(target_id=take.pk, purpose=recordings.PURPOSE)
    assert upload.length > 1000

    # The real worker: copy, remux, measure (the deleted take's job, if its upload
    # completed before "record again", finds nothing to do).
    run_jobs("feedback")
    take.refresh_from_db()
    assert take.status == ProcessingStatus.READY, take.error
    assert take.duration == pytest.approx(ANSWER_SECONDS, abs=1.0)

    # The page polls the take's status and shows the measures in words.
    measures = question.locator("[data-measures] li")
    measures.first.wait_for()
    assert measures.all_inner_texts() == jobs.describe(take)
    assert "Votre réponse est mesurée." in status.inner_text()
    assert_no_serious_axe_violations(page)


def test_a_recording_whose_upload_was_cut_resumes_after_a_reload(
    page, base_url, home_page, seeker, password, folders, feedback_queue, run_jobs
):
    interview = build.interview(home_page)
    InterviewQuestion.objects.filter(question_set=interview.question_set).update(
        answer_seconds=ANSWER_SECONDS
    )
    page.context.grant_permissions(["camera", "microphone"], origin=base_url)
    log_in(page, seeker.email, password)
    cut = {"network": True}

    def route(request_route):
        if request_route.request.method == "PATCH" and cut["network"]:
            request_route.abort("internetdisconnected")
        else:
            request_route.continue_()

    page.route("**/envois/**", route)
    page.goto(reverse("interviews:session", args=[interview.pk]))
    page.wait_for_selector("[data-interview-session][data-recorder-ready='ready']")
    question = page.locator("#question-1")
    question.get_by_role("button", name="Commencer : temps de réflexion").click()
    question.get_by_role("button", name="Répondre maintenant").click()
    question.get_by_role("button", name="Garder cette réponse").wait_for(timeout=ANSWER_SECONDS * 1000 + 5000)
    take = Take.objects.get()
    upload = ResumableUpload.objects.get(target_id=take.pk)
    assert upload.offset == 0  # nothing reached the server

    # The page is reloaded before anything was sent: the pieces kept in IndexedDB go now.
    page.reload()
    page.wait_for_selector("[data-interview-session][data-recorder-ready='ready']")
    status = page.locator("#question-1 [data-status]")
    assert (
        status.inner_text() == "Une réponse pas encore envoyée a été retrouvée : elle est envoyée maintenant."
    )
    cut["network"] = False
    wait_for(
        page, lambda: ResumableUpload.objects.filter(pk=upload.pk, completed_at__isnull=False).exists(), 40
    )
    upload.refresh_from_db()
    assert upload.offset == upload.length > 1000
    # The page lets go of the pieces once the server's answer reaches it, a moment after
    # the completion commits.
    pending = (
        "async () => (await (await import('/static/js/resumable-upload.js')).ChunkStore.open()).pending()"
    )
    wait_for(page, lambda: page.evaluate(pending) == [], 10)

    run_jobs("feedback")
    take.refresh_from_db()
    assert take.status == ProcessingStatus.READY, take.error  # the whole recording, readable
    assert take.duration == pytest.approx(ANSWER_SECONDS, abs=1.0)
    page.locator("#question-1 [data-measures] li").first.wait_for()


def test_the_practice_question_is_never_sent_and_audio_only_records_no_picture(
    page, base_url, home_page, seeker, password, folders, feedback_queue, run_jobs
):
    interview = build.interview(home_page)
    InterviewQuestion.objects.filter(question_set=interview.question_set).update(
        answer_seconds=ANSWER_SECONDS
    )
    page.context.grant_permissions(["camera", "microphone"], origin=base_url)
    log_in(page, seeker.email, password)
    sent = []
    page.on("request", lambda request: sent.append(request.url) if "/envois/" in request.url else None)
    page.goto(reverse("interviews:session", args=[interview.pk]))
    page.wait_for_selector("[data-interview-session][data-recorder-ready='ready']")

    page.get_by_role("button", name="Faire un essai").click()
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Arrêter le test").click()
    replay = page.locator("[data-practice-replay]")
    replay.wait_for()
    assert page.evaluate("document.querySelector('[data-practice-replay]').src").startswith("blob:")
    assert not Take.objects.exists() and not ResumableUpload.objects.exists() and sent == []

    page.get_by_label("Micro seulement (sans image)").check()
    question = page.locator("#question-2")
    question.get_by_role("button", name="Commencer : temps de réflexion").click()
    question.get_by_role("button", name="Répondre maintenant").click()
    question.get_by_role("button", name="Garder cette réponse").wait_for(timeout=ANSWER_SECONDS * 1000 + 5000)
    assert not question.locator("[data-preview]").is_visible()
    question.get_by_role("button", name="Garder cette réponse").click()
    take = Take.objects.get()
    assert take.position == 2
    wait_for(
        page, lambda: ResumableUpload.objects.filter(target_id=take.pk, completed_at__isnull=False).exists()
    )
    run_jobs("feedback")
    take.refresh_from_db()
    assert take.status == ProcessingStatus.READY, take.error
    assert take.remuxed.name.endswith(".webm") and take.measures["has_audio"] is True
    question.locator("[data-measures] li").first.wait_for()


def test_without_mediarecorder_the_seeker_sends_a_file(
    page, home_page, seeker, password, folders, feedback_queue, tmp_path
):
    interview = build.interview(home_page)
    answer = tmp_path / "VID_2026.webm"
    ffmpeg("-f", "lavfi", "-i", "sine=f=330:d=1:sample_rate=48000", "-c:a", "libopus", answer)
    page.add_init_script("delete window.MediaRecorder;")
    log_in(page, seeker.email, password)
    page.goto(reverse("interviews:session", args=[interview.pk]))
    assert page.locator("[data-unsupported]").is_visible()
    assert not page.get_by_role("button", name="Commencer : temps de réflexion").first.is_visible()
    question = page.locator("#question-1")
    question.get_by_label(
        "Votre réponse, enregistrée avec votre téléphone ou votre ordinateur"
    ).set_input_files(str(answer))
    question.get_by_role("button", name="Envoyer ce fichier").click()
    page.wait_for_url("**#question-1")
    assert "Votre réponse est envoyée." in page.locator("main").inner_text()
    take = Take.objects.get()
    assert take.position == 1 and take.recording
    assert feedback_queue.get_job_ids() == [jobs.feedback_job_id(take.pk)]
    assert page.locator(f"[data-take-id='{take.pk}']").is_visible()


# ---------------------------------------------------------------------------
# A microphone that says a known answer
# ---------------------------------------------------------------------------
PAUSE = 2.6  # seconds of silence between the two phrases


@pytest.fixture
def spoken_wav(tmp_path):
    """Two phrases said by espeak-ng with PAUSE seconds of silence between them and 3 s
    after: what the fake microphone plays once (16-bit PCM, as Chromium reads it)."""
    (one, first), (two, second) = (
        speech(tmp_path / f"phrase-{n}.wav", text) for n, text in enumerate(PHRASES[:2])
    )
    path = tmp_path / "answer.wav"
    graph = (
        "[0:a]aresample=48000,aformat=channel_layouts=mono[a0];"
        "[1:a]aresample=48000,aformat=channel_layouts=mono[a1];"
        "[2:a]aresample=48000,aformat=channel_layouts=mono[a2];"
        "[3:a]aresample=48000,aformat=channel_layouts=mono[a3];"
        "[a0][a1][a2][a3]concat=n=4:v=0:a=1"
    )
    ffmpeg(
        "-i", one, "-f", "lavfi", "-i", f"aevalsrc=0:s=48000:d={PAUSE}", "-i", two,
        "-f", "lavfi", "-i", "aevalsrc=0:s=48000:d=3", "-filter_complex", graph, "-c:a", "pcm_s16le", path,
    )  # fmt: skip
    return path, first + PAUSE + second


@pytest.fixture
def speaking_page(browser, base_url, spoken_wav):
    """A page of a Chromium whose microphone plays `spoken_wav` once."""
    speaking = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={spoken_wav[0]}%noloop"],
    )
    context = speaking.new_context(base_url=base_url, locale="fr-FR", viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    context.grant_permissions(["camera", "microphone"], origin=base_url)
    yield context.new_page()
    speaking.close()


def test_the_measures_match_what_the_microphone_said(
    speaking_page, spoken_wav, home_page, seeker, password, folders, feedback_queue, run_jobs
):
    page = speaking_page
    _wav, speech_end = spoken_wav
    interview = build.interview(home_page)
    answer = round(speech_end) + 3
    InterviewQuestion.objects.filter(question_set=interview.question_set).update(answer_seconds=answer)
    log_in(page, seeker.email, password)
    page.goto(reverse("interviews:session", args=[interview.pk]))
    page.wait_for_selector("[data-interview-session][data-recorder-ready='ready']")
    page.get_by_label("Micro seulement (sans image)").check()
    question = page.locator("#question-1")
    # The fake microphone starts playing when it opens (at "start"): answer straight away.
    question.get_by_role("button", name="Commencer : temps de réflexion").click()
    question.get_by_role("button", name="Répondre maintenant").click()
    question.get_by_role("button", name="Garder cette réponse").click(timeout=answer * 1000 + 5000)
    take = Take.objects.get()
    wait_for(
        page, lambda: ResumableUpload.objects.filter(target_id=take.pk, completed_at__isnull=False).exists()
    )
    run_jobs("feedback")
    take.refresh_from_db()
    assert take.status == ProcessingStatus.READY, take.error

    found = submissions.delivery_measures(take.measures)
    [pause] = found.pauses
    assert pause.duration == pytest.approx(PAUSE, abs=0.25)
    assert [round(long.duration, 1) for long in found.long_pauses] == [round(pause.duration, 1)]
    sentences = question.locator("[data-measures] li")
    sentences.first.wait_for()
    assert sentences.all_inner_texts() == jobs.describe(take)
    assert sentences.nth(2).inner_text().startswith("1 silence de plus de 2\xa0secondes")
