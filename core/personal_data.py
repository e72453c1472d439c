from media import queues

from . import privacy
from .models import OutgoingEmail, ResumableUpload


def export_outgoing_emails(user):
    return [
        {"subject": outgoing.subject, "queued_at": outgoing.created_at, "failed_at": outgoing.failed_at}
        for outgoing in OutgoingEmail.objects.filter(to__iexact=user.email).order_by("pk")
    ]


def erase_outgoing_emails(user):
    """The e-mails to the person that are not sent yet, and their jobs in Redis: queued,
    waiting for a retry, running or failed (a sent e-mail keeps neither row nor job)."""
    outgoing = OutgoingEmail.objects.filter(to__iexact=user.email)
    connection = queues.get_connection("default")
    for job_id in [row.job_id for row in outgoing]:
        job = queues.fetch_job(job_id, connection)
        if job is not None:
            job.delete()
    outgoing.delete()


privacy.register(
    "outgoing_emails",
    export=export_outgoing_emails,
    erase=erase_outgoing_emails,
    models=["core.OutgoingEmail"],
)


def export_resumable_uploads(user):
    """Uploads on their way in, described (their bytes become the app's file once complete).
    Deleting the account deletes them with their bytes (the rows cascade, see
    core.resumable)."""
    return [
        {
            "purpose": upload.purpose,
            "received_bytes": upload.offset,
            "length": upload.length,
            "started_at": upload.created_at,
            "completed_at": upload.completed_at,
        }
        for upload in ResumableUpload.objects.filter(owner=user).order_by("pk")
    ]


privacy.register("resumable_uploads", export=export_resumable_uploads)
