"""Booking, moving, cancelling and closing appointments (contact.appointments and its
views): the rules, Paris time across the clock changes, and double bookings refused by
the database, also when two requests arrive at the same time."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Modality
from activity.models import ActivityEntry
from coaching import overview
from coaching.models import Contact, ContactOutcome
from contact import appointments
from contact.availability import PARIS
from contact.models import Appointment, AppointmentStatus, OpeningHours, TimeOff
from tests.factories import CounsellorFactory, SeekerFactory

from .conftest import open_every_day

UTC = datetime.UTC
# Friday before the March 2027 change; Monday 29 March is in summer time.
FRIDAY_MARCH = datetime.datetime(2027, 3, 26, 10, 0, tzinfo=UTC)
MONDAY_NINE = datetime.datetime(2027, 3, 29, 7, 0, tzinfo=UTC)  # 9:00 in Paris


def weekday_mornings(counsellor):
    agenda = appointments.agenda_of(counsellor)
    for weekday in range(5):
        OpeningHours.objects.create(
            agenda=agenda, weekday=weekday, starts=datetime.time(9), ends=datetime.time(12)
        )
    return agenda


def first_slot(counsellor, seeker=None, now=None):
    return appointments.free_slots(counsellor, now=now or timezone.now(), seeker=seeker)[0]


# --- Paris time across the clock changes ------------------------------------------------


@pytest.mark.django_db
def test_a_slot_booked_before_the_march_change_is_at_nine_in_paris(client, counsellor, seeker):
    weekday_mornings(counsellor)
    slots = appointments.free_slots(counsellor, now=FRIDAY_MARCH, weeks=1)
    # Friday after 11:00 Paris (10:00 UTC): 11:00 and 11:30 left; Monday from 9:00 (7:00 UTC).
    assert [s.starts_at for s in slots[:3]] == [
        datetime.datetime(2027, 3, 26, 10, 0, tzinfo=UTC),
        datetime.datetime(2027, 3, 26, 10, 30, tzinfo=UTC),
        MONDAY_NINE,
    ]
    booked = appointments.book(seeker, counsellor, MONDAY_NINE, channel="visio", by=seeker, now=FRIDAY_MARCH)
    booked.refresh_from_db()
    assert booked.starts_at == MONDAY_NINE
    assert booked.ends_at == MONDAY_NINE + datetime.timedelta(minutes=30)
    assert MONDAY_NINE not in [s.starts_at for s in appointments.free_slots(counsellor, now=FRIDAY_MARCH)]
    client.force_login(seeker)
    page = client.get(reverse("contact:appointment", args=[booked.pk])).content.decode()
    assert "lundi 29 mars 2027, 09:00–09:30" in page


@pytest.mark.django_db
def test_moving_across_the_october_change_keeps_the_wall_clock_time(counsellor, seeker):
    weekday_mornings(counsellor)
    now = datetime.datetime(2027, 10, 28, 6, 0, tzinfo=UTC)
    thursday_ten = datetime.datetime(2027, 10, 28, 8, 0, tzinfo=UTC)  # 10:00, summer time
    monday_ten = datetime.datetime(2027, 11, 1, 9, 0, tzinfo=UTC)  # 10:00, winter time
    booked = appointments.book(seeker, counsellor, thursday_ten, channel="phone", by=counsellor, now=now)
    uid = booked.uid
    appointments.reschedule(booked, monday_ten, by=counsellor, reason="Formation jeudi.", now=now)
    booked.refresh_from_db()
    assert timezone.localtime(booked.starts_at, PARIS).strftime("%a %H:%M") == "Mon 10:00"
    assert booked.starts_at == monday_ten
    assert (booked.uid, booked.sequence) == (uid, 1)


# --- The rules --------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_counsellor_who_follows_the_seeker_can_be_booked(counsellor, other_seeker, agenda):
    slot = first_slot(counsellor)
    with pytest.raises(appointments.BookingError):
        appointments.book(other_seeker, counsellor, slot.starts_at, channel="visio", by=other_seeker)
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_a_time_that_is_not_a_free_slot_is_refused(counsellor, seeker, agenda):
    slot = first_slot(counsellor)
    with pytest.raises(appointments.SlotTaken):
        appointments.book(
            seeker, counsellor, slot.starts_at + datetime.timedelta(minutes=10), channel="visio", by=seeker
        )
    TimeOff.objects.create(agenda=agenda, starts_at=slot.starts_at, ends_at=slot.ends_at)
    with pytest.raises(appointments.SlotTaken):
        appointments.book(seeker, counsellor, slot.starts_at, channel="visio", by=seeker)
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_the_seeker_cancels_until_24_hours_before(counsellor, seeker, agenda, settings):
    now = timezone.now()
    slots = appointments.free_slots(counsellor, now=now)
    soon = next(s for s in slots if s.starts_at > now + datetime.timedelta(hours=2))
    later = next(s for s in slots if s.starts_at > now + datetime.timedelta(hours=25))
    near = appointments.book(seeker, counsellor, soon.starts_at, channel="visio", by=seeker)
    far = appointments.book(seeker, counsellor, later.starts_at, channel="visio", by=seeker)
    with pytest.raises(appointments.BookingError, match="24"):
        appointments.cancel(near, by=seeker)
    appointments.cancel(far, by=seeker)
    far.refresh_from_db()
    assert (far.status, far.sequence) == (AppointmentStatus.CANCELLED, 1)
    # Its slot is free again.
    assert later.starts_at in [s.starts_at for s in appointments.free_slots(counsellor, now=now)]
    settings.APPOINTMENT_SEEKER_CHANGE_HOURS = 1
    appointments.cancel(near, by=seeker)


@pytest.mark.django_db
def test_the_counsellor_cancels_any_time_with_a_reason(counsellor, seeker, agenda):
    now = timezone.now()
    slot = next(
        s
        for s in appointments.free_slots(counsellor, now=now)
        if s.starts_at > now + datetime.timedelta(hours=1)
    )
    booked = appointments.book(seeker, counsellor, slot.starts_at, channel="visio", by=counsellor)
    with pytest.raises(appointments.BookingError):
        appointments.cancel(booked, by=counsellor, reason="  ")
    appointments.cancel(booked, by=counsellor, reason="Absente ce jour-là.")
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED
    assert booked.cancel_reason == "Absente ce jour-là."
    with pytest.raises(appointments.BookingError):
        appointments.cancel(booked, by=counsellor, reason="Deux fois.")


@pytest.mark.django_db
def test_a_move_to_a_taken_slot_is_refused_and_changes_nothing(counsellor, seeker, agenda):
    other = SeekerFactory(counsellor=counsellor)
    now = timezone.now()
    first, second = [
        s
        for s in appointments.free_slots(counsellor, now=now)
        if s.starts_at > now + datetime.timedelta(hours=25)
    ][:2]
    mine = appointments.book(seeker, counsellor, first.starts_at, channel="visio", by=seeker)
    appointments.book(other, counsellor, second.starts_at, channel="visio", by=other)
    with pytest.raises(appointments.SlotTaken):
        appointments.reschedule(mine, second.starts_at, by=seeker)
    mine.refresh_from_db()
    assert (mine.starts_at, mine.sequence) == (first.starts_at, 0)


# --- Double bookings --------------------------------------------------------------------


def overlapping(appointment, **changes):
    fields = {
        "seeker": appointment.seeker,
        "counsellor": appointment.counsellor,
        "starts_at": appointment.starts_at + datetime.timedelta(minutes=15),
        "ends_at": appointment.ends_at + datetime.timedelta(minutes=15),
        "channel": "visio",
    }
    return Appointment(**{**fields, **changes})


@pytest.mark.django_db
def test_overlapping_active_appointments_are_refused_for_the_counsellor_and_the_seeker(
    counsellor, seeker, agenda
):
    booked = appointments.book(
        seeker, counsellor, first_slot(counsellor).starts_at, channel="visio", by=seeker
    )
    colleague = CounsellorFactory()
    with pytest.raises(appointments.SlotTaken, match="vient d’être réservé"):
        appointments._save_alone(overlapping(booked, seeker=SeekerFactory(counsellor=counsellor)))
    with pytest.raises(appointments.SlotTaken, match="a déjà un rendez-vous"):
        appointments._save_alone(overlapping(booked, counsellor=colleague))
    # Back to back is not an overlap; a cancelled appointment frees its time.
    appointments._save_alone(
        overlapping(booked, starts_at=booked.ends_at, ends_at=booked.ends_at + datetime.timedelta(minutes=30))
    )
    appointments.cancel(booked, by=counsellor, reason="Empêchement.")
    appointments._save_alone(overlapping(booked, starts_at=booked.starts_at, ends_at=booked.ends_at))
    assert Appointment.objects.active().count() == 2


@pytest.mark.django_db
def test_on_postgresql_the_database_itself_refuses_an_overlap(counsellor, seeker, agenda):
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints are PostgreSQL's")
    booked = appointments.book(
        seeker, counsellor, first_slot(counsellor).starts_at, channel="visio", by=seeker
    )
    with pytest.raises(IntegrityError, match="appointment_counsellor_no_overlap"), transaction.atomic():
        overlapping(booked, seeker=SeekerFactory(counsellor=counsellor)).save()
    with pytest.raises(IntegrityError, match="appointment_seeker_no_overlap"), transaction.atomic():
        overlapping(booked, counsellor=CounsellorFactory()).save()


def at_once(count, action):
    """Run `action(index)` in `count` threads released together; their results in order."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results[index] = action(index)
        except Exception as error:  # reported in the results
            results[index] = error
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_seekers_asking_for_the_same_slot_at_once_get_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL")
    counsellor = CounsellorFactory()
    open_every_day(counsellor)
    seekers = [SeekerFactory(counsellor=counsellor) for _ in range(2)]
    slot = first_slot(counsellor, now=timezone.now() + datetime.timedelta(minutes=5))
    clients = []
    for person in seekers:
        clients.append(Client())
        clients[-1].force_login(person)

    def ask(index):
        return clients[index].post(
            reverse("contact:book"), {"slot": slot.starts_at.isoformat(), "channel": "visio"}
        )

    responses = at_once(2, ask)
    assert sorted(r.status_code for r in responses) == [302, 409], responses
    refused = next(r for r in responses if r.status_code == 409).content.decode()
    assert "Ce créneau" in refused and ("vient d’être réservé" in refused or "n’est plus libre" in refused)
    assert Appointment.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_constraint_settles_a_race_that_both_checks_missed():
    """Both inserts skip the slot check (as two requests that read the slot free at the
    same instant): PostgreSQL's exclusion constraint lets one through."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL")
    counsellor = CounsellorFactory()
    open_every_day(counsellor)
    seekers = [SeekerFactory(counsellor=counsellor) for _ in range(4)]
    slot = first_slot(counsellor, now=timezone.now() + datetime.timedelta(minutes=5))

    def insert(index):
        appointment = Appointment(
            seeker=seekers[index],
            counsellor=counsellor,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            channel="visio",
        )
        with transaction.atomic():
            appointments._save_alone(appointment)
        return appointment

    results = at_once(4, insert)
    assert sum(isinstance(r, Appointment) for r in results) == 1, results
    assert sum(isinstance(r, appointments.SlotTaken) for r in results) == 3, results
    assert Appointment.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_booking_aborted_by_a_deadlock_is_told_the_slot_is_taken():
    """Two requests each hold an appointment not committed yet, then book a time that
    overlaps the other's: each waits for the other, and PostgreSQL aborts one (deadlock
    detected). That one is told the slot is taken; the other books."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL")
    counsellors = [CounsellorFactory(), CounsellorFactory()]
    seekers = [SeekerFactory() for _ in range(4)]
    starts_at = timezone.now() + datetime.timedelta(days=2)
    both_hold_one = threading.Barrier(2)

    def book_across(index):
        mine, theirs = counsellors[index], counsellors[1 - index]
        with transaction.atomic():
            Appointment.objects.create(
                seeker=seekers[index],
                counsellor=mine,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=30),
                channel="visio",
            )
            both_hold_one.wait(timeout=10)
            crossing = Appointment(
                seeker=seekers[2 + index],
                counsellor=theirs,
                starts_at=starts_at + datetime.timedelta(minutes=15),
                ends_at=starts_at + datetime.timedelta(minutes=45),
                channel="visio",
            )
            appointments._save_alone(crossing)
        return crossing

    results = at_once(2, book_across)
    assert sorted(type(result).__name__ for result in results) == ["Appointment", "SlotTaken"], results
    [refused] = [result for result in results if isinstance(result, appointments.SlotTaken)]
    assert "vient d’être réservé" in str(refused) or "just been booked" in str(refused)
    assert Appointment.objects.count() == 2  # the winner's two; the other's rolled back


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_cancellation_and_a_move_at_once_apply_one_after_the_other():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL")
    counsellor = CounsellorFactory()
    open_every_day(counsellor)
    seeker = SeekerFactory(counsellor=counsellor)
    now = timezone.now()
    first, second = [
        s
        for s in appointments.free_slots(counsellor, now=now)
        if s.starts_at > now + datetime.timedelta(hours=30)
    ][:2]
    booked = appointments.book(seeker, counsellor, first.starts_at, channel="visio", by=seeker)

    def change(index):
        mine = Appointment.objects.get(pk=booked.pk)  # each request reads it on its own
        if index == 0:
            return appointments.cancel(mine, by=seeker)
        return appointments.reschedule(mine, second.starts_at, by=counsellor, reason="Réunion.")

    results = at_once(2, change)
    done = [r for r in results if isinstance(r, Appointment)]
    assert all(isinstance(r, (Appointment, appointments.BookingError)) for r in results), results
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED  # the cancellation always stands
    assert booked.sequence == len(done)  # one step per change made, none lost


# --- Pages ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_seeker_books_a_slot_shown_in_paris_time(client, counsellor, seeker, agenda):
    client.force_login(seeker)
    slot = first_slot(counsellor, seeker)
    page = client.get(reverse("contact:book"))
    assert page.status_code == 200
    text = page.content.decode()
    assert f'value="{slot.starts_at.isoformat()}"' in text
    assert timezone.localtime(slot.starts_at, PARIS).strftime("%H:%M") in text
    assert "Demander un entretien physique" in text
    response = client.post(
        reverse("contact:book"),
        {"slot": slot.starts_at.isoformat(), "channel": "in_person", "reason": "Mon CV"},
    )
    booked = Appointment.objects.get()
    assert response.status_code == 302 and response.url == reverse("contact:appointment", args=[booked.pk])
    assert (booked.seeker, booked.counsellor, booked.created_by, booked.channel) == (
        seeker,
        counsellor,
        seeker,
        "in_person",
    )
    assert ActivityEntry.objects.filter(seeker=seeker, verb="appointment.booked").count() == 1
    mine = client.get(reverse("contact:my_appointments")).content.decode()
    assert reverse("contact:appointment", args=[booked.pk]) in mine
    # The same slot again: told it is no longer free.
    again = client.post(reverse("contact:book"), {"slot": slot.starts_at.isoformat(), "channel": "visio"})
    assert again.status_code == 409 and "n’est plus libre" in again.content.decode()


@pytest.mark.django_db
def test_a_seeker_without_counsellor_is_told_so(client, other_seeker):
    client.force_login(other_seeker)
    response = client.get(reverse("contact:book"), follow=True)
    assert "dès qu’un conseiller vous suivra" in response.content.decode()


@pytest.mark.django_db
def test_the_counsellor_books_for_a_seeker_and_sees_it_in_the_agenda(client, counsellor, seeker, agenda):
    client.force_login(counsellor)
    slot = first_slot(counsellor, seeker)
    response = client.post(
        reverse("contact:book_for", args=[seeker.pk]),
        {"slot": slot.starts_at.isoformat(), "channel": "phone"},
    )
    booked = Appointment.objects.get()
    assert response.status_code == 302 and booked.created_by == counsellor
    day = timezone.localtime(slot.starts_at, PARIS).date()
    for view in ("", "&vue=semaine"):
        text = client.get(reverse("contact:agenda") + f"?jour={day:%Y-%m-%d}{view}").content.decode()
        assert seeker.get_full_name() in text and reverse("contact:appointment", args=[booked.pk]) in text
    elsewhere = client.get(reverse("contact:agenda") + f"?jour={day + datetime.timedelta(days=8):%Y-%m-%d}")
    assert seeker.get_full_name() not in elsewhere.content.decode()
    for odd in ("9999-12-31", "0001-01-01", "demain"):  # today instead, never an error
        assert client.get(reverse("contact:agenda") + f"?jour={odd}&vue=semaine").status_code == 200


@pytest.mark.django_db
def test_cancelling_from_an_email_link_asks_first(client, counsellor, seeker, agenda):
    now = timezone.now()
    slot = next(
        s
        for s in appointments.free_slots(counsellor, now=now)
        if s.starts_at > now + datetime.timedelta(hours=25)
    )
    booked = appointments.book(seeker, counsellor, slot.starts_at, channel="visio", by=seeker)
    client.force_login(seeker)
    url = reverse("contact:cancel", args=[booked.pk])
    assert client.get(url).status_code == 200  # what a mail scanner does: nothing changes
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED
    assert client.post(url).status_code == 302
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED


@pytest.mark.django_db
def test_the_counsellor_moves_with_a_reason(client, counsellor, seeker, agenda):
    now = timezone.now()
    first, second = appointments.free_slots(counsellor, now=now)[:2]
    booked = appointments.book(seeker, counsellor, first.starts_at, channel="visio", by=seeker)
    client.force_login(counsellor)
    url = reverse("contact:move", args=[booked.pk])
    assert f'value="{second.starts_at.isoformat()}"' in client.get(url).content.decode()
    refused = client.post(url, {"slot": second.starts_at.isoformat()})
    assert refused.status_code == 200 and 'class="error-summary"' in refused.content.decode()
    assert (
        client.post(url, {"slot": second.starts_at.isoformat(), "reason": "Réunion d’équipe."}).status_code
        == 302
    )
    booked.refresh_from_db()
    assert (booked.starts_at, booked.sequence) == (second.starts_at, 1)


@pytest.mark.django_db
def test_a_held_appointment_is_a_contact_for_the_renforce_alert(client, counsellor, seeker, agenda):
    profile = seeker.seeker_profile
    profile.modality = Modality.RENFORCE
    profile.save()
    seeker.date_joined = timezone.now() - datetime.timedelta(days=60)
    seeker.save()
    assert overview.Alert.NO_CONTACT in overview.build(type(profile).objects.filter(pk=profile.pk))[0].alerts
    started = timezone.now() - datetime.timedelta(minutes=10)
    booked = Appointment.objects.create(
        seeker=seeker,
        counsellor=counsellor,
        starts_at=started,
        ends_at=started + datetime.timedelta(minutes=30),
        channel="visio",
    )
    client.force_login(counsellor)
    assert client.post(reverse("contact:close", args=[booked.pk]), {"status": "held"}).status_code == 302
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.HELD
    contact = Contact.objects.get(seeker=seeker)
    assert (contact.counsellor, contact.channel, contact.outcome, contact.happened_at) == (
        counsellor,
        "visio",
        ContactOutcome.REACHED,
        started,
    )
    assert (
        overview.Alert.NO_CONTACT not in overview.build(type(profile).objects.filter(pk=profile.pk))[0].alerts
    )


@pytest.mark.django_db
def test_a_missed_or_future_appointment_is_not_a_contact(client, counsellor, seeker, agenda):
    slot = first_slot(counsellor, seeker, now=timezone.now() + datetime.timedelta(hours=1))
    future = appointments.book(seeker, counsellor, slot.starts_at, channel="visio", by=seeker)
    client.force_login(counsellor)
    client.post(reverse("contact:close", args=[future.pk]), {"status": "held"})
    future.refresh_from_db()
    assert future.status == AppointmentStatus.BOOKED
    started = timezone.now() - datetime.timedelta(hours=3)
    past = Appointment.objects.create(
        seeker=seeker,
        counsellor=counsellor,
        starts_at=started,
        ends_at=started + datetime.timedelta(minutes=30),
        channel="phone",
    )
    client.post(reverse("contact:close", args=[past.pk]), {"status": "missed"})
    past.refresh_from_db()
    assert past.status == AppointmentStatus.MISSED
    assert not Contact.objects.exists()
    assert ActivityEntry.objects.filter(verb="appointment.missed").count() == 1


@pytest.mark.django_db
def test_the_counsellor_publishes_opening_hours_and_time_off(client, counsellor):
    client.force_login(counsellor)
    url = reverse("contact:opening_hours")
    assert client.get(url).status_code == 200
    client.post(
        url, {"action": "hours", "hours-weekday": "0", "hours-starts": "14:00", "hours-ends": "16:30"}
    )
    client.post(url, {"action": "slot", "slot-slot_minutes": "45"})
    bad = client.post(
        url, {"action": "hours", "hours-weekday": "1", "hours-starts": "12:00", "hours-ends": "09:00"}
    )
    assert bad.status_code == 200 and 'class="error-summary"' in bad.content.decode()
    agenda = appointments.agenda_of(counsellor)
    assert [str(h) for h in agenda.opening_hours.all()] == ["lundi 14:00–16:30"]
    assert agenda.slot_minutes == 45
    client.post(
        url, {"action": "time_off", "off-starts_at": "2027-03-29T00:00", "off-ends_at": "2027-03-30T00:00"}
    )
    off = agenda.time_off.get()
    assert off.starts_at == datetime.datetime(2027, 3, 28, 22, 0, tzinfo=UTC)  # midnight, summer time
    client.post(url, {"action": "delete_hours", "id": str(agenda.opening_hours.get().pk)})
    client.post(url, {"action": "delete_time_off", "id": "x"})
    assert not agenda.opening_hours.exists() and agenda.time_off.exists()


@pytest.mark.django_db
def test_the_seeker_page_leads_the_counsellor_to_booking(client, counsellor, seeker, manager):
    url = reverse("contact:book_for", args=[seeker.pk])
    client.force_login(counsellor)
    assert url in client.get(reverse("coaching:seeker", args=[seeker.pk])).content.decode()
    client.force_login(manager)
    assert url not in client.get(reverse("coaching:seeker", args=[seeker.pk])).content.decode()


@pytest.mark.django_db
def test_pages_cost_the_same_whatever_the_number_of_appointments(
    client, counsellor, agenda, django_assert_num_queries
):
    """The agenda's week, "Mes rendez-vous" and the booking page in a fixed number of queries."""
    now = timezone.now()
    day = timezone.localtime(now, PARIS).date() + datetime.timedelta(days=1)
    tomorrow = [
        s for s in appointments.free_slots(counsellor, now=now) if s.starts_at.astimezone(PARIS).date() == day
    ]
    seekers = [SeekerFactory(counsellor=counsellor) for _ in range(12)]
    for person, slot in zip(seekers, tomorrow[:12], strict=True):
        appointments.book(person, counsellor, slot.starts_at, channel="visio", by=person)
    client.force_login(counsellor)
    with django_assert_num_queries(6):  # with the week's time off
        week = client.get(reverse("contact:agenda") + f"?jour={day:%Y-%m-%d}&vue=semaine")
    assert all(person.get_full_name() in week.content.decode() for person in seekers)
    client.force_login(seekers[0])
    # With the navigation's unread count (then cached) and the surveys waiting for an answer.
    with django_assert_num_queries(8):
        assert client.get(reverse("contact:my_appointments")).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(reverse("contact:book")).status_code == 200
