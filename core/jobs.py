"""Background jobs that belong to no single app."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string
from rq import get_current_job

logger = logging.getLogger(__name__)


class EmailNotDelivered(Exception):
    """What a failed e-mail job leaves in Redis: the kind of error, never its text (a
    mail server's refusal names the recipient)."""


def deliver_email(outgoing_id):
    """Send the core.OutgoingEmail `outgoing_id` (queued by core.notifications), then
    drop it. Nothing to do if it is gone: sent already, or erased with its recipient."""
    from .models import OutgoingEmail

    _drop_old_failures()
    outgoing = OutgoingEmail.objects.filter(pk=outgoing_id, failed_at=None).first()
    if outgoing is None:
        return
    email = _build(outgoing)
    if email is not None:
        try:
            email.send()
        except Exception as error:
            kind = type(error).__name__
            logger.warning("E-mail #%s not delivered (%s)", outgoing_id, kind)
            if _last_attempt():
                _give_up(outgoing)
            raise EmailNotDelivered(kind) from None
    outgoing.delete()


def _build(outgoing):
    subject, body = outgoing.subject, outgoing.body
    attachments = ()
    if outgoing.composer:
        compose = import_string(outgoing.composer)
        if not getattr(compose, "composes_email", False):
            raise ImproperlyConfigured(f"{outgoing.composer} is not an @email_composer")
        written = compose(outgoing.to, outgoing.context)
        if written is None:
            return None
        # (subject, body) or (subject, body, attachments): each a (filename, content,
        # mimetype) tuple or a ready MIME part (EmailMessage.attach takes both).
        subject, body, *more = written
        attachments = more[0] if more else ()
        subject = " ".join(str(subject).splitlines()).strip()
    email = EmailMultiAlternatives(
        subject=subject, body=body, from_email=outgoing.from_email, to=[outgoing.to]
    )
    if outgoing.html_body:
        email.attach_alternative(outgoing.html_body, "text/html")
    for attachment in attachments:
        email.attach(*attachment) if isinstance(attachment, tuple | list) else email.attach(attachment)
    return email


def _last_attempt():
    job = get_current_job()
    return job is None or not job.retries_left


def _give_up(outgoing):
    """Keep the address (so that a deletion finds the failed job) but not the message."""
    outgoing.subject = outgoing.body = outgoing.html_body = ""
    outgoing.context = {}
    outgoing.failed_at = timezone.now()
    outgoing.save()


def _drop_old_failures():
    from .models import OutgoingEmail

    cutoff = timezone.now() - timedelta(seconds=settings.EMAIL_FAILURE_TTL)
    OutgoingEmail.objects.filter(failed_at__lt=cutoff).delete()


def publish_scheduled():
    """Publish and unpublish pages whose scheduled time has come (run by rqcron)."""
    call_command("publish_scheduled")


def remove_stale_uploads():
    """Unfinished resumable uploads nobody resumed (run by rqcron)."""
    from .resumable import remove_stale

    removed = remove_stale()
    if removed:
        logger.info("%s stale resumable upload(s) removed", removed)
