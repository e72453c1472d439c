"""Simultaneous bookings (not a test): many seekers ask for the same few slots at once.

    DATABASE_URL=postgres://… .venv/bin/python bench/booking_race.py [--attempts 200] [--slots 50]

In a throw-away test database (created, migrated, destroyed), one counsellor opens
exactly `--slots` slots of 15 minutes tomorrow and follows `--attempts` seekers. Each
seeker asks for one of the slots (round robin, so every slot is wanted by several),
through contact.appointments.book, from worker threads that each hold their own
database connection and are released together by a barrier. PostgreSQL allows 100
connections by default: at most `--connections` threads (40) take the attempts in
turns, so most of them race.

Every attempt must end booked or told the slot is taken (SlotTaken); anything else is a
failure. Afterwards one query counts the overlapping pairs of active appointments of the
counsellor: the double bookings, which must be 0.

The last line is `booked=<n>/<slots> refused=<r> refused_by_the_database=<k> failed=<f>
double_bookings=<d> seconds=<s>` (target: booked equals slots, failed and double_bookings
are 0); `k` counts the refusals that only the exclusion constraint could make (both
requests had seen the slot free).
"""

import argparse
import datetime
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from contact import appointments  # noqa: E402
from contact.availability import PARIS  # noqa: E402
from contact.models import Appointment, OpeningHours  # noqa: E402
from tests.factories import CounsellorFactory, SeekerFactory  # noqa: E402


def prepare(attempts, slots):
    if slots > 72:
        sys.exit("At most 72 slots (15 minutes each, from 6:00 to 24:00).")
    counsellor = CounsellorFactory()
    agenda = appointments.agenda_of(counsellor)
    agenda.slot_minutes = 15
    agenda.save()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    opens = datetime.datetime.combine(tomorrow, datetime.time(6), tzinfo=PARIS)
    closes = opens + datetime.timedelta(minutes=15 * slots)
    OpeningHours.objects.create(
        agenda=agenda, weekday=tomorrow.weekday(), starts=opens.time(), ends=closes.time()
    )
    seekers = [SeekerFactory(counsellor=counsellor) for _ in range(attempts)]
    free = [
        slot
        for slot in appointments.free_slots(counsellor, now=timezone.now())
        if slot.starts_at.astimezone(PARIS).date() == tomorrow
    ]
    assert len(free) == slots, (len(free), slots)
    return counsellor, seekers, free


def race(counsellor, seekers, free, connections):
    wanted = [(seeker, free[index % len(free)]) for index, seeker in enumerate(seekers)]
    outcomes = {"booked": 0, "refused": 0, "failed": 0, "by_constraint": 0}
    constraint_says = appointments._overlap_message(False)
    errors = []
    lock = threading.Lock()
    barrier = threading.Barrier(connections)

    def worker(share):
        from django.db import connection as own

        try:
            barrier.wait()
            for seeker, slot in share:
                try:
                    appointments.book(seeker, counsellor, slot.starts_at, channel="visio", by=seeker)
                    outcome = "booked"
                except appointments.SlotTaken as error:
                    outcome = "refused"
                    if str(error) == constraint_says:  # both saw the slot free: the database decided
                        with lock:
                            outcomes["by_constraint"] += 1
                except Exception as error:  # noqa: BLE001 - counted and shown
                    outcome = "failed"
                    errors.append(repr(error))
                with lock:
                    outcomes[outcome] += 1
        finally:
            own.close()

    threads = [
        threading.Thread(target=worker, args=(wanted[index::connections],)) for index in range(connections)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, errors, time.perf_counter() - started


def double_bookings(counsellor):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM contact_appointment a JOIN contact_appointment b
              ON a.counsellor_id = b.counsellor_id AND a.id < b.id
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
             WHERE a.counsellor_id = %s AND a.status <> 'cancelled' AND b.status <> 'cancelled'
            """,
            [counsellor.pk],
        )
        return cursor.fetchone()[0]


def run(attempts=200, slots=50, connections=40):
    """The race in a throw-away test database: (outcomes, errors, seconds, double bookings).
    The database's name is the default connection's TEST NAME (test_<name> unless set)."""
    if connection.vendor != "postgresql":
        sys.exit("Simultaneous connections need PostgreSQL: set DATABASE_URL.")
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        counsellor, seekers, free = prepare(attempts, slots)
        outcomes, errors, seconds = race(counsellor, seekers, free, min(connections, attempts))
        doubles = double_bookings(counsellor)
        assert Appointment.objects.filter(counsellor=counsellor).count() == outcomes["booked"]
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    return outcomes, errors, seconds, doubles


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--slots", type=int, default=50)
    parser.add_argument("--connections", type=int, default=40)
    options = parser.parse_args()
    outcomes, errors, seconds, doubles = run(options.attempts, options.slots, options.connections)
    for error in sorted(set(errors))[:5]:
        print("failure:", error)
    print(
        f"booked={outcomes['booked']}/{options.slots} refused={outcomes['refused']} "
        f"refused_by_the_database={outcomes['by_constraint']} "
        f"failed={outcomes['failed']} double_bookings={doubles} seconds={seconds:.2f}"
    )


if __name__ == "__main__":
    main()
