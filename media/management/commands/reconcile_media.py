"""Run the media reconciler now (rqcron runs it every 5 minutes, see tremplin/cron.py)."""

from django.core.management.base import BaseCommand

from media.draft_captions import reconcile_stuck_transcriptions
from media.jobs import reconcile_stuck_assets


class Command(BaseCommand):
    help = "Re-queue media assets (and their transcriptions) left by a dead worker, or pending without a job."

    def handle(self, *args, **options):
        report = reconcile_stuck_assets()
        self.stdout.write(f"Re-queued: {report['requeued'] or 'none'}; failed: {report['failed'] or 'none'}.")
        report = reconcile_stuck_transcriptions()
        self.stdout.write(
            f"Transcriptions re-queued: {report['requeued'] or 'none'}; failed: {report['failed'] or 'none'}."
        )
