"""The transcription queue's worker (tremplin.worker.Worker, what `rqworker` uses): a real
`manage.py rqworker` process runs its jobs without forking, so the model is loaded once
for all its jobs; the job timeout still fires, and the worker goes on after it."""

import os
import signal
import subprocess
import sys

import django_rq
import pytest
from django.conf import settings as django_settings
from rq.command import send_stop_job_command
from rq.job import JobStatus

from media import transcription
from tests.media.test_jobs import kill_tree, wait_for
from tremplin.worker import Worker

from .conftest import PHRASES

LOADED = "Transcription model loaded from"


@pytest.fixture(scope="session")
def model_dir():
    directory = django_settings.TRANSCRIPTION_MODEL_DIR
    if not os.path.exists(os.path.join(directory, "model.bin")):
        from django.core.management import call_command

        call_command("assemble_transcription_model", directory=directory)
    return directory


def start_worker(queue_name, log, *options):
    return subprocess.Popen(
        [sys.executable, "manage.py", "rqworker", *options, queue_name],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tremplin.settings.test"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def run_burst_worker(queue_name, log_path):
    """`manage.py rqworker --burst <queue>` in a process of its own, to the end of the
    queue: its log and its process id."""
    with open(log_path, "wb") as log:
        worker = start_worker(queue_name, log, "--burst")
        try:
            assert worker.wait(timeout=240) == 0, log_path.read_text()
        finally:
            kill_tree(worker)
    return log_path.read_text(), worker.pid


def test_rqworker_uses_the_project_worker_class():
    assert isinstance(django_rq.get_worker("transcription"), Worker)


def test_two_jobs_in_one_worker_load_the_model_once(model_dir, answer_with_pauses, queues, tmp_path):
    queue = queues["transcription"]
    jobs = [queue.enqueue(transcription.transcribe, str(answer_with_pauses.path)) for _ in range(2)]
    where = queue.enqueue(os.getpid)

    log, worker_pid = run_burst_worker("transcription", tmp_path / "worker.log")

    assert log.count(LOADED) == 1, log
    where.refresh()
    assert where.return_value() == worker_pid  # no work-horse
    for job in jobs:
        job.refresh()
        assert job.get_status() == JobStatus.FINISHED, log
        transcript = job.return_value()
        assert transcript.language == "fr" and len(transcript.words) >= len(" ".join(PHRASES).split()) // 2
    assert jobs[0].worker_name == jobs[1].worker_name


def test_the_job_timeout_still_fires_and_the_worker_goes_on(model_dir, answer_with_pauses, queues, tmp_path):
    queue = queues["transcription"]
    first = queue.enqueue(transcription.transcribe, str(answer_with_pauses.path))
    # With the model loaded by the first job, transcribing 15 s of speech takes 3 to 5 s.
    too_slow = queue.enqueue(transcription.transcribe, str(answer_with_pauses.path), job_timeout=1)
    next_one = queue.enqueue(transcription.transcribe, str(answer_with_pauses.path))

    log, _pid = run_burst_worker("transcription", tmp_path / "worker.log")

    assert log.count(LOADED) == 1, log
    first.refresh()
    assert first.get_status() == JobStatus.FINISHED, log
    too_slow.refresh()
    assert too_slow.get_status() == JobStatus.FAILED
    assert "JobTimeoutException" in too_slow.latest_result().exc_string
    next_one.refresh()
    assert next_one.get_status() == JobStatus.FINISHED, log
    assert next_one.return_value().words


def test_sigterm_lets_the_running_transcription_finish(model_dir, answer_with_pauses, queues, tmp_path):
    job = queues["transcription"].enqueue(transcription.transcribe, str(answer_with_pauses.path))
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        worker = start_worker("transcription", log, "--with-scheduler")
        try:
            assert wait_for(lambda: job.get_status() == JobStatus.STARTED, 60), log_path.read_text()
            worker.send_signal(signal.SIGTERM)  # systemd's stop, `KillMode=mixed`
            assert worker.wait(timeout=120) == 0, log_path.read_text()
        finally:
            kill_tree(worker)
    assert job.get_status() == JobStatus.FINISHED, log_path.read_text()
    assert job.return_value().words
    assert "warm shut down requested" in log_path.read_text()


def test_a_stop_command_for_a_transcription_does_not_kill_the_worker(
    model_dir, answer_with_pauses, queues, tmp_path
):
    """What deleting a video does to its running transcription (media.jobs.cancel_processing):
    there is no work-horse to kill, so the job ends normally (it finds its video gone)
    and the worker lives on."""
    job = queues["transcription"].enqueue(transcription.transcribe, str(answer_with_pauses.path))
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        worker = start_worker("transcription", log)
        try:
            assert wait_for(lambda: job.get_status() == JobStatus.STARTED, 60), log_path.read_text()
            send_stop_job_command(job.connection, job.id)
            assert wait_for(lambda: job.get_status() == JobStatus.FINISHED, 60), log_path.read_text()
            assert worker.poll() is None, log_path.read_text()
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=60) == 0, log_path.read_text()
        finally:
            kill_tree(worker)


def test_other_queues_still_fork_a_work_horse(queues, tmp_path):
    job = queues["default"].enqueue(os.getpid)

    log, worker_pid = run_burst_worker("default", tmp_path / "worker.log")

    job.refresh()
    assert job.get_status() == JobStatus.FINISHED, log
    assert job.return_value() != worker_pid
