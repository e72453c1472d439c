"""The one way Tremplin sends e-mail: rendered now, delivered by an RQ job.

The message is rendered in the caller's language and request, then handed to the
`default` queue after the transaction commits, so a slow or failing mail server
never slows a page down or loses a message (the job retries).
"""

import django_rq
from django.conf import settings
from django.template.loader import render_to_string
from rq import Retry

from .jobs import deliver_email

EMAIL_RETRY = Retry(max=3, interval=[60, 300, 900])


def send_email(to, subject, body, *, html_body=None, from_email=None):
    """Queue one e-mail to the address `to`."""
    message = {
        "to": [to],
        "subject": " ".join(str(subject).splitlines()).strip(),
        "body": str(body),
        "html_body": str(html_body) if html_body else None,
        "from_email": from_email or settings.DEFAULT_FROM_EMAIL,
    }
    return django_rq.get_queue("default").enqueue(
        deliver_email, message, retry=EMAIL_RETRY, failure_ttl=7 * 24 * 3600
    )


def send_templated_email(to, *, subject_template, body_template, context, from_email=None):
    """Render the subject and plain-text body templates with `context`, then queue."""
    subject = render_to_string(subject_template, context)
    body = render_to_string(body_template, context)
    return send_email(to, subject, body, from_email=from_email)
