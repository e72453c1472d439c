"""Fixtures shared by every test.

Redis is always real: the machine's server in CI (REDIS_URL), or the embedded one
that `make test` starts (tremplin.embedded_redis).
"""

import django_rq
import pytest
from rq import SimpleWorker

from tests.factories import CounsellorFactory, EditorFactory, ManagerFactory, SeekerFactory, TeamFactory
from tests.factories.accounts import PASSWORD

QUEUE_NAMES = ("default", "media", "transcription")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def home_page(db):
    """The page tree that seed_demo builds: a published HomePage at the site root."""
    from core.demo import seed

    return seed(lambda *args: None)


@pytest.fixture
def queues():
    """The RQ queues, emptied before and after the test."""
    found = {name: django_rq.get_queue(name) for name in QUEUE_NAMES}
    for queue in found.values():
        queue.empty()
    yield found
    for queue in found.values():
        queue.empty()


class InProcessWorker(SimpleWorker):
    """A SimpleWorker that does not listen for remote commands (kill, stop): nothing
    sends them to a worker that lives for one burst, and redis-py's pub/sub thread can
    take its whole 60-second poll to stop when the burst ends."""

    def subscribe(self):
        pass


@pytest.fixture
def run_jobs(queues):
    """Run every queued job now, in this process, with a real RQ worker.

    A SimpleWorker (no fork) shares the test's database transaction and Django's
    locmem mail outbox. Returns the number of jobs that ran.
    """

    def run(*names):
        names = names or QUEUE_NAMES
        worker = django_rq.get_worker(*names, worker_class=InProcessWorker)
        before = sum(queues[name].count for name in names)
        worker.work(burst=True)
        return before

    return run


@pytest.fixture
def team(db):
    return TeamFactory()


@pytest.fixture
def counsellor(db, team):
    return CounsellorFactory(email="conseillere@exemple.test", team=team)


@pytest.fixture
def seeker(db, counsellor):
    return SeekerFactory(email="demandeur@exemple.test", counsellor=counsellor, modality="guide")


@pytest.fixture
def other_seeker(db):
    return SeekerFactory(email="autre@exemple.test")


@pytest.fixture
def manager(db, team):
    manager = ManagerFactory(email="responsable@exemple.test", team=team)
    team.manager = manager
    team.save()
    return manager


@pytest.fixture
def editor(db):
    return EditorFactory(email="editrice@exemple.test")
