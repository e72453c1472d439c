"""The seeker's recording session through Django's client: a take started for a question
of the page's set, its recording sent through the real tus endpoint in pieces, the
feedback job (real RQ, real ffmpeg) run, the status polled (conditional), the take
deleted with its files; the file form for devices without MediaRecorder."""

from pathlib import Path

import django_rq
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import resumable
from core.models import ResumableUpload
from interviews import recordings
from interviews.jobs import feedback_job_id, reconcile_stuck_takes
from interviews.models import Attempt, InterviewQuestion, Take
from media.models import ProcessingStatus
from tests.factories import interviews as build

TUS = {"Tus-Resumable": "1.0.0"}
PIECE = 64 * 1024


@pytest.fixture(autouse=True)
def folders(settings, tmp_path):
    settings.RESUMABLE_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.MEDIA_PROCESSING = {**settings.MEDIA_PROCESSING, "WORK_DIR": str(tmp_path / "work")}
    return tmp_path


@pytest.fixture
def feedback_queue(queues):
    """The "feedback" queue, known to `run_jobs`, on an empty Redis database: no job,
    retry or attempt count left under the same take ids by an earlier test."""
    queue = django_rq.get_queue("feedback")
    queue.connection.flushdb()
    queues["feedback"] = queue
    yield queue
    queue.empty()


@pytest.fixture
def seeker_client(client, seeker):
    client.force_login(seeker)
    return client


@pytest.fixture
def run_all(run_jobs, feedback_queue, django_capture_on_commit_callbacks):
    """Run the feedback jobs, then the renditions they queued after their commit."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            ran = run_jobs("feedback")
        return ran + run_jobs("media")

    return run


def start(client, page, question):
    return client.post(reverse("interviews:take_start", args=[page.pk, question.pk]))


def send(client, upload_url, data, capture):
    """The recording in pieces, as the browser sends them; the length with the last."""
    offset = 0
    while offset < len(data):
        piece = data[offset : offset + PIECE]
        last = offset + len(piece) == len(data)
        headers = {**TUS, "Upload-Offset": str(offset)}
        if last:
            headers["Upload-Length"] = str(len(data))
        with capture(execute=True):
            response = client.patch(
                upload_url, data=piece, content_type=resumable.CONTENT_TYPE, headers=headers
            )
        assert response.status_code == 204, response.content
        offset += len(piece)


def record_through_client(client, page, question, path, capture):
    response = start(client, page, question)
    assert response.status_code == 201
    data = response.json()
    send(client, data["upload_url"], Path(path).read_bytes(), capture)
    return Take.objects.get(pk=data["id"]), data


def stored_files(root):
    return sorted(path.name for path in Path(root).rglob("*") if path.is_file())


def test_the_session_page_says_who_sees_the_videos_and_links_the_device_check(
    seeker_client, interview, settings
):
    settings.INTERVIEW_RETENTION_DAYS = 90
    response = seeker_client.get(reverse("interviews:session", args=[interview.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vos enregistrements sont privés : vous seul ou seule les voyez." in html
    assert "Les enregistrements sont conservés 90 jours, puis supprimés automatiquement" in html
    assert f'href="{reverse("device_check")}"' in html
    assert html.count('accept="video/*,audio/*" capture="user"') == 3  # one file form per question
    assert html.count('<h2 id="question-') == 3 and "Présentez-vous." in html
    assert "no-store" in response["Cache-Control"]
    assert not Attempt.objects.exists()  # opening the page starts nothing


def test_the_recorder_sends_pieces_as_large_as_the_endpoint_takes(seeker_client, interview, settings):
    settings.RESUMABLE_UPLOAD_CHUNK_MAX_BYTES = 3 * 1024 * 1024
    response = seeker_client.get(reverse("interviews:session", args=[interview.pk]))
    assert 'data-upload-piece-bytes="3145728"' in response.content.decode()


def test_the_overview_links_to_the_session(seeker_client, interview):
    response = seeker_client.get(interview.url)
    assert reverse("interviews:session", args=[interview.pk]) in response.content.decode()


def test_starting_a_take_creates_it_and_its_upload(seeker_client, seeker, interview):
    second = list(interview.questions())[1]
    first = seeker_client.post(reverse("interviews:take_start", args=[interview.pk, second.pk]))
    again = seeker_client.post(reverse("interviews:take_start", args=[interview.pk, second.pk]))

    assert first.status_code == again.status_code == 201
    take = Take.objects.get(pk=first.json()["id"])
    assert (take.position, take.number, take.question, take.question_text) == (2, 1, second, second.text)
    assert Take.objects.get(pk=again.json()["id"]).number == 2
    assert (
        take.attempt.seeker == seeker and take.attempt.number == 1 and take.status == ProcessingStatus.PENDING
    )
    upload = ResumableUpload.objects.get(target_id=take.pk)
    assert (upload.owner, upload.purpose, upload.length) == (seeker, recordings.PURPOSE, None)
    assert first.json()["upload_url"] == upload.url
    assert first.json()["max_seconds"] == second.answer_seconds
    assert first.json()["status_url"] == reverse("interviews:take_status", args=[take.pk])
    assert first.json()["send_url"] == reverse("interviews:send", args=[take.attempt_id])
    # Once the attempt exists, the session leads on to the send page.
    page = seeker_client.get(reverse("interviews:session", args=[interview.pk])).content.decode()
    assert f'href="{reverse("interviews:send", args=[take.attempt_id])}" data-send-link' in page


def test_a_question_of_another_set_is_refused(seeker_client, interview, home_page):
    other = build.interview(home_page, "Vendeur", questions=build.question_set("Autre", ("Et vous ?",)))
    foreign = other.questions().get()
    response = seeker_client.post(reverse("interviews:take_start", args=[interview.pk, foreign.pk]))
    assert response.status_code == 404
    assert not Take.objects.exists() and not ResumableUpload.objects.exists()


def test_after_the_attempt_is_sent_a_new_take_opens_the_next_attempt(seeker_client, seeker, interview):
    sent = build.send(build.started(seeker, interview))
    question = interview.questions().first()
    take = Take.objects.get(pk=start(seeker_client, interview, question).json()["id"])
    assert take.attempt != sent and take.attempt.number == 2


def test_a_recording_sent_in_pieces_is_measured_then_rendered(
    seeker_client, interview, answer_with_pauses, run_all, feedback_queue, private_root,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    question = interview.questions().first()
    take, urls = record_through_client(
        seeker_client, interview, question, answer_with_pauses.path, django_capture_on_commit_callbacks
    )
    assert feedback_queue.get_job_ids() == [feedback_job_id(take.pk)]  # queued once complete
    pending = seeker_client.get(urls["status_url"]).json()
    assert pending["status"] == "pending" and pending["sentences"] == []

    assert run_all() == 2  # feedback, then the rendition

    take.refresh_from_db()
    assert take.status == ProcessingStatus.READY and take.error == ""
    assert take.duration == pytest.approx(answer_with_pauses.duration, abs=0.3)
    assert len(take.measures["pauses"]) == 3
    assert take.recording.name.endswith(".webm") and take.remuxed.name.endswith(".webm")
    assert take.rendition.name.endswith(".m4a") and not take.poster  # an answer without camera
    assert not ResumableUpload.objects.exists()  # the upload's bytes are gone
    assert set(stored_files(private_root)) == {Path(name).name for name in take.stored_names()}

    response = seeker_client.get(urls["status_url"])
    data = response.json()
    assert data["status"] == "ready"
    assert data["video_url"] == take.remuxed.url
    # The pauses of 2.5 s and 3.2 s are over the 2-second threshold, the 0.8 s one is not.
    assert data["sentences"][0].startswith("Vous avez parlé ")
    assert data["sentences"][1] == "Vous avez commencé à parler au bout de 1,5\xa0s."
    assert data["sentences"][2].startswith("2 silences de plus de 2\xa0secondes, le plus long de 3,")
    # Polled again without change: 304, no body.
    unchanged = seeker_client.get(urls["status_url"], headers={"If-None-Match": response["ETag"]})
    assert unchanged.status_code == 304 and unchanged.content == b""


def test_a_video_recording_gets_an_mp4_and_a_poster(
    seeker_client, interview, browser_webm, run_all, django_capture_on_commit_callbacks
):
    take, _urls = record_through_client(
        seeker_client,
        interview,
        interview.questions().first(),
        browser_webm,
        django_capture_on_commit_callbacks,
    )
    run_all()
    take.refresh_from_db()
    assert take.status == ProcessingStatus.READY
    assert take.rendition.name.endswith(".mp4") and take.poster.name.endswith(".jpg")
    assert take.measures["has_audio"] is True


def test_status_of_another_seekers_take_is_404(client, other_seeker, seeker, interview):
    take = build.record(build.started(seeker, interview, takes=0), interview.questions().first())
    client.force_login(other_seeker)
    assert client.get(reverse("interviews:take_status", args=[take.pk])).status_code == 404
    assert client.post(reverse("interviews:take_delete", args=[take.pk])).status_code == 404
    assert Take.objects.filter(pk=take.pk).exists()


def test_deleting_a_take_removes_its_files_and_its_upload_after_commit(
    seeker_client, seeker, interview, private_root, django_capture_on_commit_callbacks
):
    attempt = Attempt.objects.start(seeker, interview)
    take = build.record(attempt, interview.questions().first())
    resumable.start(seeker, recordings.PURPOSE, take.pk)
    assert stored_files(private_root)

    with django_capture_on_commit_callbacks(execute=True):
        response = seeker_client.post(
            reverse("interviews:take_delete", args=[take.pk]), headers={"X-Requested-With": "fetch"}
        )

    assert response.status_code == 200 and response.json() == {"deleted": take.pk}
    assert not Take.objects.exists() and not ResumableUpload.objects.exists()
    assert stored_files(private_root) == []


def test_the_rule_deletes_only_the_seekers_own_take(seeker, other_seeker, interview):
    take = build.record(Attempt.objects.start(seeker, interview), interview.questions().first())
    with pytest.raises(Take.DoesNotExist):
        recordings.delete_take(other_seeker, take)
    assert Take.objects.filter(pk=take.pk).exists()
    assert recordings.delete_take(seeker, take).number == 1
    assert not Take.objects.filter(pk=take.pk).exists()


def test_deleting_from_the_page_goes_back_to_the_question(seeker_client, seeker, interview):
    take = build.record(Attempt.objects.start(seeker, interview), list(interview.questions())[2])
    response = seeker_client.post(reverse("interviews:take_delete", args=[take.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("interviews:session", args=[interview.pk]) + "#question-3"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/mes-entretiens/essais/1/#takes-title", "/mes-entretiens/essais/1/#takes-title"),
        ("https://ailleurs.example/piege/", None),  # another site: the default instead
        ("//ailleurs.example/", None),
        ("", None),
    ],
)
def test_a_form_goes_back_to_its_safe_next_with_a_message(seeker_client, seeker, interview, given, expected):
    take = build.record(Attempt.objects.start(seeker, interview), list(interview.questions())[1])
    response = seeker_client.post(reverse("interviews:take_delete", args=[take.pk]), {"next": given})
    default = reverse("interviews:session", args=[interview.pk]) + "#question-2"
    assert response.status_code == 302 and response["Location"] == (expected or default)
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "La prise 1 de la question 2 a été supprimée."
    ]
    assert not Take.objects.filter(pk=take.pk).exists()


def test_the_pages_forms_post_to_the_one_delete_url_with_their_next(seeker_client, seeker, interview):
    attempt = Attempt.objects.start(seeker, interview)
    take = build.record(attempt, interview.questions().first())
    action = f'action="{reverse("interviews:take_delete", args=[take.pk])}"'
    session = seeker_client.get(reverse("interviews:session", args=[interview.pk])).content.decode()
    assert action in session
    assert f'name="next" value="{reverse("interviews:session", args=[interview.pk])}#question-1"' in session
    detail = seeker_client.get(attempt.seeker_url()).content.decode()
    assert action in detail
    assert f'name="next" value="{attempt.seeker_url()}#takes-title"' in detail


def test_a_file_sent_with_the_form_goes_through_the_same_job(
    seeker_client, interview, browser_webm, run_all, django_capture_on_commit_callbacks
):
    question = interview.questions().first()
    upload = SimpleUploadedFile("VID_2026.webm", Path(browser_webm).read_bytes(), content_type="video/webm")
    with django_capture_on_commit_callbacks(execute=True):
        response = seeker_client.post(
            reverse("interviews:take_send_file", args=[interview.pk, question.pk]), {"recording": upload}
        )
    assert response.status_code == 302
    take = Take.objects.get()
    assert take.recording.name.endswith(".webm") and "VID_2026" not in take.recording.name  # a random name
    run_all()
    take.refresh_from_db()
    assert (
        take.status == ProcessingStatus.READY and take.remuxed and take.duration == pytest.approx(2, abs=0.3)
    )


def test_a_form_without_a_file_stores_nothing(seeker_client, interview):
    question = interview.questions().first()
    response = seeker_client.post(reverse("interviews:take_send_file", args=[interview.pk, question.pk]), {})
    assert response.status_code == 302
    assert not Take.objects.exists()


def test_an_upload_completed_after_the_attempt_was_sent_is_dropped(
    seeker_client, interview, browser_webm, feedback_queue, run_all, django_capture_on_commit_callbacks
):
    """Sending drops the uploads in progress; one that crossed the sending (here the
    attempt is sent behind the view's back) is dropped by its job, which the last piece
    queued without waiting for the check."""
    response = start(seeker_client, interview, interview.questions().first())
    take = Take.objects.get(pk=response.json()["id"])
    build.send(take.attempt)
    send(
        seeker_client,
        response.json()["upload_url"],
        Path(browser_webm).read_bytes(),
        django_capture_on_commit_callbacks,
    )
    assert ResumableUpload.objects.get().is_complete
    run_all()
    assert not ResumableUpload.objects.exists()
    take.refresh_from_db()
    assert take.status == ProcessingStatus.PENDING and not take.recording and not take.remuxed
    assert reconcile_stuck_takes() == []  # nothing left for the reconciler to re-queue


def test_a_seekers_session_shows_their_takes_only(
    client, seeker, other_seeker, interview, django_assert_max_num_queries
):
    attempt = Attempt.objects.start(seeker, interview)
    mine = [build.record(attempt, question) for question in interview.questions()]
    client.force_login(other_seeker)
    theirs = client.get(reverse("interviews:session", args=[interview.pk])).content.decode()
    assert "data-take-id" not in theirs

    client.force_login(seeker)
    with django_assert_max_num_queries(12):  # not one more per take
        html = client.get(reverse("interviews:session", args=[interview.pk])).content.decode()
    assert all(f'data-take-id="{take.pk}"' in html for take in mine)
    assert "Enregistrer mes réponses (essai 1)" in html


def test_a_question_asked_on_video_shows_the_player_with_its_captions(
    seeker_client, interview, settings, tmp_path
):
    from tests.media.test_captions import make_asset

    settings.MEDIA_ROOT = str(tmp_path / "media")
    asset = make_asset("Présentez-vous (recruteuse)", captions=["fr"])
    InterviewQuestion.objects.filter(pk=interview.questions().first().pk).update(video=asset)
    html = seeker_client.get(reverse("interviews:session", args=[interview.pk])).content.decode()
    question = html[html.index('id="question-1"') : html.index('id="question-2"')]
    assert '<figure class="player"' in question and asset.rendition_360.url in question
    assert 'kind="captions"' in question and 'srclang="fr"' in question


def test_polling_a_take_costs_a_fixed_few_queries(
    seeker_client, seeker, interview, django_assert_num_queries
):
    take = build.record(Attempt.objects.start(seeker, interview), interview.questions().first())
    url = reverse("interviews:take_status", args=[take.pk])
    seeker_client.get(url)
    with django_assert_num_queries(3):  # the session, the user, the take with its question
        assert seeker_client.get(url).json()["id"] == take.pk


def test_once_the_attempt_is_sent_its_unfinished_uploads_are_refused(seeker_client, interview, private_root):
    """What sending calls (recordings.drop_pending_uploads): a piece sent afterwards
    gets 404 and nothing is stored."""
    response = start(seeker_client, interview, interview.questions().first())
    upload_url = response.json()["upload_url"]
    attempt = Take.objects.get(pk=response.json()["id"]).attempt
    build.send(attempt)
    assert recordings.drop_pending_uploads(attempt) == 1

    refused = seeker_client.patch(
        upload_url,
        data=b"\x1aE\xdf\xa3",
        content_type=resumable.CONTENT_TYPE,
        headers={**TUS, "Upload-Offset": "0"},
    )
    assert refused.status_code == 404
    assert not ResumableUpload.objects.exists() and stored_files(private_root) == []
