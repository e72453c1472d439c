"""Automatic draft captions: a library video, once processed, is transcribed on the
"transcription" RQ queue and gets French captions marked as a draft for editors to review.

Built like media.jobs (read it first):
* one job per asset under a fixed id (`Asset.transcription_job_id`), sent to Redis once
  the transaction that asks for it commits; none at all while transcription is off
  (no model configured);
* the asset records where its draft stands (`Asset.transcription_status`): a file the
  pipeline refuses, or a model that cannot be used, fails it with a readable reason and
  no retry; anything else raises and RQ retries; `on_transcription_failure` fails it
  after the last retry;
* a worker killed mid-job leaves the asset "running": `reconcile_stuck_transcriptions`
  (rqcron, every 5 minutes, with the media reconciler) re-queues it once the job timeout
  has certainly passed, and gives up after MAX_ATTEMPTS; a "pending" asset without a job
  (Redis lost) is queued again.

A caption an editor wrote (or changed) is never replaced: the draft is stored only when
the video has no French captions, or only an automatic draft nobody touched.
"""

import logging
import traceback
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rq import Callback, Retry
from rq.job import JobStatus

from . import processing, queues, transcription
from .captions import REQUIRED_CAPTION_LANGUAGE, check_webvtt
from .cues import webvtt_from_words
from .jobs import FAILURE_TTL, RESULT_TTL, RETRY, STUCK_MARGIN
from .models import Asset, Caption, CaptionStatus, ProcessingStatus, TranscriptionStatus
from .queues import ACTIVE_STATUSES, fetch_job

logger = logging.getLogger(__name__)

QUEUE_NAME = "transcription"
MAX_ATTEMPTS = 3
UNEXPECTED = _("Speech to text failed unexpectedly. Ask an administrator to read the worker's log.")
INTERRUPTED = _("Speech to text was interrupted too many times.")
NO_SPEECH = _("No speech was heard in this video.")


def job_timeout():
    return settings.RQ_QUEUES[QUEUE_NAME]["DEFAULT_TIMEOUT"]


def get_queue():
    return queues.get_queue(QUEUE_NAME, commit_mode="auto")


def wants_draft(asset):
    """A processed library video, while transcription is on."""
    return (
        transcription.transcription_enabled()
        and asset.type == "video"
        and asset.status == ProcessingStatus.READY
    )


# ---------------------------------------------------------------------------
# Enqueueing
# ---------------------------------------------------------------------------
def request_draft(asset):
    """Transcribe `asset` once the current transaction commits (nothing while
    transcription is off, or for anything but a processed video)."""
    if not wants_draft(asset):
        return False
    Asset.objects.filter(pk=asset.pk).update(
        transcription_status=TranscriptionStatus.PENDING, transcription_attempts=0, transcription_failure=""
    )
    asset.transcription_status = TranscriptionStatus.PENDING
    asset_id = asset.pk
    transaction.on_commit(lambda: enqueue_now(asset_id), robust=True)
    return True


def enqueue_now(asset_id):
    """Enqueue the asset's transcription unless it is already queued or running."""
    return queues.enqueue_once(
        get_queue(),
        transcribe_asset,
        asset_id,
        job_id=Asset(pk=asset_id).transcription_job_id,
        job_timeout=job_timeout(),
        retry=Retry(**RETRY),
        result_ttl=RESULT_TTL,
        failure_ttl=FAILURE_TTL,
        on_failure=Callback(on_transcription_failure),
        description=f"Draft captions of media asset {asset_id}",
    )


# ---------------------------------------------------------------------------
# The job
# ---------------------------------------------------------------------------
def _replaceable(caption):
    """No caption, or an automatic draft no editor has touched."""
    return caption is None or (caption.automatic and caption.status == CaptionStatus.DRAFT)


def _french_caption(asset_id, *, lock=False):
    captions = Caption.objects.filter(asset_id=asset_id, language=REQUIRED_CAPTION_LANGUAGE)
    return (captions.select_for_update() if lock else captions).first()


def _claim(asset_id):
    """Mark the asset's transcription running, unless there is nothing to do."""
    with transaction.atomic():
        asset = Asset.objects.select_for_update().filter(pk=asset_id).first()
        if asset is None or asset.transcription_status not in (
            TranscriptionStatus.PENDING,
            TranscriptionStatus.RUNNING,
        ):
            return None
        if not wants_draft(asset) or not _replaceable(_french_caption(asset_id)):
            # Transcription turned off, the video changed, or an editor captioned it.
            asset.transcription_status = (
                TranscriptionStatus.DONE if wants_draft(asset) else TranscriptionStatus.NONE
            )
            asset.save(update_fields=["transcription_status"])
            return None
        asset.transcription_status = TranscriptionStatus.RUNNING
        asset.transcription_started_at = timezone.now()
        asset.transcription_attempts += 1
        asset.transcription_failure = ""
        asset.save(
            update_fields=[
                "transcription_status",
                "transcription_started_at",
                "transcription_attempts",
                "transcription_failure",
            ]
        )
        return asset


def _finish(asset_id, status, failure=""):
    Asset.objects.filter(pk=asset_id, transcription_status=TranscriptionStatus.RUNNING).update(
        transcription_status=status, transcription_failure=str(failure)[:255]
    )


def _store_draft(asset, source_name, vtt):
    """Save the draft, unless the video changed meanwhile or an editor wrote captions."""
    check_webvtt(vtt.encode())  # never store what the admin's validator would refuse
    with transaction.atomic():
        current = Asset.objects.select_for_update().filter(pk=asset.pk).first()
        if current is None or current.file.name != source_name:
            return False  # a new original: its own transcription follows
        existing = _french_caption(asset.pk, lock=True)
        if not _replaceable(existing):
            return False
        caption = existing or Caption(asset=current, language=REQUIRED_CAPTION_LANGUAGE)
        previous = caption.file.name if existing else ""
        caption.status, caption.automatic = CaptionStatus.DRAFT, True
        caption.file.save("draft.vtt", ContentFile(vtt.encode()), save=False)
        caption.save()
        if previous:
            storage = caption.file.storage
            transaction.on_commit(lambda: storage.delete(previous), robust=True)
    return True


def transcribe_asset(asset_id):
    """The "transcription" job: French draft captions of one processed video."""
    asset = _claim(asset_id)
    if asset is None:
        return "nothing to do"
    source_name = asset.file.name
    # The audio rendition is the smallest file that holds the sound; it is probed and
    # converted again by media.transcription all the same.
    source = asset.rendition_audio or asset.file
    work_dir = Path(processing.config("WORK_DIR")) / asset.transcription_job_id
    try:
        with processing.work_folder(work_dir) as folder:
            local = processing.copy_from_storage(source, folder / "source")
            transcript = transcription.transcribe(local, language=REQUIRED_CAPTION_LANGUAGE, work_dir=folder)
    except (processing.ProcessingFailed, transcription.ModelError) as failure:
        reason = getattr(failure, "reason", failure)
        logger.warning("Draft captions of media asset %s failed: %s", asset_id, reason)
        _finish(asset_id, TranscriptionStatus.FAILED, reason)
        return "failed"
    vtt = webvtt_from_words(transcript.words)
    if vtt is None:
        _finish(asset_id, TranscriptionStatus.DONE, NO_SPEECH)
        return "no speech"
    stored = _store_draft(asset, source_name, vtt)
    _finish(asset_id, TranscriptionStatus.DONE)
    return "draft" if stored else "kept"


def on_transcription_failure(job, connection, exc_type, exc_value, tb):
    """RQ's failure callback: waiting again while retries remain, failed after the last."""
    asset_id = job.args[0]
    logger.error(
        "Draft captions of media asset %s: %s",
        asset_id,
        processing._tail("".join(traceback.format_exception(exc_type, exc_value, tb))),
    )
    running = Asset.objects.filter(
        pk=asset_id, transcription_status__in=[TranscriptionStatus.RUNNING, TranscriptionStatus.PENDING]
    )
    if job.retries_left:
        running.update(transcription_status=TranscriptionStatus.PENDING)
    else:
        running.update(transcription_status=TranscriptionStatus.FAILED, transcription_failure=str(UNEXPECTED))


# ---------------------------------------------------------------------------
# Reconciler
# ---------------------------------------------------------------------------
def reconcile_stuck_transcriptions(now=None):
    """Re-queue what a dead worker left behind, as media.jobs.reconcile_stuck_assets does."""
    now = now or timezone.now()
    report = {"requeued": [], "failed": []}
    if not transcription.transcription_enabled():
        return report
    queue = get_queue()
    older_than = timedelta(seconds=job_timeout()) + STUCK_MARGIN

    for asset in Asset.objects.stuck_transcribing(now=now, older_than=older_than).only(
        "pk", "transcription_attempts", "transcription_started_at"
    ):
        job = fetch_job(asset.transcription_job_id, queue.connection)
        if job is not None and job.get_status(refresh=False) in ACTIVE_STATUSES - {JobStatus.STARTED}:
            continue
        same_state = Asset.objects.filter(
            pk=asset.pk,
            transcription_status=TranscriptionStatus.RUNNING,
            transcription_started_at=asset.transcription_started_at,
        )
        if asset.transcription_attempts >= MAX_ATTEMPTS:
            if same_state.update(
                transcription_status=TranscriptionStatus.FAILED, transcription_failure=str(INTERRUPTED)
            ):
                if job is not None:
                    job.delete()
                report["failed"].append(asset.pk)
            continue
        if same_state.update(transcription_status=TranscriptionStatus.PENDING):
            if job is not None:
                job.delete()
            enqueue_now(asset.pk)
            report["requeued"].append(asset.pk)

    pending = Asset.objects.filter(transcription_status=TranscriptionStatus.PENDING)
    for asset_id in pending.values_list("pk", flat=True):
        job = fetch_job(Asset(pk=asset_id).transcription_job_id, queue.connection)
        if job is not None and job.get_status(refresh=False) in ACTIVE_STATUSES:
            continue
        enqueue_now(asset_id)
        report["requeued"].append(asset_id)

    if report["requeued"] or report["failed"]:
        logger.warning(
            "Transcription reconciler: re-queued %s, failed %s", report["requeued"], report["failed"]
        )
    return report
