"""The rules of messages: sending, reading, unread counts. Views and jobs only call these.

Every function takes the seeker (the conversation's key) and, where time matters, an
explicit `now`.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import urlize
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activity import log
from core.bulk_urls import url_maker
from core.conversations import ConversationSource, ConversationState
from core.sanitizer import sanitize_html
from media import queues

from . import poll_versions, satisfaction
from .messages_jobs import notify_unread
from .models import Attachment, Conversation, Message

DEFAULT_EMAIL_DELAY_MINUTES = 10
DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
UNREAD_CACHE_KEY = "contact:unread:{}"
_PARAGRAPHS = re.compile(r"\n\s*\n")


def email_delay():
    return datetime.timedelta(
        minutes=getattr(settings, "CONTACT_EMAIL_DELAY_MINUTES", DEFAULT_EMAIL_DELAY_MINUTES)
    )


def max_attachment_bytes():
    return getattr(settings, "CONTACT_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_ATTACHMENT_BYTES)


def text_to_html(text):
    """The typed text as the HTML a message stores: what was typed is shown as typed
    (tags included, escaped), addresses become links, blank lines paragraphs; then
    the one sanitiser, which also gives every link its rel."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    paragraphs = []
    for paragraph in _PARAGRAPHS.split(text):
        linked = urlize(paragraph.strip(), nofollow=True, autoescape=True)
        paragraphs.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return sanitize_html("".join(paragraphs))


def conversation_of(seeker):
    """The seeker's conversation, started on first use."""
    conversation, _created = Conversation.objects.get_or_create(seeker=seeker)
    return conversation


def send(seeker, author, text, *, upload=None, kind=None, file_name="", base_url="", now=None, notify=True):
    """Store a message from `author` (the seeker, or the counsellor following them) in
    `seeker`'s conversation, with `upload` (a file already checked: its `kind`, the
    sender's `file_name`) if any. After the commit, an e-mail job is scheduled for when
    the message may still be unread (contact.messages_jobs.notify_unread), unless
    `notify` is False (demo data)."""
    now = now or timezone.now()
    from_seeker = author.pk == seeker.pk
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(seeker=seeker).first()
        if conversation is None:
            conversation = conversation_of(seeker)
        message = Message.objects.create(
            conversation=conversation,
            author=author,
            from_seeker=from_seeker,
            body=text_to_html(text),
            created_at=now,
            waited_since=None if from_seeker else conversation.waiting_since,
        )
        if upload is not None:
            Attachment.objects.create(
                message=message, file=upload, file_name=file_name, kind=kind, size=upload.size
            )
        conversation.last_message_at = now
        if not from_seeker:
            conversation.waiting_since = None
        elif conversation.waiting_since is None:
            conversation.waiting_since = now
        conversation.save(update_fields=["last_message_at", "waiting_since"])
        poll_versions.changed(seeker.pk)
        log.record(seeker, "message.sent", target=message, actor=author, when=now)
        if not from_seeker:
            forget_unread(seeker.pk)
            satisfaction.offer_after_answer(seeker, author, now)
        if notify:
            transaction.on_commit(lambda: schedule_notification(message, base_url))
    return message


def schedule_notification(message, base_url):
    """Ask for contact.messages_jobs.notify_unread in CONTACT_EMAIL_DELAY_MINUTES (RQ's scheduler:
    the workers run with --with-scheduler). One job per message; the first to run for
    a batch of unread messages sends its one e-mail, the others find nothing to do."""
    queues.get_queue("default").enqueue_in(
        email_delay(),
        notify_unread,
        message.pk,
        base_url,
        job_id=f"contact-notify-{message.pk}",
        result_ttl=0,
    )


def mark_read(seeker_id, *, by_seeker, now=None):
    """The reader opened the conversation: the other side's messages are read now.
    Returns how many were unread."""
    now = now or timezone.now()
    unread = Message.objects.filter(
        conversation_id=seeker_id, from_seeker=not by_seeker, read_at__isnull=True
    )
    with transaction.atomic():
        count = unread.update(read_at=now)
        if count:
            poll_versions.changed(seeker_id)
    if count and by_seeker:
        forget_unread(seeker_id)
    return count


def forget_unread(seeker_id):
    """Drop the cached unread count of a seeker, now and again after the commit (a page
    read between the two would cache the old count)."""
    key = UNREAD_CACHE_KEY.format(seeker_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def unread_for_seeker(seeker_id):
    """How many messages the seeker has not read: cached, so the navigation costs no
    query on most pages."""
    key = UNREAD_CACHE_KEY.format(seeker_id)
    count = cache.get(key)
    if count is None:
        count = Message.objects.filter(conversation_id=seeker_id).unread_by_seeker().count()
        cache.set(key, count, 24 * 3600)
    return count


def states_for(seeker_ids):
    """{seeker_id: ConversationState} of the seekers who have a conversation: one query."""
    rows = (
        Conversation.objects.filter(seeker_id__in_ids=seeker_ids)
        .annotate(unread=Coalesce(_unread_by_counsellor(), 0))
        .values_list("seeker_id", "unread", "waiting_since")
    )
    return {seeker_id: ConversationState(unread, waiting_since) for seeker_id, unread, waiting_since in rows}


def _unread_by_counsellor():
    """How many of a conversation's messages from the seeker are unread: a subquery on
    the small partial index of unread messages, not a join on every message."""
    return Subquery(
        Message.objects.filter(conversation=OuterRef("pk"))
        .unread_by_counsellor()
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )


class MessagesSource(ConversationSource):
    """What coaching and the navigation read of messages (core.conversations)."""

    def seeker_url(self):
        return reverse("contact:my_messages")

    def counsellor_url(self, seeker_id):
        return reverse("contact:conversation", args=[seeker_id])

    def inbox_url(self):
        return reverse("contact:inbox")

    def response_times_url(self):
        return reverse("contact:response_times")

    def unread_for_seeker(self, seeker):
        return unread_for_seeker(seeker.pk)

    def states_for(self, seeker_ids):
        return states_for(seeker_ids)


def inbox_for(counsellor):
    """The conversations of `counsellor`'s portfolio with their seeker and how many of
    the seeker's messages are unread (`unread`): one query, to be ordered."""
    return (
        Conversation.objects.filter(
            seeker__seeker_profile__counsellor=counsellor, last_message_at__isnull=False
        )
        .select_related("seeker")
        .annotate(unread=Coalesce(_unread_by_counsellor(), 0))
    )


@dataclass(frozen=True)
class InboxRow:
    """A conversation as the counsellor's inbox lists it, its words and dates ready."""

    seeker: object
    url: str
    name: str
    waiting_since: object
    waiting_for: str
    unread: int
    last_message_at: object
    last_label: str


def waiting_label(since, now):
    """How long a seeker has waited, in the largest whole unit ("depuis 3 h")."""
    if since is None:
        return _("answered")
    minutes = max(int((now - since).total_seconds() // 60), 0)
    if minutes < 60:
        return ngettext("for %(count)s minute", "for %(count)s minutes", minutes) % {"count": minutes}
    if minutes < 24 * 60:
        hours = minutes // 60
        return ngettext("for %(count)s hour", "for %(count)s hours", hours) % {"count": hours}
    days = minutes // (24 * 60)
    return ngettext("for %(count)s day", "for %(count)s days", days) % {"count": days}


def inbox_rows(conversations, *, now):
    """InboxRows of `conversations`: formatted here rather than by template filters on
    each of a portfolio's 250 rows (measured: most of the page's time went there)."""
    url = url_maker("contact:conversation")
    rows = []
    for conversation in conversations:
        seeker = conversation.seeker
        last = conversation.last_message_at
        rows.append(
            InboxRow(
                seeker=seeker,
                url=url(conversation.seeker_id),
                name=seeker.get_full_name() or seeker.email,
                waiting_since=conversation.waiting_since,
                waiting_for=waiting_label(conversation.waiting_since, now),
                unread=conversation.unread,
                last_message_at=last,
                last_label=formats.date_format(timezone.localtime(last), "j F Y, H:i") if last else "",
            )
        )
    return rows
