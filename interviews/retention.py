"""Recordings are kept `INTERVIEW_RETENTION_DAYS` (default 180), then their files are
deleted by a periodic job (tremplin.cron), with their transcripts. The take stays, with
its measures, the comments pinned to it and the review: the pages say when the video was deleted. Each
deletion is written in the seeker's activity log, as done by Tremplin itself."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from activity import log

from .models import Take, TakeTranscript
from .signal_handlers import delete_files

BATCH = 200


def expired(now=None):
    """Takes whose files are older than the retention period and still stored."""
    limit = (now or timezone.now()) - datetime.timedelta(days=settings.INTERVIEW_RETENTION_DAYS)
    return Take.objects.filter(created_at__lt=limit, files_deleted_at__isnull=True)


def delete_expired_recordings(*, now=None, batch=BATCH):
    """Delete the files of up to `batch` expired takes (oldest first); returns how many.
    The files leave the storage once the rows say so (after the commit)."""
    now = now or timezone.now()
    with transaction.atomic():
        takes = list(
            expired(now)
            .select_for_update(skip_locked=True)
            .select_related("attempt__seeker")
            .order_by("created_at")[:batch]
        )
        names = []
        for take in takes:
            names += take.stored_names()
            log.record(
                take.attempt.seeker, "interview.recording_expired", target=take, actor=log.SYSTEM, when=now
            )
        expired_ids = [take.pk for take in takes]
        Take.objects.filter(pk__in=expired_ids).update(
            recording="", remuxed="", rendition="", poster="", files_deleted_at=now
        )
        # The transcript is the recording in words: it goes with it.
        TakeTranscript.objects.filter(take_id__in=expired_ids).delete()
        if names:
            transaction.on_commit(lambda: delete_files(names))
    return len(takes)
