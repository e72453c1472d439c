"""Files of the e-ateliers (uploaded documents, CV PDFs), readable by their seeker and
the counsellors who follow them. A file stays readable as long as an answer, a CV
version or a submission (SubmittedFile) refers to it."""

from core.private_media import register

from .models import Answer, CVExport, SubmittedFile
from .permissions import can_read_seeker_work


def owner_of(name):
    """The id of the seeker whose answer, CV version or submission refers to the stored
    file `name`, or None: one query, on indexed columns."""
    owners = (
        Answer.objects.filter(file=name)
        .values_list("seeker_id")
        .order_by()
        .union(
            CVExport.objects.filter(pdf=name).values_list("seeker_id").order_by(),
            SubmittedFile.objects.filter(name=name).values_list("seeker_id").order_by(),
        )
    )
    row = next(iter(owners[:1]), None)
    return row[0] if row else None


def can_read(user, name):
    owner = owner_of(name)
    return owner is not None and can_read_seeker_work(user, owner)


register("ateliers", can_read)
