"""The media pipeline's jobs on the "media" RQ queue, and the reconciler that keeps them honest.

One job per asset, under a fixed id (`Asset.job_id`): enqueueing an asset whose job is
already queued, scheduled or running does nothing. Jobs are sent to Redis only once the
transaction that asked for them commits, so a worker never looks for a row it cannot
see yet.

Failures:
* a file we refuse (not media, over a limit, too slow to convert) marks the asset
  failed with a readable reason, and the job ends normally: no retry loop;
* anything else raises, and RQ retries the job (through the worker's scheduler) while
  retries remain; `on_processing_failure` then marks the asset failed;
* a whole worker killed (SIGKILL, a crash) leaves its job "started" and the asset
  "processing": `reconcile_stuck_assets`, run every 5 minutes by rqcron
  (tremplin/cron.py), re-queues it once the job timeout has certainly passed.
"""

import contextlib
import logging
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rq import Callback, Retry
from rq.command import send_stop_job_command
from rq.exceptions import InvalidJobOperation
from rq.job import JobStatus

from . import processing, queues
from .models import Asset, ProcessingStatus
from .queues import ACTIVE_STATUSES, fetch_job

logger = logging.getLogger(__name__)

QUEUE_NAME = "media"
RETRY = {"max": 2, "interval": [30, 120]}
RESULT_TTL = 10 * 60  # a finished job is forgotten soon: the asset holds the outcome
FAILURE_TTL = 24 * 3600  # a failed job stays a day for the RQ dashboard, then goes
# A job cannot still be running this long after its timeout: RQ kills a work-horse at
# the job timeout (its monitor at most 60 s later).
STUCK_MARGIN = timedelta(minutes=5)
# A file that keeps taking whole workers down is given up after this many attempts.
MAX_ATTEMPTS = 5

UNEXPECTED = _("Processing failed unexpectedly. Try again later, or ask an administrator to read the log.")
INTERRUPTED = _("Processing was interrupted too many times.")


def job_id_for(asset_id):
    return Asset(pk=asset_id).job_id


def get_queue():
    # Always immediate: callers decide when (enqueue_processing waits for the commit).
    return queues.get_queue(QUEUE_NAME, commit_mode="auto")


# ---------------------------------------------------------------------------
# Enqueueing
# ---------------------------------------------------------------------------
def enqueue_processing(asset):
    """Process `asset` in the background, once the current transaction commits."""
    asset_id = asset.pk
    transaction.on_commit(lambda: enqueue_now(asset_id), robust=True)


def enqueue_now(asset_id):
    """Enqueue the asset's job unless it is already queued, scheduled or running.

    Returns the job. A finished or failed job left under the same id is replaced.
    """
    return queues.enqueue_once(
        get_queue(),
        process_asset,
        asset_id,
        job_id=job_id_for(asset_id),
        job_timeout=settings.MEDIA_PROCESSING["JOB_TIMEOUT"],
        retry=Retry(**RETRY),
        result_ttl=RESULT_TTL,
        failure_ttl=FAILURE_TTL,
        on_failure=Callback(on_processing_failure),
        description=f"Process media asset {asset_id}",
    )


def retry_processing(asset):
    """The admin's retry action: process the asset again from its original.

    For a failed or ready asset, or one left "processing" past the job timeout (its
    worker died; the stale job is removed). Returns False, doing nothing, while a
    worker may still be processing it.
    """
    stuck_before = timezone.now() - timedelta(seconds=settings.MEDIA_PROCESSING["JOB_TIMEOUT"])
    retryable = Asset.objects.filter(pk=asset.pk).exclude(
        status=ProcessingStatus.PROCESSING, processing_started_at__gte=stuck_before
    )
    if not retryable.update(status=ProcessingStatus.PENDING, failure_reason="", attempts=0):
        return False
    asset.status, asset.failure_reason, asset.attempts = ProcessingStatus.PENDING, "", 0
    job = fetch_job(asset.job_id, get_queue().connection)
    if job is not None and job.get_status(refresh=False) == JobStatus.STARTED:
        job.delete()  # left by a dead worker
    enqueue_processing(asset)
    return True


def cancel_processing(job_id):
    """Remove an asset's job from Redis, stopping it first if a worker runs it."""
    queue = get_queue()
    job = fetch_job(job_id, queue.connection)
    if job is None:
        return
    if job.get_status(refresh=False) == JobStatus.STARTED:
        with contextlib.suppress(InvalidJobOperation):
            send_stop_job_command(queue.connection, job_id)
    job.delete()


# ---------------------------------------------------------------------------
# The job
# ---------------------------------------------------------------------------
def _claim(asset_id):
    """Mark the asset processing, unless there is nothing to do (deleted, ready, failed)."""
    with transaction.atomic():
        asset = Asset.objects.select_for_update().filter(pk=asset_id).first()
        if asset is None or asset.status not in (ProcessingStatus.PENDING, ProcessingStatus.PROCESSING):
            return None
        asset.mark_processing()
        return asset


def process_asset(asset_id):
    """The "media" job: make the renditions of one asset.

    Idempotent: a re-run starts again from the original in a clean work folder, and
    no rendition is visible before all of them are checked and saved.
    """
    # A replaced original while processing: start again with the new one.
    for _attempt in range(3):
        asset = _claim(asset_id)
        if asset is None:
            return "nothing to do"
        source_name = asset.file.name
        try:
            ready = processing.process(asset)
        except processing.Superseded:
            continue
        except processing.ProcessingFailed as failure:
            failed = Asset.objects.filter(
                pk=asset_id, status=ProcessingStatus.PROCESSING, file=source_name
            ).update(
                status=ProcessingStatus.FAILED,
                failure_reason=str(failure.reason)[:255],
                processing_log=failure.log,
            )
            if not failed and Asset.objects.filter(pk=asset_id, status=ProcessingStatus.PENDING).exists():
                continue  # a new original arrived meanwhile
            logger.info("Media asset %s refused: %s", asset_id, failure.reason)
            return "failed"
        from .draft_captions import request_draft  # imports this module

        request_draft(ready)  # a processed video gets its automatic draft captions
        return "ready"
    return "superseded"


def on_processing_failure(job, connection, exc_type, exc_value, tb):
    """RQ's failure callback: the job raised (or its worker was found dead).

    While retries remain the asset waits ("pending"); after the last one it is failed.
    """
    asset_id = job.args[0]
    log = processing._tail("".join(traceback.format_exception(exc_type, exc_value, tb)))
    if job.retries_left:
        Asset.objects.filter(pk=asset_id, status=ProcessingStatus.PROCESSING).update(
            status=ProcessingStatus.PENDING, processing_log=log
        )
    else:
        Asset.objects.filter(
            pk=asset_id, status__in=[ProcessingStatus.PROCESSING, ProcessingStatus.PENDING]
        ).update(status=ProcessingStatus.FAILED, failure_reason=str(UNEXPECTED), processing_log=log)


# ---------------------------------------------------------------------------
# Reconciler
# ---------------------------------------------------------------------------
def reconcile_stuck_assets(now=None):
    """Re-queue what a dead worker left behind (run every 5 minutes by rqcron).

    * An asset "processing" for longer than the job timeout plus a margin cannot have a
      live worker on it any more: its stale job (still "started" in Redis) is removed
      and the asset re-queued, or failed after MAX_ATTEMPTS.
    * A "pending" asset with no job in Redis (Redis lost, enqueue failed) is queued.

    Safe beside live workers: a job that is queued, scheduled or running within its
    timeout is left alone, updates are conditional on the state that was read, and the
    enqueue is atomic on the job id.
    """
    now = now or timezone.now()
    queue = get_queue()
    older_than = timedelta(seconds=settings.MEDIA_PROCESSING["JOB_TIMEOUT"]) + STUCK_MARGIN
    report = {"requeued": [], "failed": []}

    for asset in Asset.objects.stuck(now=now, older_than=older_than).only(
        "pk", "attempts", "processing_started_at"
    ):
        job = fetch_job(asset.job_id, queue.connection)
        if job is not None and job.get_status(refresh=False) in ACTIVE_STATUSES - {JobStatus.STARTED}:
            continue  # will run
        same_state = Asset.objects.filter(
            pk=asset.pk, status=ProcessingStatus.PROCESSING, processing_started_at=asset.processing_started_at
        )
        if asset.attempts >= MAX_ATTEMPTS:
            if same_state.update(status=ProcessingStatus.FAILED, failure_reason=str(INTERRUPTED)):
                if job is not None:
                    job.delete()
                report["failed"].append(asset.pk)
            continue
        if same_state.update(status=ProcessingStatus.PENDING):
            if job is not None:
                job.delete()  # also takes it out of the started registry
            enqueue_now(asset.pk)
            report["requeued"].append(asset.pk)

    for asset_id in Asset.objects.filter(status=ProcessingStatus.PENDING).values_list("pk", flat=True):
        job = fetch_job(job_id_for(asset_id), queue.connection)
        if job is not None and job.get_status(refresh=False) in ACTIVE_STATUSES:
            continue
        if Asset.objects.filter(pk=asset_id, status=ProcessingStatus.PENDING).exists():
            enqueue_now(asset_id)  # replaces a finished or failed job left under the id
            report["requeued"].append(asset_id)

    if report["requeued"] or report["failed"]:
        logger.warning("Media reconciler: re-queued %s, failed %s", report["requeued"], report["failed"])
    return report
