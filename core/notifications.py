"""The one way Tremplin sends e-mail: stored now, delivered by an RQ job.

The message is rendered in the caller's language and request and stored as a
core.OutgoingEmail row; its id goes to the `default` queue after the transaction
commits, so a slow or failing mail server never slows a page down or loses a message
(the job retries). Redis only ever sees the row's id: no address, no message, no link,
so an account's deletion finds everything in the database (core/personal_data.py).
"""

from django.conf import settings
from django.template.loader import render_to_string
from rq import Retry

from media import queues

from .jobs import deliver_email
from .models import OutgoingEmail

EMAIL_RETRY = Retry(max=3, interval=[60, 300, 900])


def send_email(to, subject, body, *, html_body=None, from_email=None):
    """Queue one e-mail to the address `to`."""
    return _queue(
        OutgoingEmail.objects.create(
            to=to,
            subject=" ".join(str(subject).splitlines()).strip(),
            body=str(body),
            html_body=str(html_body) if html_body else "",
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        )
    )


def send_templated_email(to, *, subject_template, body_template, context, from_email=None):
    """Render the subject and plain-text body templates with `context`, then queue."""
    subject = render_to_string(subject_template, context)
    body = render_to_string(body_template, context)
    return send_email(to, subject, body, from_email=from_email)


def send_composed_email(to, composer, context=None, *, from_email=None):
    """Queue an e-mail that the worker writes, or decides not to send, at delivery.

    `composer` is the dotted path of a function marked with `@email_composer`: called
    as `composer(to, context)` by the job, it returns `(subject, body)`, or
    `(subject, body, attachments)` with a list of `(filename, content, mimetype)` or
    MIME parts (a calendar invitation), or None when there is nothing to send. A request that must
    not reveal, by its answer, its work or its time, whether an address has an account (a password reset) stores the same row
    and queues the same job for every address; only the worker looks the address up.
    `context` must be JSON-ready.
    """
    return _queue(
        OutgoingEmail.objects.create(
            to=to,
            composer=composer,
            context=context or {},
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        )
    )


def email_composer(function):
    """Mark `function` as allowed to write messages for send_composed_email."""
    function.composes_email = True
    return function


def _queue(outgoing):
    # No result is kept (nothing to read back); a failed job keeps only the row's id
    # and the kind of error (core.jobs.deliver_email), for EMAIL_FAILURE_TTL.
    return queues.get_queue("default").enqueue(
        deliver_email,
        outgoing.pk,
        job_id=outgoing.job_id,
        retry=EMAIL_RETRY,
        result_ttl=0,
        failure_ttl=settings.EMAIL_FAILURE_TTL,
    )
