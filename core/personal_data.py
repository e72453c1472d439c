from contextlib import suppress

import django_rq
from rq.exceptions import NoSuchJobError
from rq.job import Job

from . import privacy
from .models import OutgoingEmail


def export_outgoing_emails(user):
    return [
        {"subject": outgoing.subject, "queued_at": outgoing.created_at, "failed_at": outgoing.failed_at}
        for outgoing in OutgoingEmail.objects.filter(to__iexact=user.email).order_by("pk")
    ]


def erase_outgoing_emails(user):
    """The e-mails to the person that are not sent yet, and their jobs in Redis: queued,
    waiting for a retry, running or failed (a sent e-mail keeps neither row nor job)."""
    outgoing = OutgoingEmail.objects.filter(to__iexact=user.email)
    connection = django_rq.get_connection("default")
    for job_id in [row.job_id for row in outgoing]:
        with suppress(NoSuchJobError):
            Job.fetch(job_id, connection=connection).delete()
    outgoing.delete()


privacy.register(
    "outgoing_emails",
    export=export_outgoing_emails,
    erase=erase_outgoing_emails,
    models=["core.OutgoingEmail"],
)
