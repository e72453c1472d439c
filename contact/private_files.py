"""Message attachments: readable by the conversation's seeker and the counsellor who
follows them now (contact.permissions), through core.private_media's view."""

from core.private_media import register

from .permissions import readable_attachments


def can_read(user, name):
    return readable_attachments(user).filter(file=name).exists()


register("contact", can_read)
