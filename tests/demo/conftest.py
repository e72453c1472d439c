"""One demo for every check of seed_demo.

A seeding takes most of a minute (it makes voiced videos and recordings and runs the
real media jobs on them), so the package seeds once, changes what the second run must
restore, and seeds again to check that it is idempotent; each app's module then reads
the result. What the seeding writes outside the database is kept out of the other tests'
way: files go to a temporary folder, Redis keys are removed, and everything it wrote to
the database is rolled back when the package is done.
"""

import shutil
from dataclasses import dataclass
from io import StringIO

import django_rq
import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from accounts.models import User

SEEKER_EMAIL = "demandeur@tremplin.test"


@dataclass(frozen=True)
class SeededDemo:
    """The demo seeded twice (the database holds what the second run left) and what the
    checks need from around the runs."""

    first_output: str
    second_output: str
    counts_before_second_run: dict

    def counts_before(self, *models):
        """{model: its row count just before the second run} for these models."""
        return {model: self.counts_before_second_run[model] for model in models}


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="package")
def stale_run_counts():
    """Counts of feedback runs left in Redis under the take ids to come (the database was
    reset, Redis kept): the demo's takes must not be given up because of them."""
    connection = django_rq.get_queue("feedback").connection
    keys = [f"tremplin:interview-take-attempts:{take_id}" for take_id in range(1, 1001)]
    connection.mset(dict.fromkeys(keys, 99))
    yield
    connection.delete(*keys)


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker, tmp_path_factory, stale_run_counts):
    """seed_demo run, the demo seeker renamed, seed_demo run again.

    All of it happens in one transaction, rolled back at the end of the package; each
    test's own transaction (pytest-django's `django_db`) nests in it as a savepoint, and
    the `on_commit` callbacks (the jobs the seeding would queue) never run, as in any
    `django_db` test. The seeding runs its media jobs itself.
    """
    folder = tmp_path_factory.mktemp("demo")
    media = override_settings(MEDIA_ROOT=str(folder / "uploads"), PRIVATE_MEDIA_ROOT=str(folder / "private"))
    with django_db_blocker.unblock(), media, transaction.atomic():
        first_output = seed()
        User.objects.filter(email=SEEKER_EMAIL).update(first_name="Changé")
        counts_before = {model: model.objects.count() for model in apps.get_models() if model._meta.managed}
        second_output = seed()
        yield SeededDemo(first_output, second_output, counts_before)
        transaction.set_rollback(True)
    cache.clear()  # nothing cached about the seeded pages or sites outlives them
    shutil.rmtree(folder)
