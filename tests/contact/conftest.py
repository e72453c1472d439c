import datetime

import pytest
from django.core.cache import cache

from contact import appointments
from contact.models import OpeningHours


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Each test stores its attachments in its own folder."""
    root = tmp_path / "private"
    root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = str(root)
    return root


@pytest.fixture(autouse=True)
def fresh_cache():
    """Unread counts are cached (locmem in tests): each test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def scheduled(queues):
    """The default queue's scheduled jobs (the e-mails about unread messages), emptied
    before and after the test."""
    registry = queues["default"].scheduled_job_registry

    def clear():
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)

    clear()
    yield registry
    clear()


def open_every_day(counsellor, starts=datetime.time(8), ends=datetime.time(20)):
    """Opening hours every day of the week (so tests find free slots whatever the day)."""
    agenda = appointments.agenda_of(counsellor)
    for weekday in range(7):
        OpeningHours.objects.create(agenda=agenda, weekday=weekday, starts=starts, ends=ends)
    return agenda


@pytest.fixture
def agenda(counsellor):
    return open_every_day(counsellor)
