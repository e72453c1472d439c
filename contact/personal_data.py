"""What the contact app holds about a person, in their export. Appointments go with the
seeker's or the counsellor's account (cascades), and so do a counsellor's opening hours
and time off."""

from django.db.models import Q

from core import privacy

from . import appointments_reminders
from .models import Agenda, Appointment


def export_appointments(user):
    return {
        "appointments": list(
            Appointment.objects.filter(seeker=user).values(
                "counsellor__email", "starts_at", "ends_at", "channel", "status", "reason", "cancel_reason"
            )
        ),
        "agenda": list(
            Agenda.objects.filter(counsellor=user).values(
                "slot_minutes", "opening_hours__weekday", "opening_hours__starts", "opening_hours__ends"
            )
        ),
        "agenda_appointments": list(
            Appointment.objects.filter(counsellor=user).values(
                "seeker_id", "starts_at", "ends_at", "channel", "status"
            )
        ),
    }


def erase_appointments(user):
    """The appointments go with the account (cascade); their reminders wait in Redis."""
    theirs = Appointment.objects.filter(Q(seeker=user) | Q(counsellor=user))
    for appointment_id in theirs.values_list("pk", flat=True):
        appointments_reminders.unschedule_now(appointment_id)


privacy.register("contact.appointments", export=export_appointments, erase=erase_appointments)
