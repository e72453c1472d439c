"""The media jobs: one per asset, after commit, retried, reconciled, cleaned up on deletion;
and a real worker killed mid-transcode."""

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from rq import cron as rq_cron
from rq.executions import Execution
from rq.job import JobStatus

from media import jobs, processing
from media.models import Asset, Caption, ProcessingStatus, Rendition
from tests.processes import alive, descendants
from tremplin.settings import test as test_settings

pytestmark = pytest.mark.django_db

VTT = b"WEBVTT\n\n00:00.000 --> 00:01.000\nBonjour\n"


@pytest.fixture(autouse=True)
def media_dirs(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    settings.MEDIA_PROCESSING = {**settings.MEDIA_PROCESSING, "WORK_DIR": str(tmp_path / "work")}
    return tmp_path


@pytest.fixture
def upload(django_capture_on_commit_callbacks, queues):
    def upload(path, title="Réussir son entretien"):
        with open(path, "rb") as handle, django_capture_on_commit_callbacks(execute=True):
            asset = Asset(title=title, type="video", file=File(handle, name=Path(path).name))
            asset.save()
        return asset

    return upload


def media_queue_jobs(queues):
    return queues["media"].get_job_ids()


def stored(name):
    return bool(name) and default_storage.exists(name)


# ---------------------------------------------------------------------------
# Enqueueing
# ---------------------------------------------------------------------------
def test_new_asset_is_enqueued_only_after_commit_with_its_fixed_job_id(
    django_capture_on_commit_callbacks, queues, clip_360, settings
):
    with open(clip_360, "rb") as handle, django_capture_on_commit_callbacks(execute=False) as callbacks:
        asset = Asset.objects.create(title="Vidéo", type="video", file=File(handle, name="clip.mp4"))
        assert media_queue_jobs(queues) == []
    assert media_queue_jobs(queues) == []  # not committed: nothing sent
    for callback in callbacks:
        callback()
    assert media_queue_jobs(queues) == [asset.job_id] == [f"media-asset-{asset.pk}"]

    job = queues["media"].fetch_job(asset.job_id)
    assert job.func_name == "media.jobs.process_asset" and job.args == (asset.pk,)
    assert job.timeout == settings.MEDIA_PROCESSING["JOB_TIMEOUT"]
    assert settings.MEDIA_PROCESSING["FFMPEG_TIMEOUT"] < job.timeout
    assert (job.retries_left, job.retry_intervals) == (2, [30, 120])
    assert job.failure_ttl == 24 * 3600 and job.result_ttl == jobs.RESULT_TTL
    assert job.failure_callback is jobs.on_processing_failure


def test_enqueue_is_idempotent(upload, clip_360, queues, django_capture_on_commit_callbacks):
    asset = upload(clip_360)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue_processing(asset)
        jobs.enqueue_processing(asset)
    jobs.enqueue_now(asset.pk)
    assert media_queue_jobs(queues) == [asset.job_id]


def test_saving_without_a_new_file_enqueues_nothing(
    upload, clip_360, queues, run_jobs, django_capture_on_commit_callbacks
):
    asset = upload(clip_360)
    run_jobs("media")
    asset.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        asset.title = "Nouveau titre"
        asset.save()
    assert media_queue_jobs(queues) == []
    assert Asset.objects.get(pk=asset.pk).status == ProcessingStatus.READY


def test_replaced_original_is_processed_again_and_old_renditions_go_after_commit(
    upload, clip_360, clip_720, queues, run_jobs, django_capture_on_commit_callbacks
):
    asset = upload(clip_360)
    run_jobs("media")
    asset.refresh_from_db()
    old = {kind: file.name for kind, file in asset.rendition_files().items()}
    old_original = asset.file.name
    assert set(old) == {Rendition.VIDEO_360, Rendition.AUDIO, Rendition.POSTER}

    with open(clip_720, "rb") as handle, django_capture_on_commit_callbacks(execute=True):
        asset.file = File(handle, name="nouvelle-version.mp4")
        asset.save()
    asset.refresh_from_db()
    assert asset.status == ProcessingStatus.PENDING
    assert media_queue_jobs(queues) == [asset.job_id]
    assert all(stored(name) for name in old.values())  # still served until the new ones exist

    with django_capture_on_commit_callbacks(execute=True):
        run_jobs("media")
    asset.refresh_from_db()
    assert asset.status == ProcessingStatus.READY and (asset.width, asset.height) == (1280, 720)
    assert asset.rendition_720
    assert not any(stored(name) for name in old.values())
    assert stored(old_original)  # the pipeline never deletes an original


# ---------------------------------------------------------------------------
# Failures and retries
# ---------------------------------------------------------------------------
def test_refused_file_fails_once_without_retry(upload, tmp_path, queues, run_jobs):
    text = tmp_path / "notes.webm"
    text.write_text("pas une vidéo")
    asset = upload(text)
    run_jobs("media")
    asset.refresh_from_db()
    assert asset.status == ProcessingStatus.FAILED
    assert asset.failure_reason == str(processing.UNREADABLE)
    assert "Invalid data found" in asset.processing_log  # ffprobe's words, for administrators
    job = queues["media"].fetch_job(asset.job_id)
    assert job.get_status() == JobStatus.FINISHED  # ended normally: no retry loop
    assert queues["media"].scheduled_job_registry.get_job_ids() == []


def test_unexpected_error_is_retried_then_marks_the_asset_failed(
    upload, clip_360, queues, run_jobs, monkeypatch
):
    def broken(*args, **kwargs):
        raise ConnectionError("storage unreachable")

    monkeypatch.setattr(processing, "copy_original", broken)
    asset = upload(clip_360)
    run_jobs("media")
    asset.refresh_from_db()
    job = queues["media"].fetch_job(asset.job_id)
    assert job.get_status() == JobStatus.SCHEDULED and job.retries_left == 1  # in 30 s
    assert asset.status == ProcessingStatus.PENDING  # waiting for the retry
    assert "storage unreachable" in asset.processing_log

    # The last attempt: retries exhausted, the failure callback fails the asset.
    job.retries_left = 0
    job.save()
    queues["media"].scheduled_job_registry.remove(job)
    queues["media"].enqueue_job(job)
    run_jobs("media")
    asset.refresh_from_db()
    assert asset.status == ProcessingStatus.FAILED
    assert asset.failure_reason == str(jobs.UNEXPECTED)
    assert "ConnectionError" in asset.processing_log
    assert queues["media"].fetch_job(asset.job_id).get_status() == JobStatus.FAILED


def test_retry_action_processes_a_failed_asset_again(
    upload, clip_360, queues, run_jobs, django_capture_on_commit_callbacks
):
    asset = upload(clip_360)
    queues["media"].empty()
    Asset.objects.filter(pk=asset.pk).update(
        status=ProcessingStatus.FAILED, failure_reason="Échec", processing_log="log", attempts=3
    )
    asset.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.retry_processing(asset) is True
    asset.refresh_from_db()
    assert (asset.status, asset.failure_reason, asset.attempts) == (ProcessingStatus.PENDING, "", 0)
    assert media_queue_jobs(queues) == [asset.job_id]
    run_jobs("media")
    asset.refresh_from_db()
    assert asset.status == ProcessingStatus.READY, asset.processing_log


def test_retry_action_waits_for_a_running_job_but_takes_over_a_stuck_one(
    upload, clip_360, queues, django_capture_on_commit_callbacks, settings
):
    asset = upload(clip_360)
    queues["media"].empty()
    Asset.objects.filter(pk=asset.pk).update(
        status=ProcessingStatus.PROCESSING, processing_started_at=timezone.now()
    )
    asset.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.retry_processing(asset) is False
    assert media_queue_jobs(queues) == []

    long_ago = timezone.now() - timedelta(seconds=settings.MEDIA_PROCESSING["JOB_TIMEOUT"] + 60)
    Asset.objects.filter(pk=asset.pk).update(processing_started_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.retry_processing(asset) is True
    assert media_queue_jobs(queues) == [asset.job_id]


# ---------------------------------------------------------------------------
# Deletion
# ---------------------------------------------------------------------------
def test_deleting_an_asset_deletes_its_files_and_captions(
    upload, clip_360, queues, run_jobs, django_capture_on_commit_callbacks
):
    asset = upload(clip_360)
    run_jobs("media")
    asset.refresh_from_db()
    caption = Caption.objects.create(asset=asset, language="fr", file=ContentFile(VTT, name="fr.vtt"))
    names = [file.name for file in asset.rendition_files().values()] + [asset.file.name, caption.file.name]
    assert all(stored(name) for name in names) and len(names) == 5

    with django_capture_on_commit_callbacks(execute=True):
        asset.delete()
    assert not any(stored(name) for name in names)


def test_deleting_an_asset_removes_its_pending_job(
    upload, clip_360, queues, django_capture_on_commit_callbacks
):
    asset = upload(clip_360)
    job_id = asset.job_id
    assert media_queue_jobs(queues) == [job_id]
    with django_capture_on_commit_callbacks(execute=True):
        asset.delete()
    assert media_queue_jobs(queues) == []
    assert jobs.fetch_job(job_id, jobs.get_queue().connection) is None


def test_job_of_a_deleted_asset_does_nothing(upload, clip_360, queues, run_jobs):
    asset = upload(clip_360)
    Asset.objects.filter(pk=asset.pk).delete()  # without the signal's commit hook
    run_jobs("media")
    assert queues["media"].fetch_job(asset.job_id).return_value() == "nothing to do"


# ---------------------------------------------------------------------------
# Reconciler
# ---------------------------------------------------------------------------
def stuck_since(settings):
    return (
        timezone.now()
        - timedelta(seconds=settings.MEDIA_PROCESSING["JOB_TIMEOUT"])
        - jobs.STUCK_MARGIN
        - timedelta(minutes=1)
    )


def test_reconciler_requeues_a_pending_asset_without_a_job(upload, clip_360, queues):
    asset = upload(clip_360)
    queues["media"].empty()  # Redis lost the job
    assert jobs.fetch_job(asset.job_id, jobs.get_queue().connection) is None
    report = jobs.reconcile_stuck_assets()
    assert report["requeued"] == [asset.pk]
    assert media_queue_jobs(queues) == [asset.job_id]
    assert jobs.reconcile_stuck_assets()["requeued"] == []  # queued now: left alone


def test_reconciler_requeues_an_asset_stuck_in_processing(upload, clip_360, queues, run_jobs, settings):
    asset = upload(clip_360)
    job = queues["media"].fetch_job(asset.job_id)
    # What a worker killed with SIGKILL leaves: the job "started", in the started registry.
    queues["media"].remove(job)
    with queues["media"].connection.pipeline() as pipeline:
        job.set_status(JobStatus.STARTED, pipeline=pipeline)
        Execution.create(job, ttl=3600, pipeline=pipeline, worker_name="killed-worker")
        pipeline.execute()
    assert queues["media"].started_job_registry.get_job_ids(cleanup=False) == [asset.job_id]
    Asset.objects.filter(pk=asset.pk).update(
        status=ProcessingStatus.PROCESSING, processing_started_at=stuck_since(settings), attempts=1
    )

    report = jobs.reconcile_stuck_assets()
    assert report == {"requeued": [asset.pk], "failed": []}
    assert queues["media"].started_job_registry.get_job_ids(cleanup=False) == []
    assert media_queue_jobs(queues) == [asset.job_id]
    assert Asset.objects.get(pk=asset.pk).status == ProcessingStatus.PENDING

    run_jobs("media")
    asset.refresh_from_db()
    assert asset.status == ProcessingStatus.READY and asset.attempts == 2


def test_reconciler_leaves_running_and_queued_jobs_alone(upload, clip_360, clip_720, queues, settings):
    running = upload(clip_360)
    queues["media"].empty()
    Asset.objects.filter(pk=running.pk).update(
        status=ProcessingStatus.PROCESSING, processing_started_at=timezone.now()
    )
    waiting = upload(clip_720)  # stuck for long, but its (retry) job is queued
    Asset.objects.filter(pk=waiting.pk).update(
        status=ProcessingStatus.PROCESSING, processing_started_at=stuck_since(settings)
    )

    assert jobs.reconcile_stuck_assets() == {"requeued": [], "failed": []}
    assert Asset.objects.get(pk=running.pk).status == ProcessingStatus.PROCESSING
    assert media_queue_jobs(queues) == [waiting.job_id]


def test_reconciler_gives_up_after_too_many_attempts(upload, clip_360, queues, settings):
    asset = upload(clip_360)
    queues["media"].empty()
    Asset.objects.filter(pk=asset.pk).update(
        status=ProcessingStatus.PROCESSING,
        processing_started_at=stuck_since(settings),
        attempts=jobs.MAX_ATTEMPTS,
    )
    assert jobs.reconcile_stuck_assets() == {"requeued": [], "failed": [asset.pk]}
    asset.refresh_from_db()
    assert asset.status == ProcessingStatus.FAILED and asset.failure_reason == str(jobs.INTERRUPTED)


def test_reconciler_can_be_run_by_hand(upload, clip_360, queues):
    asset = upload(clip_360)
    queues["media"].empty()
    out = StringIO()
    call_command("reconcile_media", stdout=out)
    assert f"Re-queued: [{asset.pk}]" in out.getvalue()
    assert media_queue_jobs(queues) == [asset.job_id]


def test_reconciler_runs_every_five_minutes_from_rqcron(queues):
    scheduler = rq_cron.CronScheduler(connection=queues["default"].connection)
    scheduler.load_config_from_file("tremplin.cron")
    [job] = [job for job in scheduler.get_jobs() if job.func is jobs.reconcile_stuck_assets]
    assert job.interval == 300 and job.queue_name == "default"


# ---------------------------------------------------------------------------
# A real worker killed mid-transcode
# ---------------------------------------------------------------------------
def database_url():
    config = connection.settings_dict
    if config["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(config['NAME']).resolve()}"
    credentials = quote(config["USER"] or "")
    if config["PASSWORD"]:
        credentials += ":" + quote(config["PASSWORD"])
    host = config["HOST"] or "localhost"
    port = f":{config['PORT']}" if config["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(config['NAME'])}"


def start_worker(log, media_root, *, burst=False):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tremplin.settings.test",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(media_root),
    }
    command = [sys.executable, "manage.py", "rqworker", "--with-scheduler", "media"]
    return subprocess.Popen(
        command + (["--burst"] if burst else []),
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill_tree(process):
    """SIGKILL a worker started by start_worker: its process group (the worker and its
    scheduler process) and anything else below it."""
    below = descendants(process.pid)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    for pid in below:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait()


def processes_using(folder, program=None):
    """(pid, parent pid) of live processes with `folder` in their command line."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            state, ppid = (proc / "stat").read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, ValueError):
            continue
        if state == "Z" or not any(str(folder).encode() in arg for arg in argv):
            continue
        if program is None or Path(argv[0].decode()).name == program:
            found.append((int(proc.name), int(ppid)))
    return found


def wait_for(predicate, timeout, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_killed_mid_transcode_then_new_worker_and_reconciler(
    long_clip_720, tmp_path, settings, queues
):
    media_root = tmp_path / "uploads"
    settings.MEDIA_ROOT = str(media_root)
    # The worker reads its work folder from the test settings: look there.
    settings.MEDIA_PROCESSING = test_settings.MEDIA_PROCESSING
    log_path = tmp_path / "worker.log"
    workers = []
    with open(log_path, "ab") as log:
        try:
            with open(long_clip_720, "rb") as handle:  # autocommit: the job is queued at once
                asset = Asset.objects.create(
                    title="Entretien", type="video", file=File(handle, name="entretien.mp4")
                )
            original = hashlib.sha256(Path(asset.file.path).read_bytes()).hexdigest()
            work_dir = processing.work_dir_for(asset)
            assert media_queue_jobs(queues) == [asset.job_id]

            workers.append(start_worker(log, media_root))
            running = wait_for(lambda: processes_using(work_dir, "ffmpeg"), 90)
            assert running, log_path.read_text()
            [(ffmpeg_pid, horse_pid)] = running
            assert horse_pid in descendants(workers[0].pid)
            asset.refresh_from_db()
            assert asset.status == ProcessingStatus.PROCESSING

            # The whole worker dies at once (OOM killer, crash): the main process and its
            # scheduler (one process group), and the work-horse (a group of its own).
            # ffmpeg itself is not touched.
            scheduler_and_worker = [
                workers[0].pid,
                *(pid for pid in descendants(workers[0].pid) if pid != horse_pid),
            ]
            os.killpg(workers[0].pid, signal.SIGKILL)
            os.kill(horse_pid, signal.SIGKILL)
            workers[0].wait(timeout=10)
            assert wait_for(lambda: not any(alive(pid) for pid in scheduler_and_worker), 10)
            # ffmpeg does not outlive its work-horse (PR_SET_PDEATHSIG).
            assert wait_for(lambda: not processes_using(work_dir), 10), processes_using(work_dir)

            asset.refresh_from_db()
            assert asset.status == ProcessingStatus.PROCESSING and not asset.rendition_files()
            assert (
                jobs.fetch_job(asset.job_id, jobs.get_queue().connection).get_status() == JobStatus.STARTED
            )  # as RQ 3 leaves it

            # Once the job timeout has certainly passed, the reconciler re-queues it, and
            # a new worker processes it from the start.
            later = (
                timezone.now()
                + timedelta(seconds=settings.MEDIA_PROCESSING["JOB_TIMEOUT"])
                + jobs.STUCK_MARGIN
            )
            assert jobs.reconcile_stuck_assets(now=later)["requeued"] == [asset.pk]
            workers.append(start_worker(log, media_root, burst=True))
            assert workers[1].wait(timeout=120) == 0, log_path.read_text()

            asset.refresh_from_db()
            assert asset.status == ProcessingStatus.READY, (asset.processing_log, log_path.read_text())
            assert asset.attempts == 2
            assert hashlib.sha256(Path(asset.file.path).read_bytes()).hexdigest() == original
            assert asset.duration == pytest.approx(8, abs=0.3)
            # Only finished renditions are in the storage: nothing partial is visible.
            visible = set()
            for folder in ("media/renditions", "media/posters"):
                visible |= {f"{folder}/{name}" for name in default_storage.listdir(folder)[1]}
            assert visible == {file.name for file in asset.rendition_files().values()}
            assert not work_dir.exists()
            assert not processes_using(work_dir)
        finally:
            for worker in workers:
                kill_tree(worker)
