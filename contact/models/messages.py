"""Messages: one conversation per seeker with whoever follows them now.

The conversation belongs to the seeker, not to a counsellor: after a reassignment the
new counsellor reads the whole history and the former one nothing more
(contact.permissions). A message says which side wrote it (`from_seeker`), so "unread"
and "read" never depend on who follows the seeker today, and survive the author's
account.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.file_kinds import KIND_LABELS
from core.private_media import PrivateUploadTo, private_storage

BODY_MAX_LENGTH = 5000


class Conversation(models.Model):
    """A seeker's conversation with their counsellor; its key is the seeker's id."""

    seeker = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seeker"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="conversation",
    )
    created_at = models.DateTimeField(_("started on"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    # When the seeker's oldest message still without an answer was sent (None when the
    # counsellor had the last word): the counsellor's inbox is sorted by it.
    waiting_since = models.DateTimeField(_("waiting for an answer since"), null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self):
        return str(self.seeker)


class MessageQuerySet(models.QuerySet):
    def unread_by_seeker(self):
        """Messages the seeker has not read yet (written by their counsellors)."""
        return self.filter(from_seeker=False, read_at__isnull=True)

    def unread_by_counsellor(self):
        """Messages the seeker wrote that no counsellor has read yet."""
        return self.filter(from_seeker=True, read_at__isnull=True)


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, verbose_name=_("conversation"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    from_seeker = models.BooleanField(_("written by the seeker"))
    # Sanitised HTML (core.sanitizer), made from the typed text by contact.messages.
    body = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("sent on"), default=timezone.now)
    read_at = models.DateTimeField(_("read on"), null=True, blank=True)
    # On a counsellor's message that answered a waiting seeker: since when they waited
    # (the first-response times managers see, contact.response_times).
    waited_since = models.DateTimeField(_("answers a wait that began on"), null=True, blank=True)
    # When the other side was told by e-mail that it waits for them (contact.messages_jobs).
    notified_at = models.DateTimeField(_("e-mail sent on"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [
            # The page and its "anything new?" requests: a conversation's messages after an id.
            models.Index(fields=["conversation", "id"], name="message_conversation_id"),
            # Unread counts (navigation badge, portfolio column, e-mail job): small,
            # since read messages leave it.
            models.Index(
                fields=["conversation", "from_seeker"],
                condition=Q(read_at__isnull=True),
                name="message_unread",
            ),
            # First-response times: a team's answers to waiting seekers over a period.
            models.Index(
                fields=["author", "created_at"],
                condition=Q(waited_since__isnull=False),
                name="message_answers",
            ),
        ]

    def __str__(self):
        # What the activity log keeps as the entry's object.
        when = formats.date_format(timezone.localtime(self.created_at), "SHORT_DATETIME_FORMAT")
        return gettext("Message of %(date)s") % {"date": when}


class Attachment(models.Model):
    """A document sent with a message: its kind read from its content (core.file_kinds),
    stored privately under a random name, readable by the seeker and whoever follows
    them now (contact/private_files.py)."""

    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=PrivateUploadTo("contact"), max_length=200
    )
    # The sender's name for it, display text only (core.file_kinds.display_file_name).
    file_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=8, choices=list(KIND_LABELS.items()))
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["file"], name="attachment_file")]

    def __str__(self):
        return self.file_name
