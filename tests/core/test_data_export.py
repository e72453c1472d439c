"""The export is a ZIP archive: the JSON of every app plus every file the person owns."""

import pytest
from django.core.files.base import ContentFile

from ateliers.models import CVExport
from contact import messages as conversation
from contact.models import Attachment
from core.privacy import delete_user
from core.private_media import private_storage
from tests.exports import archive_of, exported
from tests.factories import interviews as build

PDF = b"%PDF-1.7\n% un CV\n"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def cv(seeker, version):
    exported_cv = CVExport(seeker=seeker, version=version, template="sobre", text="Claire Martin", data={})
    exported_cv.pdf.save("cv.pdf", ContentFile(PDF + bytes([version])), save=True)
    return exported_cv


@pytest.mark.django_db
def test_the_archive_holds_the_recordings_cvs_and_attachments_with_their_bytes(
    client, seeker, other_seeker, counsellor, home_page, queues
):
    page = build.interview(home_page, "Entretien : vendeur")
    attempt = build.started(seeker, page, takes=2)
    build.started(other_seeker, page, takes=1)
    cv(seeker, 1)
    cv(seeker, 2)
    cv(other_seeker, 1)
    conversation.send(
        seeker,
        seeker,
        "Voici mon CV.",
        upload=ContentFile(PDF, name="cv.pdf"),
        kind="pdf",
        file_name="Mon CV.pdf",
        notify=False,
    )

    client.force_login(seeker)
    archive = archive_of(client.get("/compte/mes-donnees/"))
    data = exported(client.get("/compte/mes-donnees/"))
    recordings = sorted(name for name in archive.namelist() if name.startswith("fichiers/entretiens/"))
    assert recordings == [
        "fichiers/entretiens/Entretien - vendeur/essai-1/question-1-prise-1.webm",
        "fichiers/entretiens/Entretien - vendeur/essai-1/question-2-prise-1.webm",
    ]
    take = attempt.takes.order_by("position").first()
    assert archive.read(recordings[0]) == take.recording.read()
    assert archive.read("fichiers/cv/cv-version-2.pdf") == PDF + bytes([2])
    assert archive.read(f"fichiers/messages/{Attachment.objects.get().message_id}-Mon CV.pdf") == PDF
    assert sorted(data["files"]) == sorted(name for name in archive.namelist() if name != "donnees.json")
    assert data["missing_files"] == []
    assert len(data["data"]["interviews"]["takes"]) == 2
    # Nothing of the other seeker's.
    assert len([name for name in archive.namelist() if "cv-version" in name]) == 2


@pytest.mark.django_db
def test_a_file_gone_from_the_storage_is_named_not_fatal(client, seeker):
    kept, lost = cv(seeker, 1), cv(seeker, 2)
    private_storage().delete(lost.pdf.name)
    client.force_login(seeker)
    data = exported(client.get("/compte/mes-donnees/"))
    assert data["files"] == ["fichiers/cv/cv-version-1.pdf"]
    assert data["missing_files"] == ["fichiers/cv/cv-version-2.pdf"]
    assert kept.pdf.name


@pytest.mark.django_db
def test_account_deletion_removes_every_file_the_archive_carried(
    seeker, home_page, django_capture_on_commit_callbacks, queues
):
    page = build.interview(home_page)
    attempt = build.started(seeker, page, takes=1)
    stored = [attempt.takes.get().recording.name, cv(seeker, 1).pdf.name]
    conversation.send(
        seeker,
        seeker,
        "Bonjour",
        upload=ContentFile(PDF, name="a.pdf"),
        kind="pdf",
        file_name="a.pdf",
        notify=False,
    )
    stored.append(Attachment.objects.get().file.name)
    assert all(private_storage().exists(name) for name in stored)
    with django_capture_on_commit_callbacks(execute=True):
        delete_user(seeker)
    assert not any(private_storage().exists(name) for name in stored)
