"""Retention: recordings older than INTERVIEW_RETENTION_DAYS lose their files, and only
them; the take, its measures, the review and its comments stay."""

import datetime

import pytest
from django.utils import timezone
from rq import cron as rq_cron

from activity.models import ActivityEntry
from core.private_media import private_storage
from interviews import retention
from interviews.models import ReviewComment, Take
from tests.factories import interviews as build

NOW = timezone.make_aware(datetime.datetime(2027, 6, 1, 3, 0))


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.INTERVIEW_RETENTION_DAYS = 180


def aged(take, days):
    Take.objects.filter(pk=take.pk).update(
        created_at=NOW - datetime.timedelta(days=days), measures={"speaking_seconds": 42.0}
    )
    take.refresh_from_db()
    return take


@pytest.mark.django_db
def test_only_recordings_past_the_retention_period_lose_their_files(
    seeker, counsellor, home_page, django_capture_on_commit_callbacks
):
    page = build.interview(home_page)
    attempt = build.started(seeker, page, takes=2)
    old, recent = attempt.takes.order_by("position")
    aged(old, 181)
    aged(recent, 179)
    build.send(attempt)
    review = build.review(attempt, counsellor)
    ReviewComment.objects.create(review=review, take=old, at_seconds=3.5, text="Regardez la caméra.")
    old_name, recent_name = old.recording.name, recent.recording.name

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.delete_expired_recordings(now=NOW) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not private_storage().exists(old_name) and private_storage().exists(recent_name)
    assert (old.recording.name, old.files_deleted_at, old.measures) == ("", NOW, {"speaking_seconds": 42.0})
    assert recent.files_deleted_at is None and recent.recording.name == recent_name
    assert ReviewComment.objects.get(take=old).text == "Regardez la caméra."
    entry = ActivityEntry.objects.get(verb="interview.recording_expired")
    assert (entry.seeker, entry.actor, entry.target_id) == (seeker, None, str(old.pk))

    # Run again: nothing more to do.
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.delete_expired_recordings(now=NOW) == 0


def test_the_job_runs_every_hour_from_rqcron(queues):
    scheduler = rq_cron.CronScheduler(connection=queues["default"].connection)
    scheduler.load_config_from_file("tremplin.cron")
    [job] = [job for job in scheduler.get_jobs() if job.func is retention.delete_expired_recordings]
    assert job.interval == 3600 and job.queue_name == "default"
