"""What the contact app holds about a person, in their export: a seeker's messages and
satisfaction surveys, appointments (a seeker's and a counsellor's agenda). Rows go with
the account (cascades); messages a counsellor wrote stay in their seekers' conversations
and lose their author (SET_NULL). Attachments' files are erased after the commit (a
rolled-back deletion keeps them); appointments' reminders are unscheduled."""

from django.db import transaction
from django.db.models import Q

from core import privacy

from . import appointments_reminders
from .models import Agenda, Appointment, Attachment, Message, Satisfaction


def export(user):
    return {
        "messages": list(
            Message.objects.filter(conversation_id=user.pk).values(
                "id", "from_seeker", "body", "created_at", "read_at"
            )
        ),
        "attachments": list(
            Attachment.objects.filter(message__conversation_id=user.pk).values(
                "message_id", "file_name", "kind", "size"
            )
        ),
        "satisfaction": list(
            Satisfaction.objects.filter(seeker=user).values(
                "channel", "asked_at", "answered_at", "rating", "comment"
            )
        ),
    }


def files(user):
    """The attachments of the seeker's conversation, by message."""
    for attachment in Attachment.objects.filter(message__conversation_id=user.pk).order_by("pk"):
        yield privacy.PersonalFile(
            f"messages/{attachment.message_id}-{attachment.file_name}", attachment.file.name
        )


def erase(user):
    names = list(Attachment.objects.filter(message__conversation_id=user.pk).values_list("file", flat=True))
    if names:
        storage = Attachment._meta.get_field("file").storage

        def delete_files():
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete_files)


privacy.register("contact", export=export, erase=erase, files=files)


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
