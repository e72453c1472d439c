"""Transcripts of mock-interview answers: offline speech to text (media.transcription,
on the workers' `transcription` queue) once an answer's feedback is ready, giving a
deaf counsellor (or seeker) the text of the answer, its words with their times (a
captions track, a clickable transcript) and two more delivery measures: words per
minute of speaking time and filler words. Nothing is inferred beyond the words said.

Off, with no job and no interface, while no model is configured
(`transcription_enabled()`).
"""

import datetime
import logging
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from rq import Retry
from rq.job import JobStatus

from media import processing, queues, transcription
from media.cues import cues_from_words, webvtt_from_words
from media.queues import ACTIVE_STATUSES, fetch_job

from .models import TakeTranscript, TranscriptStatus

logger = logging.getLogger(__name__)

QUEUE_NAME = "transcription"
RETRY = {"max": 2, "interval": [60, 300]}


def job_id(take_id):
    return f"interview-transcript-{take_id}"


def request(take):
    """Transcribe `take` after the current transaction commits (nothing while
    transcription is off, or once the take's files are gone)."""
    if not transcription.transcription_enabled() or take.files_deleted_at:
        return False
    TakeTranscript.objects.update_or_create(
        take=take, defaults={"status": TranscriptStatus.PENDING, "failure": "", "updated_at": timezone.now()}
    )
    take_id = take.pk
    transaction.on_commit(lambda: enqueue(take_id), robust=True)
    return True


def job_timeout():
    return processing.config("FFMPEG_TIMEOUT") + 600


def enqueue(take_id):
    return queues.get_queue(QUEUE_NAME, commit_mode="auto").enqueue(
        transcribe_take,
        take_id,
        job_id=job_id(take_id),
        retry=Retry(**RETRY),
        job_timeout=job_timeout(),
        result_ttl=600,
        description=f"Transcript of interview take {take_id}",
    )


def transcribe_take(take_id):
    """The job: transcribe the take's answer, store words, text and measures."""
    found = TakeTranscript.objects.select_related("take").filter(take_id=take_id).first()
    if found is None or found.take.files_deleted_at or not transcription.transcription_enabled():
        return "nothing to do"
    TakeTranscript.objects.filter(pk=found.pk).update(attempts=F("attempts") + 1)
    take = found.take
    source = take.remuxed or take.recording
    try:
        with processing.work_folder(Path(processing.config("WORK_DIR")) / job_id(take_id)) as folder:
            local = processing.copy_from_storage(source, folder / "source")
            heard = transcription.transcribe(local, language=found.language, work_dir=folder)
    except (processing.ProcessingFailed, transcription.ModelError) as failure:
        reason = str(getattr(failure, "reason", failure))
        logger.warning("Transcript of interview take %s failed: %s", take_id, reason)
        TakeTranscript.objects.filter(pk=found.pk).update(
            status=TranscriptStatus.FAILED, failure=reason, updated_at=timezone.now()
        )
        return "failed"
    speaking = (take.measures or {}).get("speaking_time") or heard.duration
    TakeTranscript.objects.filter(pk=found.pk).update(
        status=TranscriptStatus.DONE,
        text=heard.text,
        words=[[word.text, round(word.start, 2), round(word.end, 2)] for word in heard.words],
        words_per_minute=round(transcription.words_per_minute(heard.words, speaking), 1)
        if heard.words
        else None,
        fillers=dict(transcription.filler_words(heard.words)),
        failure="",
        updated_at=timezone.now(),
    )
    return "done"


MAX_ATTEMPTS = 3
STUCK_MARGIN = datetime.timedelta(minutes=5)
INTERRUPTED = _lazy("The transcription was interrupted too many times.")


def reconcile_pending(now=None):
    """Re-queue the transcripts a dead worker left behind (tremplin.cron, every 5
    minutes): "pending" with no job in Redis, or a job still "started" past its timeout;
    given up after MAX_ATTEMPTS jobs. Returns the re-queued take ids."""
    if not transcription.transcription_enabled():
        return []
    now = now or timezone.now()
    connection = queues.get_queue(QUEUE_NAME, commit_mode="auto").connection
    older_than = datetime.timedelta(seconds=job_timeout()) + STUCK_MARGIN
    requeued = []
    for take_id, attempts in TakeTranscript.objects.filter(status=TranscriptStatus.PENDING).values_list(
        "take_id", "attempts"
    ):
        job = fetch_job(job_id(take_id), connection)
        if job is not None:
            status = job.get_status(refresh=False)
            if status in ACTIVE_STATUSES - {JobStatus.STARTED}:
                continue
            if status == JobStatus.STARTED and job.started_at and job.started_at > now - older_than:
                continue  # a worker may still be on it
            job.delete()
        if attempts >= MAX_ATTEMPTS:
            TakeTranscript.objects.filter(take_id=take_id, status=TranscriptStatus.PENDING).update(
                status=TranscriptStatus.FAILED, failure=str(INTERRUPTED), updated_at=now
            )
            continue
        enqueue(take_id)
        requeued.append(take_id)
    if requeued:
        logger.warning("Interview transcripts: re-queued takes %s", requeued)
    return requeued


def words_of(transcript):
    """The stored words as media.transcription.Words (for captions)."""
    return [transcription.Word(text, start, end, 1.0) for text, start, end in transcript.words]


def webvtt(transcript):
    """The transcript as a WebVTT captions track for the answer's video (None if empty)."""
    return webvtt_from_words(words_of(transcript))


def transcribed(take_ids):
    """{take id: TakeTranscript} of the done transcripts of the takes, in one query."""
    if not take_ids:
        return {}
    return {
        transcript.take_id: transcript
        for transcript in TakeTranscript.objects.filter(take_id__in=take_ids, status=TranscriptStatus.DONE)
    }


@dataclass(frozen=True)
class Line:
    """A line of the transcript as the pages show it: its start, and its words with
    theirs (each word seeks the video there)."""

    start: float
    words: tuple

    @property
    def label(self):
        whole = int(self.start)
        return f"{whole // 60}:{whole % 60:02}"


def lines(transcript):
    """The transcript cut as its captions are (at most two lines of 42 characters)."""
    words = words_of(transcript)
    found, index = [], 0
    for cue in cues_from_words(words):
        line = []
        while index < len(words) and words[index].start < cue.end:
            line.append((words[index].text, words[index].start))
            index += 1
        if line:
            found.append(Line(cue.start, tuple(line)))
    return found


def describe(transcript):
    """What the transcript measures, in plain sentences (translated)."""
    sentences = []
    if transcript.words_per_minute:
        sentences.append(
            _("You spoke about %(rate)s words a minute (about 120 to 160 is easy to follow).")
            % {"rate": round(transcript.words_per_minute)}
        )
    if transcript.fillers:
        said = ", ".join(f"« {word} » × {count}" for word, count in sorted(transcript.fillers.items()))
        sentences.append(
            ngettext(
                "%(count)s filler word: %(said)s.",
                "%(count)s filler words: %(said)s.",
                transcript.filler_count,
            )
            % {"count": transcript.filler_count, "said": said}
        )
    return sentences
