"""A seeker's export holds their atelier answers, files, CV versions and submissions;
deleting the account deletes the rows and the files."""

import pytest
from django.core.files.base import ContentFile

from ateliers.models import Answer, CVExport, Submission, SubmittedFile
from ateliers.submissions import snapshot
from core.privacy import delete_user, export_user_data
from tests.factories import ateliers as build


@pytest.mark.django_db
def test_export_and_deletion_include_answers_files_and_cv_versions(seeker, atelier, steps, private_root):
    text_step, text_id = build.locate(atelier, "free_text")
    file_step, file_id = build.locate(atelier, "file")
    Answer.objects.create(
        seeker=seeker,
        atelier=atelier,
        step=text_step,
        exercise_id=text_id,
        kind="free_text",
        text="<p>Cariste</p>",
    )
    upload = Answer(
        seeker=seeker, atelier=atelier, step=file_step, exercise_id=file_id, kind="file", file_name="cv.pdf"
    )
    upload.file.save("cv.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    version = CVExport(seeker=seeker, version=1, template="classic", text="Karim", data={})
    version.pdf.save("cv.pdf", ContentFile(b"%PDF-1.4 cv"), save=True)
    Submission.objects.create(seeker=seeker, atelier=atelier, number=1, snapshot=snapshot(seeker, atelier))
    assert list(SubmittedFile.objects.values_list("name", flat=True)) == [upload.file.name]

    exported = export_user_data(seeker)["ateliers"]
    assert {answer["kind"] for answer in exported["answers"]} == {"free_text", "file"}
    assert exported["cv_versions"][0]["version"] == 1
    assert exported["submissions"][0]["number"] == 1
    files = [upload.file.name, version.pdf.name]
    storage = upload.file.storage
    assert all(storage.exists(name) for name in files)

    delete_user(seeker)
    assert not Answer.objects.exists() and not CVExport.objects.exists() and not Submission.objects.exists()
    assert not SubmittedFile.objects.exists()
    assert not any(storage.exists(name) for name in files)
