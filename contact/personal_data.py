"""What the contact app holds about a person, in their export. Appointments go with the
seeker's or the counsellor's account (cascades), and so do a counsellor's opening hours
and time off."""

from core import privacy

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


privacy.register("contact.appointments", export=export_appointments)
