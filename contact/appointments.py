"""Booking, moving, cancelling and closing appointments: the business rules, with an
explicit `now` and the person acting. Views only call these.

The race for a slot: two seekers (or a seeker and the counsellor) ask for the same slot
at the same time. Both see it free; on PostgreSQL the second insert waits for the first
transaction, then breaks the exclusion constraint (contact.models.appointments) and is
told the slot is taken. SQLite has no such constraint: there the check and the insert
run in one transaction that holds the database's write lock from its start
("IMMEDIATE", tremplin.settings), so the second request checks after the first commits.

New time off and a booking in it: both lock the counsellor's agenda row (book and
reschedule shared, take_time_off exclusive), so either the booking sees the time off and
is refused, or the time off sees the appointment and asks the counsellor what to do
with it. Bookings do not wait for one another there.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activity import log
from coaching.models import Contact, ContactOutcome, SeekerRequest, SeekerRequestKind
from core.notifications import send_templated_email

from . import appointments_reminders as reminders
from . import availability, invitations, satisfaction, visio
from .models import Agenda, Appointment, AppointmentChannel, AppointmentStatus


class BookingError(Exception):
    """A booking, change or cancellation that the rules refuse; its text is for the user."""


class SlotTaken(BookingError):
    pass


class TimeOffClash(Exception):
    """Time off over booked appointments, with no choice made (or made on another list
    than the one there is now): `appointments` lists them, for the counsellor to choose."""

    def __init__(self, appointments):
        super().__init__(f"{len(appointments)} appointment(s) during the time off")
        self.appointments = appointments


class Clash:
    """What to do with the appointments booked during new time off."""

    CANCEL = "cancel"
    KEEP = "keep"


def agenda_of(counsellor):
    agenda, _created = Agenda.objects.get_or_create(counsellor=counsellor)
    return agenda


def free_slots(counsellor, *, now, seeker=None, weeks=None, ignore=None):
    """The counsellor's free slots from today for `weeks` weeks (APPOINTMENT_BOOKING_WEEKS),
    leaving out those where `seeker` has an appointment already. `ignore`: an appointment
    being moved, whose own time counts as free."""
    weeks = weeks or settings.APPOINTMENT_BOOKING_WEEKS
    agenda = Agenda.objects.filter(counsellor=counsellor).first()
    if agenda is None:
        return []  # no opening hours published yet
    start = timezone.localdate(now)
    until = now + datetime.timedelta(weeks=weeks, days=1)
    hours = [availability.WeeklyHours(h.weekday, h.starts, h.ends) for h in agenda.opening_hours.all()]
    busy = list(
        agenda.time_off.filter(ends_at__gt=now, starts_at__lt=until).values_list("starts_at", "ends_at")
    )
    whose = Q(counsellor=counsellor) if seeker is None else Q(counsellor=counsellor) | Q(seeker=seeker)
    taken = Appointment.objects.active().filter(whose, ends_at__gt=now, starts_at__lt=until)
    if ignore is not None:
        taken = taken.exclude(pk=ignore.pk)
    busy += taken.values_list("starts_at", "ends_at")
    return availability.free_slots(
        hours, slot_minutes=agenda.slot_minutes, busy=busy, start=start, weeks=weeks, now=now
    )


def _the_slot(counsellor, starts_at, *, now, seeker, ignore=None):
    for slot in free_slots(counsellor, now=now, seeker=seeker, ignore=ignore):
        if slot.starts_at == starts_at:
            return slot
    raise SlotTaken(_("This slot is no longer free: please choose another one."))


def book(seeker, counsellor, starts_at, *, channel, by, reason="", now=None):
    """Book the free slot of `counsellor` starting at `starts_at` for `seeker`, who must
    be in their portfolio. Raises BookingError (SlotTaken) if it cannot be."""
    now = now or timezone.now()
    if seeker.seeker_profile.counsellor_id != counsellor.pk:
        raise BookingError(_("Appointments are made with the counsellor who follows you."))
    slot = _the_slot(counsellor, starts_at, now=now, seeker=seeker)
    appointment = Appointment(
        seeker=seeker,
        counsellor=counsellor,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        channel=channel,
        reason=reason,
        created_by=by,
        created_at=now,
        room=visio.provider().new_room() if channel == AppointmentChannel.VISIO else "",
    )
    with transaction.atomic():
        _lock_agenda(counsellor, shared=True)
        if _time_off_during(counsellor, appointment.starts_at, appointment.ends_at):
            raise SlotTaken(_("This slot is no longer free: please choose another one."))
        _save_alone(appointment)
        log.record(seeker, "appointment.booked", target=appointment, actor=by, when=now, channel=channel)
        invitations.send(appointment, "booked")
        reminders.schedule(appointment, now=now)
    return appointment


def may_change(appointment, user, *, now):
    """Whether `user` may still cancel or move `appointment` (not why not)."""
    if appointment.status != AppointmentStatus.BOOKED or appointment.ends_at <= now:
        return False
    if user.pk == appointment.counsellor_id:
        return True
    limit = datetime.timedelta(hours=settings.APPOINTMENT_SEEKER_CHANGE_HOURS)
    return user.pk == appointment.seeker_id and appointment.starts_at - now >= limit


def _check_change(appointment, by, reason, now):
    if not may_change(appointment, by, now=now):
        if appointment.status != AppointmentStatus.BOOKED or appointment.ends_at <= now:
            raise BookingError(_("This appointment can no longer be changed."))
        raise BookingError(
            _("Less than %(hours)s hours before the appointment, please contact your counsellor.")
            % {"hours": settings.APPOINTMENT_SEEKER_CHANGE_HOURS}
        )
    if by.pk == appointment.counsellor_id and not reason.strip():
        raise BookingError(_("Please give the seeker a reason."))


def cancel(appointment, *, by, reason="", now=None):
    """Cancel: the seeker until APPOINTMENT_SEEKER_CHANGE_HOURS before, the counsellor
    at any time with a reason."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock(appointment)
        _check_change(appointment, by, reason, now)
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancel_reason = reason.strip()
        appointment.sequence += 1
        appointment.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
        log.record(appointment.seeker, "appointment.cancelled", target=appointment, actor=by, when=now)
        invitations.send(appointment, "cancelled")
        reminders.unschedule(appointment)
    return appointment


def reschedule(appointment, starts_at, *, by, reason="", now=None):
    """Move to another free slot of the same counsellor (same rules as cancelling); the
    appointment keeps its calendar UID, its sequence grows."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_agenda(appointment.counsellor_id, shared=True)  # first, as in take_time_off
        _lock(appointment)
        _check_change(appointment, by, reason, now)
        slot = _the_slot(
            appointment.counsellor, starts_at, now=now, seeker=appointment.seeker, ignore=appointment
        )
        appointment.starts_at, appointment.ends_at = slot.starts_at, slot.ends_at
        appointment.cancel_reason = reason.strip()
        appointment.sequence += 1
        appointment.reminded_day_at = appointment.reminded_hour_at = None
        fields = ["starts_at", "ends_at", "cancel_reason", "sequence", "reminded_day_at", "reminded_hour_at"]
        _save_alone(appointment, update_fields=[*fields, "updated_at"])
        log.record(appointment.seeker, "appointment.moved", target=appointment, actor=by, when=now)
        invitations.send(appointment, "moved")
        reminders.schedule(appointment, now=now)
    return appointment


def close(appointment, status, *, by, now=None):
    """After its start, the counsellor says whether the appointment was held or missed.
    A held one goes into the contact log (the "renforcé" follow-up counts it) and offers
    the seeker the satisfaction survey."""
    now = now or timezone.now()
    if status not in (AppointmentStatus.HELD, AppointmentStatus.MISSED):
        raise BookingError(_("Say whether the appointment was held or missed."))
    with transaction.atomic():
        _lock(appointment)
        if appointment.status != AppointmentStatus.BOOKED or appointment.starts_at > now:
            raise BookingError(_("Only a booked appointment that has started can be marked held or missed."))
        appointment.status = status
        appointment.save(update_fields=["status", "updated_at"])
        if status == AppointmentStatus.HELD:
            contact = Contact.objects.create(
                seeker=appointment.seeker,
                counsellor=by,
                channel=appointment.channel,
                happened_at=appointment.starts_at,
                outcome=ContactOutcome.REACHED,
                summary=appointment.reason,
            )
            log.record(
                appointment.seeker,
                "contact.logged",
                target=contact,
                actor=by,
                when=contact.happened_at,
                channel=contact.channel,
                outcome=contact.outcome,
            )
            # Satisfaction channels share the appointment channels' values.
            satisfaction.offer(
                appointment.seeker,
                counsellor=by,
                channel=appointment.channel,
                about=f"appointment:{appointment.pk}",
                when=now,
            )
        else:
            log.record(appointment.seeker, "appointment.missed", target=appointment, actor=by, when=now)
    return appointment


def booked_during(counsellor, starts_at, ends_at, *, now):
    """The counsellor's booked appointments, not over yet, that overlap the period, with
    their seekers, in order."""
    return (
        Appointment.objects.upcoming(now)
        .filter(counsellor=counsellor)
        .overlapping(starts_at, ends_at)
        .select_related("seeker")
    )


def take_time_off(counsellor, time_off, *, clash=None, seen=None, now=None):
    """Save `time_off` (a new TimeOff) on the counsellor's agenda and return the
    appointments booked during it: cancelled if `clash` is Clash.CANCEL (each seeker gets
    the calendar's CANCEL, the time off's reason as the reason), kept if Clash.KEEP.

    Raises TimeOffClash, saving nothing, when appointments are booked during it and no
    choice was made, or when `seen` (the ids the counsellor was shown) is not the list
    there is now: the choice was made on other appointments. Everything happens in one
    transaction, under the agenda's row lock that booking and moving take too: no
    appointment slips into the period meanwhile, and a cancellation that fails undoes it
    all."""
    now = now or timezone.now()
    with transaction.atomic():
        time_off.agenda = _lock_agenda(counsellor) or agenda_of(counsellor)
        during = list(booked_during(counsellor, time_off.starts_at, time_off.ends_at, now=now))
        ids = {appointment.pk for appointment in during}
        if during and (clash not in (Clash.CANCEL, Clash.KEEP) or set(seen or ()) != ids):
            raise TimeOffClash(during)
        time_off.save()
        if clash == Clash.CANCEL:
            reason = time_off.reason.strip() or _("Your counsellor is absent at that time.")
            for appointment in during:
                cancel(appointment, by=counsellor, reason=reason, now=now)
    return during


def report_problem(appointment, *, by, now=None):
    """The seeker cannot join or hear: an open callback request for the counsellor
    (coaching's requests), who is told at once by e-mail. Pressing twice asks once."""
    now = now or timezone.now()
    when = timezone.localtime(appointment.starts_at).strftime("%d/%m/%Y %H:%M")
    message = _("Technical problem with the video appointment of %(when)s: please call me back.") % {
        "when": when
    }
    with transaction.atomic():
        asked, created = SeekerRequest.objects.get_or_create(
            seeker=appointment.seeker,
            kind=SeekerRequestKind.CALLBACK,
            message=message,
            handled_at=None,
            defaults={"created_at": now, "urgent": True},
        )
        if created:
            log.record(appointment.seeker, "request.callback", target=asked, actor=by, when=now)
            send_templated_email(
                appointment.counsellor.email,
                subject_template="contact/appointments/email/problem_subject.txt",
                body_template="contact/appointments/email/problem_body.txt",
                context={
                    "appointment": appointment,
                    "seeker": appointment.seeker,
                    "seeker_url": settings.WAGTAILADMIN_BASE_URL
                    + reverse("coaching:seeker", args=[appointment.seeker_id]),
                },
            )
    return asked, created


def _lock_agenda(counsellor, *, shared=False):
    """Lock the counsellor's agenda row: new time off and the bookings it would clash with
    take their turns. Bookings and moves take it `shared` (PostgreSQL's FOR SHARE: they
    do not wait for one another, only for time off being added, which takes it FOR
    UPDATE and gets the agenda back, None if there is none). SQLite's transaction holds
    the database's write lock already."""
    counsellor_id = getattr(counsellor, "pk", counsellor)
    if not shared:
        return Agenda.objects.select_for_update().filter(counsellor_id=counsellor_id).first()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {Agenda._meta.db_table} WHERE counsellor_id = %s FOR SHARE",  # noqa: S608
                [counsellor_id],
            )
    return None


def _time_off_during(counsellor, starts_at, ends_at):
    return Agenda.objects.filter(
        counsellor=counsellor, time_off__starts_at__lt=ends_at, time_off__ends_at__gt=starts_at
    ).exists()


def _lock(appointment):
    """Read the appointment again under a row lock (SQLite's transaction holds the write
    lock already): two changes at once (the seeker cancels while the counsellor moves it)
    apply one after the other, the second checking the rules on what the first left."""
    fresh = Appointment.objects.select_for_update().get(pk=appointment.pk)
    for field in ("status", "sequence", "starts_at", "ends_at", "cancel_reason"):
        setattr(appointment, field, getattr(fresh, field))


# PostgreSQL's SQLSTATE for "deadlock detected".
DEADLOCK_DETECTED = "40P01"


def _save_alone(appointment, update_fields=None):
    """Save, unless another active appointment of the counsellor or the seeker overlaps.

    On PostgreSQL the exclusion constraints decide. Requests inserting overlapping rows
    at the same moment wait on each other's check, and PostgreSQL may end such a wait
    by aborting one of them ("deadlock detected", seen with four requests for one
    slot): that one overlaps an appointment being booked at this instant, and is told
    the slot is taken, like the requests that waited until it was."""
    try:
        with transaction.atomic():
            if connection.vendor != "postgresql":
                _refuse_overlaps(appointment)
            appointment.save(update_fields=update_fields)
    except IntegrityError as error:
        name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", "") or ""
        if name.endswith("_no_overlap"):
            raise SlotTaken(_overlap_message(name.startswith("appointment_seeker"))) from None
        raise
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == DEADLOCK_DETECTED:
            raise SlotTaken(_overlap_message(False)) from None
        raise


def _refuse_overlaps(appointment):
    others = Appointment.objects.active().overlapping(appointment.starts_at, appointment.ends_at)
    if appointment.pk:
        others = others.exclude(pk=appointment.pk)
    if others.filter(counsellor=appointment.counsellor_id).exists():
        raise SlotTaken(_overlap_message(False))
    if others.filter(seeker=appointment.seeker_id).exists():
        raise SlotTaken(_overlap_message(True))


def _overlap_message(seekers):
    if seekers:
        return _("The seeker already has an appointment at that time.")
    return _("This slot has just been booked by someone else: please choose another one.")
