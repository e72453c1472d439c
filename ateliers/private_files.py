"""Files of the e-ateliers (uploaded documents, CV PDFs), readable by their seeker and
the counsellors who follow them. A file stays readable as long as an answer, a CV
version or a submission refers to it."""

from core.private_media import register

from .access import can_read_seeker_work
from .models import Answer, CVExport, Submission


def owner_of(name):
    for model, field in ((Answer, "file"), (CVExport, "pdf")):
        owner = model.objects.filter(**{field: name}).values_list("seeker_id", flat=True).first()
        if owner is not None:
            return owner
    return Submission.objects.filter(snapshot__icontains=name).values_list("seeker_id", flat=True).first()


def can_read(user, name):
    owner = owner_of(name)
    return owner is not None and can_read_seeker_work(user, owner)


register("ateliers", can_read)
