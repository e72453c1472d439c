"""The feedback job of a take (interviews.jobs) with a real RQ worker and real ffmpeg on
generated media: the measures match the known speech and silences, the pipeline's
protections refuse hostile files with a readable French reason and keep nothing, the
job is idempotent, retried, and what a dead worker left behind is re-queued."""

from datetime import timedelta
from pathlib import Path

import django_rq
import pytest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from rq import cron as rq_cron
from rq.job import JobStatus

from core import resumable
from core.models import ResumableUpload
from interviews import jobs, recordings, submissions
from interviews.models import Attempt, InterviewQuestion, Take
from media import measures, processing
from media.models import ProcessingStatus
from tests.factories import interviews as build
from tests.media.conftest import spoken_answer

TOLERANCE = 0.25  # seconds


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
def attempt(seeker, interview):
    return Attempt.objects.start(seeker, interview)


def take_of(attempt, content, *, position=0):
    """A take whose recording (as a file sent with the form) is `content`, queued."""
    question = list(attempt.interview.questions())[position]
    take = build.record(attempt, question, content=content)
    jobs.enqueue_feedback_now(take.pk)
    return take


def stored_files(root):
    return sorted(path.name for path in Path(root).rglob("*") if path.is_file())


def test_the_measures_match_the_known_answer(attempt, answer_with_pauses, feedback_queue, run_jobs):
    take = take_of(attempt, answer_with_pauses.path.read_bytes())

    assert run_jobs("feedback") == 1

    take.refresh_from_db()
    assert take.status == ProcessingStatus.READY
    found = submissions.delivery_measures(take.measures)
    assert found.leading_silence == pytest.approx(answer_with_pauses.leading, abs=TOLERANCE)
    assert [pause.duration for pause in found.pauses] == pytest.approx(
        answer_with_pauses.pauses, abs=TOLERANCE
    )
    assert len(found.long_pauses) == 2 and found.long_pause_threshold == 2.0
    assert found.speaking_time == pytest.approx(answer_with_pauses.speaking, abs=4 * TOLERANCE)
    assert take.duration == pytest.approx(answer_with_pauses.duration, abs=TOLERANCE)
    assert jobs.describe(take)[2].startswith("2 silences de plus de 2\xa0secondes")


def test_the_long_pause_threshold_is_a_setting(
    attempt, answer_with_pauses, feedback_queue, run_jobs, settings
):
    settings.INTERVIEW_LONG_PAUSE_SECONDS = 3.0
    take = take_of(attempt, answer_with_pauses.path.read_bytes())
    run_jobs("feedback")
    take.refresh_from_db()
    assert [round(pause.duration) for pause in submissions.delivery_measures(take.measures).long_pauses] == [
        3
    ]
    assert jobs.describe(take)[2].startswith("1 silence de plus de 3\xa0secondes")


def test_the_question_maximum_is_in_the_sentences(attempt, phrases, tmp_path, feedback_queue, run_jobs):
    InterviewQuestion.objects.filter(pk=attempt.interview.questions().first().pk).update(answer_seconds=20)
    answer = spoken_answer(tmp_path / "court.webm", [0.2, phrases[0][0], 0.4])
    take = take_of(attempt, answer.read_bytes())
    run_jobs("feedback")
    take.refresh_from_db()
    assert take.status == ProcessingStatus.READY
    assert "sur les 20\xa0s prévues" in jobs.describe(take)[0]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(lambda secret: b"pas une video, du texte", processing.UNREADABLE, id="not-media"),
        pytest.param(
            lambda secret: (
                f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:1.0,\n{secret}\n#EXT-X-ENDLIST\n".encode()
            ),
            processing.UNREADABLE,
            id="hls-playlist",
        ),
    ],
)
def test_a_hostile_file_is_refused_and_nothing_is_kept(
    attempt,
    make,
    reason,
    secret_clip,
    feedback_queue,
    run_jobs,
    private_root,
    django_capture_on_commit_callbacks,
):
    take = take_of(attempt, make(secret_clip))
    with django_capture_on_commit_callbacks(execute=True):  # the files go once the failure commits
        run_jobs("feedback")
    take.refresh_from_db()
    assert take.status == ProcessingStatus.FAILED
    assert take.error == str(reason)
    assert take.error.startswith("Ce fichier")  # in French, for the seeker
    assert take.stored_names() == [] and stored_files(private_root) == []
    assert feedback_queue.scheduled_job_registry.get_job_ids() == []  # refused: no retry


def test_a_recording_over_the_maximum_length_is_refused(
    attempt, browser_webm, feedback_queue, run_jobs, settings
):
    settings.INTERVIEW_ANSWER_MARGIN_SECONDS = 0
    InterviewQuestion.objects.filter(pk=attempt.interview.questions().first().pk).update(answer_seconds=1)
    take = take_of(attempt, browser_webm.read_bytes())
    run_jobs("feedback")
    take.refresh_from_db()
    assert take.status == ProcessingStatus.FAILED
    assert take.error == processing.TOO_LONG % {"limit": "0 min 01 s"}
    assert take.stored_names() == []


def test_a_recording_over_the_size_limit_is_refused(
    attempt, browser_webm, feedback_queue, run_jobs, settings
):
    settings.INTERVIEW_MAX_UPLOAD_BYTES = 1000
    take = take_of(attempt, browser_webm.read_bytes())
    run_jobs("feedback")
    take.refresh_from_db()
    assert take.status == ProcessingStatus.FAILED
    assert take.error == processing.TOO_BIG % {"limit": filesizeformat(1000)}
    assert take.stored_names() == []


def test_the_upload_endpoint_refuses_more_than_the_limit(client, seeker, interview, settings):
    settings.INTERVIEW_MAX_UPLOAD_BYTES = 1000
    client.force_login(seeker)
    upload_url = client.post(
        reverse("interviews:take_start", args=[interview.pk, interview.questions().first().pk])
    ).json()["upload_url"]
    response = client.patch(
        upload_url,
        data=b"\0" * 1001,
        content_type=resumable.CONTENT_TYPE,
        headers={"Tus-Resumable": "1.0.0", "Upload-Offset": "0"},
    )
    assert response.status_code == 413
    assert ResumableUpload.objects.get().offset == 0


def test_a_chunk_at_the_wrong_offset_is_refused(client, seeker, interview):
    client.force_login(seeker)
    upload_url = client.post(
        reverse("interviews:take_start", args=[interview.pk, interview.questions().first().pk])
    ).json()["upload_url"]
    response = client.patch(
        upload_url,
        data=b"\x1aE\xdf\xa3",
        content_type=resumable.CONTENT_TYPE,
        headers={"Tus-Resumable": "1.0.0", "Upload-Offset": "10"},
    )
    assert response.status_code == 409 and response["Upload-Offset"] == "0"


def test_a_recording_whose_last_bytes_were_lost_fails_at_once_and_says_so(
    seeker, attempt, browser_webm, feedback_queue, run_jobs, django_capture_on_commit_callbacks
):
    """The machine stopped after the last piece was acknowledged but before it reached
    the disk: the answer is not measured short, the seeker is asked to record it again."""
    data = browser_webm.read_bytes()
    take = Take.objects.create(attempt=attempt, question=None, position=1, question_text="?", number=1)
    upload = resumable.start(seeker, recordings.PURPOSE, take.pk)
    upload.path.write_bytes(data[: len(data) // 2])  # what reached the disk
    ResumableUpload.objects.filter(pk=upload.pk).update(length=len(data), completed_at=timezone.now())
    jobs.enqueue_feedback_now(take.pk)

    with django_capture_on_commit_callbacks(execute=True):
        run_jobs("feedback")

    take.refresh_from_db()
    assert (take.status, take.error) == (ProcessingStatus.FAILED, str(jobs.LOST))
    assert take.error.startswith("Une partie de votre enregistrement a été perdue")
    assert not ResumableUpload.objects.exists() and not upload.path.exists()
    assert feedback_queue.scheduled_job_registry.get_job_ids() == []  # no retry: it cannot help


def test_the_job_is_idempotent(attempt, browser_webm, feedback_queue, run_jobs, private_root):
    take = take_of(attempt, browser_webm.read_bytes())
    assert jobs.enqueue_feedback_now(take.pk).id == jobs.enqueue_feedback_now(take.pk).id
    assert feedback_queue.count == 1
    run_jobs("feedback")
    take.refresh_from_db()
    files = stored_files(private_root)
    assert jobs.process_feedback(take.pk) == "nothing to do"  # already ready
    assert stored_files(private_root) == files


def test_an_unexpected_error_is_retried_then_fails_the_take(
    attempt, browser_webm, feedback_queue, run_jobs, monkeypatch
):
    def broken(*args, **kwargs):
        raise ConnectionError("storage unreachable")

    monkeypatch.setattr(measures, "measure", broken)
    take = take_of(attempt, browser_webm.read_bytes())
    run_jobs("feedback")
    take.refresh_from_db()
    job = feedback_queue.fetch_job(jobs.feedback_job_id(take.pk))
    assert job.get_status() == JobStatus.SCHEDULED and job.retries_left == 1
    assert take.status == ProcessingStatus.PENDING

    job.retries_left = 0
    job.save()
    feedback_queue.scheduled_job_registry.remove(job)
    feedback_queue.enqueue_job(job)
    run_jobs("feedback")
    take.refresh_from_db()
    assert take.status == ProcessingStatus.FAILED and take.error == str(jobs.UNEXPECTED)
    assert take.stored_names() == []


def test_a_take_that_keeps_killing_workers_is_given_up(attempt, browser_webm, feedback_queue, run_jobs):
    take = take_of(attempt, browser_webm.read_bytes())
    for _run in range(jobs.MAX_ATTEMPTS):
        jobs._count_attempt(take.pk)  # each run a dead worker started
    run_jobs("feedback")
    take.refresh_from_db()
    assert take.status == ProcessingStatus.FAILED and take.error == str(jobs.INTERRUPTED)


def test_the_reconciler_requeues_what_a_dead_worker_left(
    seeker, attempt, browser_webm, feedback_queue, run_jobs, django_capture_on_commit_callbacks
):
    # 1. "processing", its job "started" long ago by a worker that was killed.
    killed = take_of(attempt, browser_webm.read_bytes())
    Take.objects.filter(pk=killed.pk).update(status=ProcessingStatus.PROCESSING)
    job = feedback_queue.fetch_job(jobs.feedback_job_id(killed.pk))
    feedback_queue.remove(job.id)
    job.set_status(JobStatus.STARTED)
    job.started_at = timezone.now() - timedelta(hours=1)
    job.save()
    # 2. "processing" within its timeout: a live worker may be on it.
    running = take_of(attempt, browser_webm.read_bytes(), position=1)
    Take.objects.filter(pk=running.pk).update(status=ProcessingStatus.PROCESSING)
    live = feedback_queue.fetch_job(jobs.feedback_job_id(running.pk))
    feedback_queue.remove(live.id)
    live.set_status(JobStatus.STARTED)
    live.started_at = timezone.now()
    live.save()
    # 3. Its upload complete, but Redis lost the job.
    received = Take.objects.create(attempt=attempt, question=None, position=3, question_text="?", number=1)
    upload = resumable.start(seeker, recordings.PURPOSE, received.pk)
    ResumableUpload.objects.filter(pk=upload.pk).update(length=0, completed_at=timezone.now())
    # 4. Still being recorded (upload unfinished): nothing to do yet.
    recording = Take.objects.create(attempt=attempt, question=None, position=3, question_text="?", number=2)
    resumable.start(seeker, recordings.PURPOSE, recording.pk)

    requeued = jobs.reconcile_stuck_takes()

    assert sorted(requeued) == sorted([killed.pk, received.pk])
    assert set(feedback_queue.get_job_ids()) == {
        jobs.feedback_job_id(killed.pk),
        jobs.feedback_job_id(received.pk),
    }
    killed.refresh_from_db()
    assert killed.status == ProcessingStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        run_jobs("feedback")
    killed.refresh_from_db()
    assert killed.status == ProcessingStatus.READY


def test_the_rendition_job_makes_an_mp4_and_a_poster(
    attempt, browser_webm, feedback_queue, run_jobs, django_capture_on_commit_callbacks
):
    take = take_of(attempt, browser_webm.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        run_jobs("feedback")
    assert django_rq.get_queue("media").get_job_ids() == [jobs.rendition_job_id(take.pk)]
    run_jobs("media")
    take.refresh_from_db()
    assert take.rendition.name.endswith(".mp4") and take.poster.name.endswith(".jpg")
    assert jobs.process_rendition(take.pk) == "nothing to do"


def test_the_reconciler_runs_every_five_minutes_from_rqcron(queues):
    scheduler = rq_cron.CronScheduler(connection=queues["default"].connection)
    scheduler.load_config_from_file("tremplin.cron")
    [job] = [job for job in scheduler.get_jobs() if job.func is jobs.reconcile_stuck_takes]
    assert job.interval == 300 and job.queue_name == "default"


def test_a_take_deleted_while_it_is_measured_leaves_no_file(
    attempt,
    browser_webm,
    feedback_queue,
    run_jobs,
    monkeypatch,
    private_root,
    django_capture_on_commit_callbacks,
):
    take = take_of(attempt, browser_webm.read_bytes())
    measure = measures.measure

    def measure_then_delete(*args, **kwargs):
        found = measure(*args, **kwargs)
        Take.objects.filter(pk=take.pk).delete()  # the seeker deletes it meanwhile
        return found

    monkeypatch.setattr(measures, "measure", measure_then_delete)
    with django_capture_on_commit_callbacks(execute=True):
        run_jobs("feedback")
    assert not Take.objects.exists()
    assert stored_files(private_root) == []
    assert django_rq.get_queue("media").get_job_ids() == []  # no rendition for it


def test_an_upload_completed_for_a_deleted_attempt_leaves_nothing(
    client, seeker, interview, browser_webm, feedback_queue, run_jobs, django_capture_on_commit_callbacks
):
    """The seeker deletes the whole attempt (another tab) while an answer is on its way:
    the attempt's deletion does not reach the upload (its target is an id), so the last
    piece still completes it; its job, finding no take, drops the upload and its bytes."""
    client.force_login(seeker)
    started = client.post(
        reverse("interviews:take_start", args=[interview.pk, interview.questions().first().pk])
    ).json()
    submissions.delete_attempt(Take.objects.get(pk=started["id"]).attempt)
    data = browser_webm.read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            started["upload_url"],
            data=data,
            content_type=resumable.CONTENT_TYPE,
            headers={"Tus-Resumable": "1.0.0", "Upload-Offset": "0", "Upload-Length": str(len(data))},
        )
    assert response.status_code == 204
    upload = ResumableUpload.objects.get()
    assert upload.is_complete and feedback_queue.get_job_ids() == [jobs.feedback_job_id(started["id"])]

    with django_capture_on_commit_callbacks(execute=True):
        run_jobs("feedback")
    assert not ResumableUpload.objects.exists() and not upload.path.exists()
    assert not Take.objects.exists() and not Attempt.objects.exists()


def test_bytes_of_another_seeker_aimed_at_a_take_never_become_its_recording(
    seeker, other_seeker, attempt, browser_webm, feedback_queue, run_jobs, private_root
):
    """No view makes such an upload (`start_take` makes the take and its upload for the
    same seeker); should one exist, the job does not read it as the take's recording."""
    take = Take.objects.create(attempt=attempt, question=None, position=1, question_text="?", number=1)
    foreign = resumable.start(other_seeker, recordings.PURPOSE, take.pk)
    data = browser_webm.read_bytes()
    foreign.path.write_bytes(data)
    ResumableUpload.objects.filter(pk=foreign.pk).update(length=len(data), completed_at=timezone.now())
    jobs.enqueue_feedback_now(take.pk)

    run_jobs("feedback")

    take.refresh_from_db()
    assert (take.status, take.error) == (ProcessingStatus.FAILED, str(processing.MISSING))
    assert not take.recording and stored_files(private_root) == []
    assert ResumableUpload.objects.get().owner == other_seeker  # untouched
