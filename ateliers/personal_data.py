"""A seeker's atelier work in their export; their files erased with their account."""

from pathlib import PurePosixPath

from core import privacy

from .models import Answer, CVExport, Submission, SubmittedFile


def export(user):
    return {
        "answers": list(
            Answer.objects.filter(seeker=user).values(
                "atelier__title", "step__title", "kind", "text", "data", "file_name", "updated_at"
            )
        ),
        "cv_versions": list(
            CVExport.objects.filter(seeker=user).values("version", "template", "text", "data", "created_at")
        ),
        "submissions": list(
            Submission.objects.filter(seeker=user).values(
                "atelier__title",
                "number",
                "submitted_at",
                "snapshot",
                "status",
                "reviewed_at",
                "feedback",
                "exercise_feedback",
            )
        ),
    }


def files(user):
    """Documents given in exercises, CV versions, and the files frozen by submissions
    (a replaced document stays the seeker's: its old version is there too)."""
    for answer in (
        Answer.objects.filter(seeker=user).exclude(file="").select_related("atelier").order_by("pk")
    ):
        name = answer.file_name or PurePosixPath(answer.file.name).name
        yield privacy.PersonalFile(f"ateliers/{answer.atelier.title}/{name}", answer.file.name)
    for cv in CVExport.objects.filter(seeker=user).order_by("version"):
        yield privacy.PersonalFile(f"cv/cv-version-{cv.version}.pdf", cv.pdf.name)
    for sent in SubmittedFile.objects.filter(seeker=user).order_by("pk"):
        yield privacy.PersonalFile(f"ateliers/envoyes/{PurePosixPath(sent.name).name}", sent.name)


def erase(user):
    """Delete the stored files: rows go with the account (cascade), files would not."""
    names = set(Answer.objects.filter(seeker=user).exclude(file="").values_list("file", flat=True))
    names.update(CVExport.objects.filter(seeker=user).values_list("pdf", flat=True))
    names.update(SubmittedFile.objects.filter(seeker=user).values_list("name", flat=True))
    if names:
        storage = Answer._meta.get_field("file").storage
        for name in names:
            storage.delete(name)


privacy.register("ateliers", export=export, erase=erase, files=files)
