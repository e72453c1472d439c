import pytest
from django.core.cache import cache


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
