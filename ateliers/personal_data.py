"""A seeker's atelier work in their export; their files erased with their account."""

from core import privacy

from .models import Answer, CVExport, Submission


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


def erase(user):
    """Delete the stored files: rows go with the account (cascade), files would not."""
    names = set()
    for answer in Answer.objects.filter(seeker=user).exclude(file=""):
        names.add(answer.file.name)
    for export_ in CVExport.objects.filter(seeker=user):
        names.add(export_.pdf.name)
    for submission in Submission.objects.filter(seeker=user):
        names.update(item.get("file") for item in submission.snapshot.values() if item.get("file"))
    if names:
        storage = Answer._meta.get_field("file").storage
        for name in names:
            storage.delete(name)


privacy.register("ateliers", export=export, erase=erase)
