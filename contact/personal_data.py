"""A seeker's messages and satisfaction surveys in their export; their attachments' files erased with their
account (after the commit: a rolled-back deletion keeps them). Rows go with the account
(cascade); messages a counsellor wrote stay in their seekers' conversations and lose
their author (SET_NULL)."""

from django.db import transaction

from core import privacy

from .models import Attachment, Message, Satisfaction


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


def erase(user):
    names = list(Attachment.objects.filter(message__conversation_id=user.pk).values_list("file", flat=True))
    if names:
        storage = Attachment._meta.get_field("file").storage

        def delete_files():
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete_files)


privacy.register("contact", export=export, erase=erase)
