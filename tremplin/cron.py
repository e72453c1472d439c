"""Periodic jobs, loaded by `manage.py rqcron tremplin.cron` (RQ 3's cron scheduler).

Each job is enqueued on a queue and run by the ordinary workers.
"""

from rq import cron

from core.jobs import publish_scheduled, remove_stale_uploads
from interviews.jobs import reconcile_stuck_takes
from interviews.retention import delete_expired_recordings
from interviews.transcripts import reconcile_pending
from media.draft_captions import reconcile_stuck_transcriptions
from media.jobs import reconcile_stuck_assets

# Wagtail's scheduled publishing and unpublishing.
cron.register(publish_scheduled, "default", interval=60, job_timeout=120, name="publish_scheduled")

# Media assets left "processing" by a dead worker, or "pending" with no job: re-queued.
cron.register(
    reconcile_stuck_assets, "default", interval=5 * 60, job_timeout=120, name="media_reconcile_stuck_assets"
)

# Automatic draft captions left "running" by a dead worker, or "pending" with no job.
cron.register(
    reconcile_stuck_transcriptions,
    "default",
    interval=5 * 60,
    job_timeout=120,
    name="media_reconcile_stuck_transcriptions",
)

# Resumable uploads left unfinished for RESUMABLE_UPLOAD_STALE_HOURS: removed with their bytes.
cron.register(
    remove_stale_uploads, "default", interval=60 * 60, job_timeout=300, name="core_remove_stale_uploads"
)

# Interview answers whose feedback a dead worker left "processing", or received with no job.
cron.register(
    reconcile_stuck_takes,
    "default",
    interval=5 * 60,
    job_timeout=120,
    name="interviews_reconcile_stuck_takes",
)

# Mock-interview recordings older than INTERVIEW_RETENTION_DAYS: their files deleted.
cron.register(
    delete_expired_recordings,
    "default",
    interval=60 * 60,
    job_timeout=600,
    name="interviews_delete_expired_recordings",
)

# Interview answers' transcripts left "pending" by a dead worker, or with no job.
cron.register(
    reconcile_pending,
    "default",
    interval=5 * 60,
    job_timeout=120,
    name="interviews_reconcile_pending_transcripts",
)
