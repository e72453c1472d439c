"""The jobs of a recorded answer: feedback first, then the rendition.

* `process_feedback` (queue "feedback", of its own so that it never waits behind a
  library transcode or an e-mail burst): copies the recording into the private storage,
  remuxes it without re-encoding (a WebM from MediaRecorder has no duration and no index
  until then), measures the delivery from its sound and marks the take ready, within
  seconds of the last piece;
* `process_rendition` (queue "media"): one small H.264/AAC MP4 (or M4A) and a poster, for
  devices that cannot play the original.

House style of media.jobs: one job per take under a fixed id (enqueueing twice does
nothing), sent to Redis once the transaction commits; a refused file (not media, too
long, too big: the pipeline's protections) fails the take with a readable reason and
no retry, nothing stored; anything else raises and RQ retries; a worker killed
mid-job leaves the take "processing", which `reconcile_stuck_takes` (tremplin.cron)
re-queues, up to MAX_ATTEMPTS runs.
"""

import logging
import traceback
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rq import Callback, Retry
from rq.job import JobStatus

from core.models import IncompleteUpload, ResumableUpload
from core.private_media import PrivateUploadTo, private_storage
from media import measures, processing, queues
from media.jobs import FAILURE_TTL, RESULT_TTL
from media.models import ProcessingStatus
from media.queues import ACTIVE_STATUSES, fetch_job

from . import transcripts
from .models import InterviewQuestion, Take
from .recordings import PURPOSE, upload_of
from .submissions import delivery_measures

logger = logging.getLogger(__name__)

FEEDBACK_QUEUE = "feedback"
RENDITION_QUEUE = "media"
RETRY = {"max": 2, "interval": [5, 30]}
FEEDBACK_TIMEOUT = 10 * 60
STUCK_MARGIN = timedelta(minutes=2)
MAX_ATTEMPTS = 4
ATTEMPTS_TTL = 24 * 3600

UNEXPECTED = _("Your recording could not be processed. Record it again, or try later.")
INTERRUPTED = _("Processing your recording was interrupted too many times. Record it again.")
LOST = _("Part of your recording was lost on the server before it could be processed. Record it again.")


def feedback_job_id(take_id):
    return f"interview-take-{take_id}"


def rendition_job_id(take_id):
    return f"interview-rendition-{take_id}"


def _queue(name):
    return queues.get_queue(name, commit_mode="auto")


def _enqueue(queue_name, function, take_id, job_id, timeout):
    """Enqueue unless a job under `job_id` is queued, scheduled or running."""
    return queues.enqueue_once(
        _queue(queue_name),
        function,
        take_id,
        job_id=job_id,
        job_timeout=timeout,
        retry=Retry(**RETRY),
        result_ttl=RESULT_TTL,
        failure_ttl=FAILURE_TTL,
        on_failure=Callback(on_job_failure),
        description=f"{function.__name__} for interview take {take_id}",
    )


def enqueue_feedback(take_id):
    """Measure the take in the background, once the current transaction commits."""
    transaction.on_commit(lambda: enqueue_feedback_now(take_id), robust=True)


def enqueue_feedback_now(take_id):
    return _enqueue(FEEDBACK_QUEUE, process_feedback, take_id, feedback_job_id(take_id), FEEDBACK_TIMEOUT)


def enqueue_rendition_now(take_id):
    timeout = settings.MEDIA_PROCESSING["JOB_TIMEOUT"]
    return _enqueue(RENDITION_QUEUE, process_rendition, take_id, rendition_job_id(take_id), timeout)


# ---------------------------------------------------------------------------
# Limits and measures
# ---------------------------------------------------------------------------
def answer_seconds(take):
    """The question's maximum answer length (the default one if the question is gone)."""
    if take.question is not None:
        return take.question.answer_seconds
    return InterviewQuestion._meta.get_field("answer_seconds").default


def limits_for(take):
    """The pipeline's limits, narrowed to an answer: its size and its length (the
    question's maximum plus a margin)."""
    return processing.Limits.from_settings(
        max_bytes=settings.INTERVIEW_MAX_UPLOAD_BYTES,
        max_duration=answer_seconds(take) + settings.INTERVIEW_ANSWER_MARGIN_SECONDS,
    )


def describe(take):
    """The take's measures in plain sentences (translated), or []."""
    found = delivery_measures(take.measures)
    return measures.describe(found, max_seconds=answer_seconds(take)) if found else []


# ---------------------------------------------------------------------------
# Attempts: a file that keeps killing workers is given up
# ---------------------------------------------------------------------------
def _attempts_key(take_id):
    return f"tremplin:interview-take-attempts:{take_id}"


def reset_attempts(take_id):
    """Start the take's count of runs at zero, when a take is made (interviews.recordings)
    or its jobs are run by hand (seed_demo): a count left in Redis under the same take
    id (the database was reset, Redis kept) would give the new take up at once."""
    _queue(FEEDBACK_QUEUE).connection.delete(_attempts_key(take_id))


def _count_attempt(take_id):
    connection = _queue(FEEDBACK_QUEUE).connection
    key = _attempts_key(take_id)
    count = connection.incr(key)
    connection.expire(key, ATTEMPTS_TTL)
    return count


# ---------------------------------------------------------------------------
# The feedback job
# ---------------------------------------------------------------------------
def _claim(take_id):
    """Mark the take processing, unless there is nothing to do: the take was deleted, is
    done, or is an upload completed after its attempt was sent (sending drops the
    uploads in progress, and this one crossed it); what was uploaded for it is then
    dropped."""
    with transaction.atomic():
        take = (
            Take.objects.select_for_update(of=("self",))
            .select_related("question", "attempt")
            .filter(pk=take_id)
            .first()
        )
        if (
            take is None
            or take.status not in (ProcessingStatus.PENDING, ProcessingStatus.PROCESSING)
            or (take.status == ProcessingStatus.PENDING and take.attempt.is_sent and not take.recording)
        ):
            ResumableUpload.objects.filter(purpose=PURPOSE, target_id=take_id).delete()
            return None
        take.status = ProcessingStatus.PROCESSING
        take.save(update_fields=["status"])
        return take


def _fail(take_id, reason, upload=None):
    """The take failed with `reason`: nothing of the file is kept (a file sent with
    the form is deleted from the storage, an upload with its bytes)."""
    with transaction.atomic():
        take = (
            Take.objects.select_for_update()
            .filter(pk=take_id, status__in=[ProcessingStatus.PENDING, ProcessingStatus.PROCESSING])
            .first()
        )
        if take is not None:
            names = take.stored_names()
            for field in Take.FILE_FIELDS:
                setattr(take, field, "")
            take.status, take.error = ProcessingStatus.FAILED, str(reason)
            take.save(update_fields=[*Take.FILE_FIELDS, "status", "error"])
            transaction.on_commit(lambda: processing.delete_stored(private_storage(), names))
        if upload is not None:
            upload.delete()


def _copy_source(take, upload, target, limits):
    """The recording into the work folder: from the completed upload, or (a file sent
    with the form) from the storage."""
    if upload is not None and upload.is_complete:
        try:
            handle = upload.open()
        except IncompleteUpload:
            raise processing.ProcessingFailed(LOST) from None
        with handle:
            return processing.copy_from_storage(File(handle, name=str(upload.path)), target, limits=limits)
    if take.recording:
        return processing.copy_from_storage(take.recording, target, limits=limits)
    raise processing.ProcessingFailed(processing.MISSING)


def _save(storage, path, name):
    """Store a file of the work folder under a random name (extension kept)."""
    with open(path, "rb") as handle:
        return storage.save(PrivateUploadTo("interviews")(None, name), File(handle))


def process_feedback(take_id):
    """The "feedback" job of one take. Idempotent: a re-run starts again from the
    upload (or the stored recording) in a clean work folder; nothing is visible on the
    take before everything is measured and stored."""
    if _count_attempt(take_id) > MAX_ATTEMPTS:
        take = Take.objects.filter(pk=take_id).first()
        _fail(take_id, INTERRUPTED, upload_of(take) if take else None)
        return "failed"
    take = _claim(take_id)
    if take is None:
        return "nothing to do"
    upload = upload_of(take)
    limits = limits_for(take)
    storage = private_storage()
    saved = []
    work_dir = Path(processing.config("WORK_DIR")) / feedback_job_id(take_id)
    try:
        with processing.work_folder(work_dir) as work:
            source = _copy_source(take, upload, work / "original", limits)
            info = processing.probe(source, limits=limits)
            [remuxed] = processing.remux(source, work, info=info, limits=limits).outputs
            found = measures.measure(
                remuxed.path, work, limits=limits, long_pause=settings.INTERVIEW_LONG_PAUSE_SECONDS
            )
            suffix = remuxed.path.suffix
            if not take.recording:
                saved.append(_save(storage, source, f"recording{suffix}"))
            saved.append(_save(storage, remuxed.path, f"remuxed{suffix}"))
    except processing.ProcessingFailed as failure:
        processing.delete_stored(storage, saved)
        logger.info("Interview take %s refused: %s", take_id, failure.reason)
        _fail(take_id, failure.reason, upload)
        return "failed"
    except BaseException:
        processing.delete_stored(storage, saved)
        raise
    with transaction.atomic():
        current = Take.objects.select_for_update().filter(pk=take_id).first()
        if current is None or current.status != ProcessingStatus.PROCESSING:
            transaction.on_commit(lambda: processing.delete_stored(storage, saved))
            return "superseded"
        if not current.recording:
            current.recording = saved.pop(0)
        current.remuxed = saved[-1]
        current.measures = asdict(found)
        current.duration = round(remuxed.duration, 3)
        current.status = ProcessingStatus.READY
        current.error = ""
        current.save(update_fields=["recording", "remuxed", "measures", "duration", "status", "error"])
        if upload is not None:
            upload.delete()
        transaction.on_commit(lambda: enqueue_rendition_now(take_id), robust=True)
        # Then the words (the transcription queue, minutes; nothing while it is off).
        transcripts.request(current)
    return "ready"


# ---------------------------------------------------------------------------
# The rendition job
# ---------------------------------------------------------------------------
def process_rendition(take_id):
    """The "media" job of one ready take: the MP4 (or M4A) and the poster, made from
    the remuxed recording. A refused file leaves the take without them (the original
    still plays where it can); idempotent like the feedback job."""
    take = Take.objects.select_related("question").filter(pk=take_id, status=ProcessingStatus.READY).first()
    if take is None or not take.remuxed or take.rendition:
        return "nothing to do"
    limits = limits_for(take)
    storage = private_storage()
    source_name = take.remuxed.name
    saved = {}
    work_dir = Path(processing.config("WORK_DIR")) / rendition_job_id(take_id)
    try:
        with processing.work_folder(work_dir) as work:
            source = processing.copy_from_storage(take.remuxed, work / "source", limits=limits)
            result = processing.process_file(source, work, processing.RECORDING_PLAN, limits=limits)
            for output in result.outputs:
                saved[output.form] = _save(storage, output.path, output.path.name)
    except processing.ProcessingFailed as failure:
        processing.delete_stored(storage, saved.values())
        logger.warning("Interview take %s: no rendition: %s", take_id, failure.reason)
        return "failed"
    except BaseException:
        processing.delete_stored(storage, saved.values())
        raise
    with transaction.atomic():
        current = Take.objects.select_for_update().filter(pk=take_id, remuxed=source_name).first()
        if current is None:
            transaction.on_commit(lambda: processing.delete_stored(storage, saved.values()))
            return "superseded"
        current.rendition = saved.get(processing.VIDEO) or saved.get(processing.AUDIO, "")
        current.poster = saved.get(processing.POSTER, "")
        current.save(update_fields=["rendition", "poster"])
    return "ready"


def on_job_failure(job, connection, exc_type, exc_value, tb):
    """RQ's failure callback: while retries remain the take waits ("pending"); after
    the last one its feedback is failed (a rendition simply stays missing)."""
    take_id = job.args[0]
    if job.id != feedback_job_id(take_id):
        return
    logger.error(
        "Interview take %s: %s", take_id, "".join(traceback.format_exception(exc_type, exc_value, tb))[-2000:]
    )
    if job.retries_left:
        Take.objects.filter(pk=take_id, status=ProcessingStatus.PROCESSING).update(
            status=ProcessingStatus.PENDING
        )
    else:
        take = Take.objects.filter(pk=take_id).first()
        _fail(take_id, UNEXPECTED, upload_of(take) if take else None)


# ---------------------------------------------------------------------------
# Reconciler
# ---------------------------------------------------------------------------
def reconcile_stuck_takes(now=None):
    """Re-queue the feedback a dead worker left behind (tremplin.cron, every 5 minutes):
    a take "processing" whose job is gone, or still "started" past its timeout (the
    worker was killed), and a "pending" take whose recording is all there (upload
    complete, or a file sent) with no job in Redis. Returns the re-queued take ids."""
    now = now or timezone.now()
    queue = _queue(FEEDBACK_QUEUE)
    older_than = timedelta(seconds=FEEDBACK_TIMEOUT) + STUCK_MARGIN
    requeued = []
    received = ResumableUpload.objects.filter(purpose=PURPOSE, completed_at__isnull=False).values("target_id")
    candidates = (
        Take.objects.filter(status=ProcessingStatus.PROCESSING)
        | Take.objects.filter(status=ProcessingStatus.PENDING, pk__in=received)
        | Take.objects.filter(status=ProcessingStatus.PENDING).exclude(recording="")
    )
    for take_id, status in candidates.values_list("pk", "status"):
        job = fetch_job(feedback_job_id(take_id), queue.connection)
        if job is not None:
            job_status = job.get_status(refresh=False)
            if job_status in ACTIVE_STATUSES - {JobStatus.STARTED}:
                continue
            if job_status == JobStatus.STARTED and job.started_at and job.started_at > now - older_than:
                continue  # a worker may still be on it
            job.delete()
        if status == ProcessingStatus.PROCESSING:
            Take.objects.filter(pk=take_id, status=ProcessingStatus.PROCESSING).update(
                status=ProcessingStatus.PENDING
            )
        enqueue_feedback_now(take_id)
        requeued.append(take_id)
    if requeued:
        logger.warning("Interview reconciler: re-queued takes %s", requeued)
    return requeued
