"""Time off over booked appointments (contact.appointments.take_time_off and the
"Mes disponibilités" page): nothing is saved until the counsellor, shown the
appointments of the period, chooses to cancel them all (each seeker gets the calendar's
CANCEL) or to keep them; the agenda shows the absence on the days it covers.

The world: the counsellor opens every day 8:00–20:00; in three days, `seeker` has
appointments at 9:00 (visio) and 10:30 (phone), `second` at 11:00 (in person), all
three in the time off 8:30–12:00 posted; outside it, `seeker` at 14:00; in it but
cancelled already, `second` at 9:30; another counsellor's seeker at 10:00 with them."""

import datetime
import threading
from types import SimpleNamespace

import icalendar
import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activity.models import ActivityEntry
from contact import appointments, appointments_reminders, invitations
from contact.availability import PARIS
from contact.models import Appointment, AppointmentStatus, TimeOff
from tests.factories import CounsellorFactory, SeekerFactory

from .conftest import open_every_day

pytestmark = pytest.mark.django_db

URL = reverse("contact:opening_hours")


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def booked(seeker, counsellor, starts, channel="visio", status=AppointmentStatus.BOOKED):
    return Appointment.objects.create(
        seeker=seeker,
        counsellor=counsellor,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=30),
        channel=channel,
        status=status,
        room="tremplin-test" if channel == "visio" else "",
    )


@pytest.fixture
def world(counsellor, seeker, agenda):
    day = timezone.localdate() + datetime.timedelta(days=3)
    second = SeekerFactory(counsellor=counsellor)
    other_counsellor = CounsellorFactory()
    open_every_day(other_counsellor)
    theirs = SeekerFactory(counsellor=other_counsellor)
    return SimpleNamespace(
        day=day,
        seeker=seeker,
        second=second,
        counsellor=counsellor,
        nine=booked(seeker, counsellor, at(day, 9)),
        half_past_ten=booked(seeker, counsellor, at(day, 10, 30), channel="phone"),
        eleven=booked(second, counsellor, at(day, 11), channel="in_person"),
        afternoon=booked(seeker, counsellor, at(day, 14)),
        cancelled=booked(second, counsellor, at(day, 9, 30), status=AppointmentStatus.CANCELLED),
        other=booked(theirs, other_counsellor, at(day, 10)),
    )


def period(world, **more):
    return {
        "action": "time_off",
        "off-starts_at": f"{world.day:%Y-%m-%d}T08:30",
        "off-ends_at": f"{world.day:%Y-%m-%d}T12:00",
        "off-reason": "Formation régionale",
        **more,
    }


def during(world):
    return [world.nine, world.half_past_ten, world.eleven]


def seen(appointments_listed):
    return ",".join(str(a.pk) for a in appointments_listed)


def states():
    return dict(Appointment.objects.values_list("pk", "status"))


def test_time_off_over_booked_appointments_lists_them_and_saves_nothing(client, world):
    client.force_login(world.counsellor)
    before = states()
    response = client.post(URL, period(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["clashing"]) == during(world)
    assert "3 rendez-vous sont réservés pendant cette absence" in page
    assert "pas encore enregistrée" in page
    for appointment in during(world):
        assert reverse("contact:appointment", args=[appointment.pk]) in page
    for appointment in (world.afternoon, world.cancelled, world.other):
        assert reverse("contact:appointment", args=[appointment.pk]) not in page
    # Date, time, channel and seeker of each.
    assert f"{world.day:%d}".lstrip("0") in page and "09:00–09:30" in page and "10:30–11:00" in page
    assert "Téléphone" in page and "En agence" in page
    assert world.second.get_full_name() in page and world.seeker.get_full_name() in page
    # Nothing typed is lost, and the two choices are offered.
    assert 'value="Formation régionale"' in page
    assert f'value="{world.day:%Y-%m-%d}T08:30"' in page and f'value="{world.day:%Y-%m-%d}T12:00"' in page
    assert 'name="off-clash" value="cancel"' in page and 'name="off-clash" value="keep"' in page
    assert f'name="off-seen" value="{seen(during(world))}"' in page
    assert not TimeOff.objects.exists()
    assert states() == before


def test_without_a_choice_the_list_comes_back_with_an_error(client, world):
    client.force_login(world.counsellor)
    response = client.post(URL, period(world, **{"off-seen": seen(during(world))}))
    page = response.content.decode()
    assert "Choisissez quoi faire de ces rendez-vous" in page
    # The error summary links to the choice, by its name in French.
    assert '<a href="#id_off-clash">Ces rendez-vous: Choisissez' in page
    assert '<fieldset id="id_off-clash"' in page
    assert list(response.context["clashing"]) == during(world)
    assert not TimeOff.objects.exists()


def test_a_choice_made_on_another_list_is_asked_again(client, world):
    """An appointment booked in the period after the list was shown: not cancelled
    unseen; the counsellor sees the new list."""
    client.force_login(world.counsellor)
    late = booked(world.second, world.counsellor, at(world.day, 8, 30), channel="phone")
    response = client.post(URL, period(world, **{"off-seen": seen(during(world)), "off-clash": "cancel"}))
    assert "ont changé" in response.content.decode()
    assert list(response.context["clashing"]) == [late, *during(world)]
    assert not TimeOff.objects.exists()
    assert Appointment.objects.get(pk=late.pk).status == AppointmentStatus.BOOKED


def test_cancel_them_all_cancels_exactly_those_and_tells_the_seekers(
    client, world, queues, run_jobs, django_capture_on_commit_callbacks
):
    for appointment in (world.nine, world.afternoon):
        appointments_reminders._schedule(appointment.pk, appointment.starts_at, appointment.sequence, None)
    client.force_login(world.counsellor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, period(world, **{"off-seen": seen(during(world)), "off-clash": "cancel"}), follow=True
        )
    assert response.redirect_chain == [(URL, 302)]
    assert "3 rendez-vous ont été annulés" in response.content.decode()
    off = TimeOff.objects.get()
    assert (off.agenda.counsellor, off.reason) == (world.counsellor, "Formation régionale")
    assert off.starts_at == at(world.day, 8, 30) and off.ends_at == at(world.day, 12)
    cancelled = {a.pk for a in during(world)}
    after = {a.pk: a for a in Appointment.objects.all()}
    for pk in cancelled:
        assert after[pk].status == AppointmentStatus.CANCELLED
        assert after[pk].cancel_reason == "Formation régionale"
        assert after[pk].sequence == 1
    for untouched in (world.afternoon, world.other):
        assert (after[untouched.pk].status, after[untouched.pk].sequence) == (AppointmentStatus.BOOKED, 0)
    assert (after[world.cancelled.pk].status, after[world.cancelled.pk].sequence) == ("cancelled", 0)
    # The activity log, the reminders.
    logged = ActivityEntry.objects.filter(verb="appointment.cancelled")
    assert sorted(logged.values_list("target_id", flat=True)) == sorted(str(pk) for pk in cancelled)
    assert set(logged.values_list("actor", flat=True)) == {world.counsellor.pk}
    assert appointments_reminders.scheduled(world.nine.pk) == {}
    assert appointments_reminders.scheduled(world.afternoon.pk) != {}
    # The e-mails: a CANCEL for each cancelled appointment, to its seeker (and the counsellor).
    run_jobs("default")
    cancels = {}
    for message in mail.outbox:
        [part] = message.attachments
        calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        assert calendar["METHOD"] == "CANCEL" and part.get_param("method") == "CANCEL"
        [event] = calendar.walk("VEVENT")
        assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
        cancels.setdefault(str(event["UID"]), set()).add(message.to[0])
    assert cancels == {
        world.nine.uid: {world.seeker.email, world.counsellor.email},
        world.half_past_ten.uid: {world.seeker.email, world.counsellor.email},
        world.eleven.uid: {world.second.email, world.counsellor.email},
    }
    told = next(m for m in mail.outbox if m.to == [world.second.email])
    assert "Formation régionale" in told.body


def test_without_a_reason_the_seekers_are_told_the_counsellor_is_absent(client, world):
    client.force_login(world.counsellor)
    data = period(world, **{"off-reason": "", "off-seen": seen(during(world)), "off-clash": "cancel"})
    assert client.post(URL, data).status_code == 302
    reasons = set(
        Appointment.objects.filter(status="cancelled")
        .exclude(pk=world.cancelled.pk)
        .values_list("cancel_reason", flat=True)
    )
    assert reasons == {"Votre conseiller est absent à ce moment-là."}


def test_keep_them_saves_the_time_off_only_and_the_page_says_they_remain(client, world, queues):
    client.force_login(world.counsellor)
    before = states()
    response = client.post(
        URL, period(world, **{"off-seen": seen(during(world)), "off-clash": "keep"}), follow=True
    )
    page = response.content.decode()
    assert TimeOff.objects.count() == 1
    assert states() == before
    assert not ActivityEntry.objects.filter(verb="appointment.cancelled").exists()
    assert "3 rendez-vous restent réservés pendant celle-ci" in page
    assert "3 rendez-vous restent réservés pendant cette absence" in page
    for appointment in during(world):
        assert reverse("contact:appointment", args=[appointment.pk]) in page
    assert reverse("contact:appointment", args=[world.afternoon.pk]) not in page


def test_time_off_over_no_booked_appointment_is_saved_at_once(client, world):
    client.force_login(world.counsellor)
    data = period(world)
    data["off-starts_at"] = f"{world.day:%Y-%m-%d}T15:00"
    data["off-ends_at"] = f"{world.day:%Y-%m-%d}T18:00"
    assert client.post(URL, data).url == URL
    assert TimeOff.objects.count() == 1


def test_a_cancellation_that_fails_undoes_everything(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    """The third cancellation fails (its e-mail cannot be queued): the time off and the
    two first cancellations are undone, nothing is logged or sent."""
    sent = []

    def send_or_fail(appointment, event):
        sent.append(appointment.pk)
        if len(sent) == 3:
            raise ConnectionError("the e-mail queue is unreachable")

    monkeypatch.setattr(invitations, "send", send_or_fail)
    client.force_login(world.counsellor)
    before = states()
    client.raise_request_exception = True
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ConnectionError):
        client.post(URL, period(world, **{"off-seen": seen(during(world)), "off-clash": "cancel"}))
    assert len(sent) == 3
    assert states() == before
    assert dict(Appointment.objects.values_list("pk", "sequence")) == dict.fromkeys(before, 0)
    assert not TimeOff.objects.exists()
    assert not ActivityEntry.objects.filter(verb="appointment.cancelled").exists()
    assert callbacks == []


def test_listing_costs_the_same_whatever_the_number_of_appointments(client, world):
    client.force_login(world.counsellor)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            response = client.post(URL, period(world))
        return len(queries), len(response.context["clashing"])

    few = cost()
    for starts in (at(world.day, 8, 30), at(world.day, 11, 30)):
        booked(SeekerFactory(counsellor=world.counsellor), world.counsellor, starts)
    many = cost()
    assert (few[1], many[1]) == (3, 5)
    assert few[0] == many[0]


def test_the_page_of_kept_appointments_costs_the_same_whatever_their_number(client, world):
    agenda = appointments.agenda_of(world.counsellor)
    TimeOff.objects.create(agenda=agenda, starts_at=at(world.day, 8, 30), ends_at=at(world.day, 12))
    TimeOff.objects.create(agenda=agenda, starts_at=at(world.day, 13), ends_at=at(world.day, 18))
    client.force_login(world.counsellor)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(URL).content.decode()
        return len(queries), page.count("restent réservés pendant cette absence")

    few = cost()
    booked(SeekerFactory(counsellor=world.counsellor), world.counsellor, at(world.day, 15))
    booked(SeekerFactory(counsellor=world.counsellor), world.counsellor, at(world.day, 11, 30))
    many = cost()
    assert (few[1], many[1]) == (1, 2)  # 3 then 4 in the morning; 1 then 2 in the afternoon
    assert few[0] == many[0]


def test_the_agenda_shows_the_absence_on_the_days_it_covers(client, world, counsellor):
    agenda = appointments.agenda_of(world.counsellor)
    TimeOff.objects.create(
        agenda=agenda, starts_at=at(world.day, 8, 30), ends_at=at(world.day, 12), reason="Formation"
    )
    later = world.day + datetime.timedelta(days=1)
    TimeOff.objects.create(
        agenda=agenda, starts_at=at(later, 14), ends_at=at(later + datetime.timedelta(days=2), 10), reason=""
    )
    client.force_login(world.counsellor)

    def absences(day, week=False):
        url = reverse("contact:agenda") + f"?jour={day:%Y-%m-%d}" + ("&vue=semaine" if week else "")
        response = client.get(url)
        return response, {day: absences for day, absences, _booked in response.context["days"]}

    response, days = absences(world.day)
    page = response.content.decode()
    assert "Absent" in page and "de 08:30 à 12:00 — Formation" in page
    assert world.seeker.get_full_name() in page  # the appointments are still shown
    _response, days = absences(later)
    assert "à partir de 14:00" in _response.content.decode()
    _response, days = absences(later + datetime.timedelta(days=1))
    assert "toute la journée" in _response.content.decode()
    _response, days = absences(later + datetime.timedelta(days=2))
    assert "jusqu’à 10:00" in _response.content.decode()
    # The week: each day its own part of the absences; none the day after.
    _response, days = absences(world.day, week=True)
    for day, found in days.items():
        expected = {
            world.day: 1,
            later: 1,
            later + datetime.timedelta(days=1): 1,
            later + datetime.timedelta(days=2): 1,
        }
        assert len(found) == expected.get(day, 0), day
    # Another counsellor's agenda shows none of it.
    client.force_login(world.other.counsellor)
    other = client.get(reverse("contact:agenda") + f"?jour={world.day:%Y-%m-%d}").content.decode()
    assert "Absent" not in other and "Formation" not in other


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_booking_racing_new_time_off_waits_for_it_and_is_refused():
    """The seeker saw the slot free; while the counsellor's time off is being saved (its
    transaction holds the agenda's lock), the booking waits, then sees the time off."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL")
    counsellor = CounsellorFactory()
    open_every_day(counsellor)
    seeker = SeekerFactory(counsellor=counsellor)
    now = timezone.now()
    slot = next(
        s
        for s in appointments.free_slots(counsellor, now=now)
        if s.starts_at > now + datetime.timedelta(hours=2)
    )
    result = []

    def book():
        from django.db import connection as thread_connection

        try:
            result.append(appointments.book(seeker, counsellor, slot.starts_at, channel="phone", by=seeker))
        except appointments.BookingError as error:
            result.append(error)
        finally:
            thread_connection.close()

    thread = threading.Thread(target=book)
    with transaction.atomic():
        time_off = TimeOff(starts_at=slot.starts_at, ends_at=slot.ends_at, reason="Réunion")
        assert appointments.take_time_off(counsellor, time_off, now=now) == []
        thread.start()
        thread.join(timeout=1)
        assert thread.is_alive()  # waiting for the agenda's lock
    thread.join(timeout=10)
    assert len(result) == 1 and isinstance(result[0], appointments.SlotTaken)
    assert not Appointment.objects.exists()


def test_the_weekly_hours_read_from_and_to(client, counsellor):
    """ "to" of the opening hours is a time, not an e-mail's recipient (same English word)."""
    client.force_login(counsellor)
    page = client.get(URL).content.decode()
    assert '<label for="id_hours-ends">À <span class="required">' in page
    assert "Destinataire" not in page
