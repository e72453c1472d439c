"""Demo appointments: the demo counsellor's opening hours (Monday to Friday, 9:00–12:00
and 14:00–16:30) and, in the coming days, a visio appointment with the demo seeker and a
phone one with another seeker of her portfolio, so that the agenda, "Mes rendez-vous" and
the booking page have something to show. Rows only: no invitation is e-mailed and no
reminder scheduled (the queues' Redis may not be up yet)."""

import datetime

from django.utils import timezone

from accounts.demo import COUNSELLOR_EMAIL, SEEKER_EMAIL
from accounts.models import User

from . import appointments, visio
from .availability import PARIS
from .models import Appointment, AppointmentChannel, OpeningHours

HOURS = ((datetime.time(9), datetime.time(12)), (datetime.time(14), datetime.time(16, 30)))
OTHER_SEEKER_EMAIL = "amina.diallo@demo.tremplin.test"


def _next_weekday(after, skip=1):
    day = after + datetime.timedelta(days=skip)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def seed(out):
    counsellor = User.objects.filter(email=COUNSELLOR_EMAIL).first()
    if counsellor is None:
        return
    agenda = appointments.agenda_of(counsellor)
    if not agenda.opening_hours.exists():
        OpeningHours.objects.bulk_create(
            OpeningHours(agenda=agenda, weekday=weekday, starts=starts, ends=ends)
            for weekday in range(5)
            for starts, ends in HOURS
        )
    if Appointment.objects.filter(counsellor=counsellor).exists():
        return
    tomorrow = _next_weekday(timezone.localdate())
    planned = [
        (
            SEEKER_EMAIL,
            _at(tomorrow, 10),
            AppointmentChannel.VISIO,
            "Point sur ma recherche de poste de cariste",
        ),
        (
            OTHER_SEEKER_EMAIL,
            _at(_next_weekday(tomorrow), 14, 30),
            AppointmentChannel.PHONE,
            "Préparer l’entretien",
        ),
    ]
    for email, starts_at, channel, reason in planned:
        seeker = User.objects.filter(email=email, seeker_profile__counsellor=counsellor).first()
        if seeker is None:
            continue
        Appointment.objects.create(
            seeker=seeker,
            counsellor=counsellor,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=agenda.slot_minutes),
            channel=channel,
            reason=reason,
            room=visio.provider().new_room() if channel == AppointmentChannel.VISIO else "",
            created_by=seeker,
        )
    out("Demo appointments: the counsellor's opening hours and two appointments in the coming days.")
