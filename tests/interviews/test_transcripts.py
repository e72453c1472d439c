"""Transcripts of answers: espeak-ng French with known words and silences through the
real job and Whisper base; words per minute and fillers; off without a model; gone with
the recording (retention, erasure)."""

# The media tests' fixtures are imported by name, and asked for by the tests here.
# ruff: noqa: F811

import datetime

import pytest
from django.utils import timezone
from rq import cron as rq_cron
from rq.job import JobStatus

from core.privacy import delete_user, export_user_data
from interviews import retention, transcripts
from interviews.models import TakeTranscript, TranscriptStatus
from media.cues import cues_from_words
from media.transcription import normalise
from tests.factories import interviews as build
from tests.media.conftest import PHRASES, answer_with_pauses, phrases, samples  # noqa: F401 - fixtures
from tests.media.test_transcription import MAX_WER, model_dir, word_error_rate  # noqa: F401 - fixture


@pytest.fixture
def take(seeker, home_page, answer_with_pauses):
    attempt = build.started(seeker, build.interview(home_page), takes=0)
    question = attempt.interview.questions().first()
    made = build.record(attempt, question, content=answer_with_pauses.path.read_bytes())
    made.measures = {"speaking_time": answer_with_pauses.speaking}
    made.save(update_fields=["measures"])
    return made


@pytest.mark.django_db
def test_an_answer_is_transcribed_with_its_words_and_measures(
    take,
    answer_with_pauses,
    model_dir,
    run_jobs,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        assert transcripts.request(take)
    assert TakeTranscript.objects.get(take=take).status == TranscriptStatus.PENDING
    assert run_jobs("transcription") == 1

    done = TakeTranscript.objects.get(take=take)
    assert done.status == TranscriptStatus.DONE, done.failure
    # As close to what was said as media's own test of the model requires.
    assert word_error_rate(" ".join(PHRASES), done.text) <= MAX_WER, done.text
    known = normalise(" ".join(PHRASES))
    expected_rate = len(known) * 60 / answer_with_pauses.speaking
    assert done.words_per_minute == pytest.approx(expected_rate, rel=0.15)
    assert done.fillers == {}
    # The words keep their times, in order, within the recording.
    starts = [start for _word, start, _end in done.words]
    assert starts == sorted(starts) and starts[0] >= 0 and starts[-1] <= answer_with_pauses.duration
    # And they make a valid captions track for the video.
    vtt = transcripts.webvtt(done)
    assert vtt.startswith("WEBVTT")
    assert all(cue.end - cue.start <= 7 for cue in cues_from_words(transcripts.words_of(done)))


@pytest.mark.django_db
def test_without_a_model_nothing_is_queued(take, settings, queues, django_capture_on_commit_callbacks):
    settings.TRANSCRIPTION_MODEL_DIR = ""
    with django_capture_on_commit_callbacks(execute=True):
        assert not transcripts.request(take)
    assert not TakeTranscript.objects.exists()
    assert queues["transcription"].count == 0


@pytest.mark.django_db
def test_the_transcript_goes_with_the_recording(take, seeker, settings, django_capture_on_commit_callbacks):
    TakeTranscript.objects.create(
        take=take, status=TranscriptStatus.DONE, text="Bonjour", words=[["Bonjour", 0.5, 0.9]]
    )
    assert export_user_data(seeker)["interviews"]["transcripts"][0]["text"] == "Bonjour"

    settings.INTERVIEW_RETENTION_DAYS = 180
    later = timezone.now() + datetime.timedelta(days=181)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.delete_expired_recordings(now=later) == 1
    assert not TakeTranscript.objects.exists()

    TakeTranscript.objects.create(take=take, status=TranscriptStatus.DONE, text="Encore")
    with django_capture_on_commit_callbacks(execute=True):
        delete_user(seeker)
    assert not TakeTranscript.objects.exists()


@pytest.mark.django_db
def test_a_take_whose_files_are_gone_is_not_transcribed(take, run_jobs):
    TakeTranscript.objects.create(take=take)
    type(take).objects.filter(pk=take.pk).update(files_deleted_at=timezone.now(), recording="")
    assert transcripts.transcribe_take(take.pk) == "nothing to do"


@pytest.fixture
def pending(take, queues):
    queues["transcription"].empty()
    return TakeTranscript.objects.create(take=take)


@pytest.mark.django_db
def test_a_pending_transcript_without_a_job_is_queued_again(pending, queues):
    assert transcripts.reconcile_pending() == [pending.take_id]
    assert queues["transcription"].job_ids == [transcripts.job_id(pending.take_id)]
    # Queued: nothing more to do.
    assert transcripts.reconcile_pending() == []


@pytest.mark.django_db
def test_a_job_started_by_a_worker_that_died_is_queued_again(pending, queues):
    job = transcripts.enqueue(pending.take_id)
    queues["transcription"].remove(job)
    job.set_status(JobStatus.STARTED)
    job.started_at = (
        timezone.now() - datetime.timedelta(seconds=transcripts.job_timeout()) - datetime.timedelta(hours=1)
    )
    job.save()
    assert transcripts.reconcile_pending() == [pending.take_id]
    assert queues["transcription"].job_ids == [transcripts.job_id(pending.take_id)]


@pytest.mark.django_db
def test_a_transcript_that_keeps_killing_workers_is_given_up(pending):
    TakeTranscript.objects.filter(pk=pending.pk).update(attempts=transcripts.MAX_ATTEMPTS)
    assert transcripts.reconcile_pending() == []
    pending.refresh_from_db()
    assert (pending.status, pending.failure) == (
        TranscriptStatus.FAILED,
        "La transcription a été interrompue trop de fois.",
    )


@pytest.mark.django_db
def test_the_reconciler_runs_from_rqcron(queues):
    scheduler = rq_cron.CronScheduler(connection=queues["default"].connection)
    scheduler.load_config_from_file("tremplin.cron")
    [job] = [job for job in scheduler.get_jobs() if job.func is transcripts.reconcile_pending]
    assert job.interval == 300
