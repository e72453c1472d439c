"""Timestamps read by psycopg's compiled loader come out as Django's own loader reads them."""

import datetime

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.pq import Format

from activity.models import ActivityEntry
from core import postgres_timestamps
from tests.factories import SeekerFactory

# Values PostgreSQL writes in several shapes: microseconds or none, an offset with
# minutes, dates before 1000 and far ahead, the change to summer time in Paris.
TIMESTAMPS = [
    "2026-12-06 22:29:33.123456+00",
    "2026-12-06 22:29:33+00",
    "2026-03-29 01:59:59.999999+00",
    "2026-03-29 03:00:00+02",
    "1999-12-31 23:59:59+05:30",
    "0987-06-05 04:03:02+00",
    "9999-12-31 23:59:59.999999+00",
]


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the loader is psycopg's, for PostgreSQL")


def read(values):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT value::timestamptz FROM unnest(%s::text[]) WITH ORDINALITY AS t(value, n) ORDER BY n",
            [values],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_a_new_connection_reads_timestamps_with_the_compiled_loader():
    postgresql_only()
    connection.ensure_connection()
    parser = postgres_timestamps.compiled_parser()
    assert parser is not None, "psycopg[binary] is a requirement: its compiled loader must be there"
    loader = connection.connection.adapters.get_loader(postgres_timestamps.TIMESTAMPTZ_OID, Format.TEXT)
    assert loader is postgres_timestamps.loader_for(connection.timezone, parser)
    # Django's cursors keep it: they compare its time zone with the connection's.
    assert loader.timezone == connection.timezone


@pytest.mark.django_db
def test_it_reads_what_djangos_loader_reads():
    postgresql_only()
    ours = read(TIMESTAMPS)
    register_tzloader(connection.timezone, connection.connection)  # Django's own, back
    try:
        djangos = read(TIMESTAMPS)
    finally:
        postgres_timestamps.use_compiled_loader(None, connection)
    assert ours == djangos
    assert [value.tzinfo for value in ours] == [value.tzinfo for value in djangos]
    assert ours[0] == datetime.datetime(2026, 12, 6, 22, 29, 33, 123456, tzinfo=datetime.UTC)
    assert ours[3] == datetime.datetime(2026, 3, 29, 1, 0, tzinfo=datetime.UTC)
    assert ours[4] == datetime.datetime(1999, 12, 31, 18, 29, 59, tzinfo=datetime.UTC)
    assert all(value.tzinfo is connection.timezone for value in ours)


@pytest.mark.django_db
def test_a_model_keeps_its_times_to_the_microsecond():
    seeker = SeekerFactory()
    when = datetime.datetime(2026, 10, 25, 1, 30, 0, 654321, tzinfo=datetime.UTC)
    entry = ActivityEntry.objects.create(seeker=seeker, actor=seeker, verb="test", created_at=when)
    assert ActivityEntry.objects.get(pk=entry.pk).created_at == when


@pytest.mark.django_db
def test_other_databases_are_left_alone():
    class OtherDatabase:
        vendor = "sqlite"
        connection = None  # touched, it would raise

    postgres_timestamps.use_compiled_loader(None, OtherDatabase())
