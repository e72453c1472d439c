"""The e-mail that tells someone a message waits for them.

Sent only when a message is still unread CONTACT_EMAIL_DELAY_MINUTES after it was
sent (the job is scheduled then by contact.messages.send), and once per batch: the
job tells the recipient about every unread message of the same side that nobody told
them about yet, and marks them all (`Message.notified_at`). Another job of the same
batch, or the same job run twice, then finds nothing to do. The conversation's row is
locked for the whole decision, so two workers never send the same batch twice.

The e-mail never contains the message (it may be read by others on the way): only
that there is one, and the link to the conversation.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from core.notifications import send_templated_email

from .models import Conversation, Message


def notify_unread(message_id, base_url="", *, now=None):
    """Tell the recipient of the message `message_id` that it (and its batch) waits for
    them, unless it was read or told already. Returns the number of messages told."""
    now = now or timezone.now()
    conversation_id = Message.objects.filter(pk=message_id).values_list("conversation_id", flat=True).first()
    if conversation_id is None:  # erased with its seeker
        return 0
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("seeker__seeker_profile__counsellor")
            .get(pk=conversation_id)
        )
        message = (
            Message.objects.filter(pk=message_id).values("from_seeker", "read_at", "notified_at").first()
        )
        if message is None or message["read_at"] or message["notified_at"]:
            return 0
        from_seeker = message["from_seeker"]
        batch = Message.objects.filter(
            conversation=conversation,
            from_seeker=from_seeker,
            read_at__isnull=True,
            notified_at__isnull=True,
        )
        told = batch.update(notified_at=now)
        seeker = conversation.seeker
        recipient = seeker.seeker_profile.counsellor if from_seeker else seeker
        if recipient is None or not recipient.is_active:
            return told
        if from_seeker:
            url = reverse("contact:conversation", args=[seeker.pk])
        else:
            url = reverse("contact:my_messages")
        with translation.override(settings.LANGUAGE_CODE):
            send_templated_email(
                recipient.email,
                subject_template="contact/messages/email/unread_subject.txt",
                body_template="contact/messages/email/unread_body.txt",
                context={
                    "recipient": recipient,
                    "seeker": seeker,
                    "from_seeker": from_seeker,
                    "count": told,
                    "url": base_url.rstrip("/") + url,
                },
            )
    return told
