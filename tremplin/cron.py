"""Periodic jobs, loaded by `manage.py rqcron tremplin.cron` (RQ 3's cron scheduler).

Each job is enqueued on a queue and run by the ordinary workers.
"""

from rq import cron

from core.jobs import publish_scheduled

# Wagtail's scheduled publishing and unpublishing.
cron.register(publish_scheduled, "default", interval=60, job_timeout=120, name="publish_scheduled")
