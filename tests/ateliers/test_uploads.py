"""The file exercise: a document's type is read from its content (never its name), its
size is limited, it is stored under a random name as private media and served only by
the permission-checked view, to its seeker and the counsellors who follow them.

Messages are compared through `fr()` (see test_steps.py).
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from ateliers.models import Answer, Submission, SubmissionStatus
from tests import files
from tests.factories import CounsellorFactory, ManagerFactory
from tests.factories import ateliers as build
from tests.files import EXE_BYTES, docx_bytes, image_bytes, odt_bytes, zip_bytes

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def fr(message):
    with translation.override("fr"):
        return translation.gettext(message)


# --- Files ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_bytes():
    return files.pdf_bytes()


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file())


@pytest.fixture
def file_step(steps):
    return steps[1]


@pytest.fixture
def file_url(file_step):
    return build.save_url(file_step, build.exercise_id(file_step, "file"))


def send(client, url, name, content, content_type="application/pdf", **headers):
    return client.post(url, {"file": upload(name, content, content_type)}, headers=headers)


# --- Accepted ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, make, kind, extension",
    [
        ("Mon CV.pdf", "pdf", "pdf", ".pdf"),
        ("photo.PNG", "png", "png", ".png"),
        ("photo.jpeg", "jpeg", "jpeg", ".jpg"),
        ("CV 2025.docx", "docx", "docx", ".docx"),
        ("lettre.odt", "odt", "odt", ".odt"),
        ("cv-sans-extension", "pdf", "pdf", ".pdf"),  # the name does not matter, the content does
    ],
)
def test_documents_are_recognised_by_their_content_and_stored_under_a_random_name(
    client, seeker, file_step, file_url, private_root, pdf_bytes, name, make, kind, extension
):
    content = {
        "pdf": pdf_bytes,
        "png": image_bytes("PNG"),
        "jpeg": image_bytes("JPEG"),
        "docx": docx_bytes(),
        "odt": odt_bytes(),
    }[make]
    client.force_login(seeker)
    response = send(client, file_url, name, content, content_type="application/octet-stream")
    assert response.status_code == 302
    answer = Answer.objects.get(seeker=seeker)
    assert re.fullmatch(rf"ateliers/[0-9a-f]{{32}}{re.escape(extension)}", answer.file.name)
    assert answer.file_name == name
    assert answer.data == {"type": kind, "size": len(content)}
    assert [path.read_bytes() for path in stored_files(private_root)] == [content]
    assert fr("Your file “%(name)s” is saved.") % {"name": name} in client.get(file_step.url).content.decode()


@pytest.mark.django_db
def test_the_page_shows_the_current_file_by_its_display_name_only(
    client, seeker, file_step, file_url, pdf_bytes
):
    client.force_login(seeker)
    send(client, file_url, "C:\\Users\\Karim\\Documents\\<img src=x onerror=alert(1)>.pdf", pdf_bytes)
    answer = Answer.objects.get()
    assert answer.file_name == "<img src=x onerror=alert(1)>.pdf"
    main = BeautifulSoup(client.get(file_step.url).content.decode(), "html.parser").find("main")
    link = main.find("a", href=answer.file.url)
    assert link.get_text() == answer.file_name
    assert answer.file.url.startswith("/fichiers/ateliers/")
    assert not main.find("img")
    assert main.find("label", string=re.compile(fr("Replace it with another file")))


@pytest.mark.django_db
def test_an_autosave_style_upload_answers_json(client, seeker, file_url, pdf_bytes):
    client.force_login(seeker)
    response = send(client, file_url, "cv.pdf", pdf_bytes, **{"X-Requested-With": "fetch"})
    assert response.status_code == 200
    answer = Answer.objects.get()
    assert response.json()["file"] == {"name": "cv.pdf", "url": answer.file.url}


# --- Refused -------------------------------------------------------------------------------

NOT_DOCUMENTS = {
    "html": ("cv.pdf", b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"),
    "exe": ("cv.pdf", EXE_BYTES),
    "zip": ("cv.docx", zip_bytes({"hello.txt": "bonjour", "word.txt": "pas un document"})),
    "fake odt": ("cv.odt", odt_bytes(b"application/zip")),
    "svg": ("cv.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "empty": ("cv.pdf", b""),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", NOT_DOCUMENTS)
def test_a_file_that_is_not_an_accepted_document_is_refused_and_nothing_is_stored(
    client, seeker, file_step, file_url, private_root, case
):
    name, content = NOT_DOCUMENTS[case]
    exercise = build.exercise_id(file_step, "file")
    client.force_login(seeker)

    response = send(client, file_url, name, content)
    assert response.status_code == 200
    main = BeautifulSoup(response.content.decode(), "html.parser").find("main")
    error = main.find(id=f"exercise-{exercise}-file-error")
    expected = (
        fr("Choose a file on your device, then send it.")
        if case == "empty"
        else fr("This file is not a %(kinds)s document. Its content was checked, not its name: save it again as %(kinds)s (with “Save as” or “Export”), then send it.").split("%")[0]
    )  # fmt: skip
    assert error.get_text().startswith(expected)
    file_input = main.find("input", type="file")
    assert file_input["aria-invalid"] == "true" and error["id"] in file_input["aria-describedby"]

    response = send(client, file_url, name, content, **{"X-Requested-With": "fetch"})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"file"}
    assert not Answer.objects.exists()
    assert stored_files(private_root) == []


@pytest.mark.django_db
def test_an_oversized_file_is_refused_with_its_size_and_the_limit(
    client, seeker, file_url, private_root, settings, pdf_bytes
):
    settings.ATELIER_MAX_UPLOAD_BYTES = 1000
    client.force_login(seeker)
    response = send(client, file_url, "gros.pdf", pdf_bytes + b"\n%" + b"x" * 2000)
    assert response.status_code == 200
    message = fr(
        "This file is too big (%(size)s): %(limit)s at most. Reduce it (fewer pages, smaller images) and send it again."
    )
    assert message.split("%")[0] in response.content.decode()
    assert (
        "1000" in response.content.decode()
        or "1 000" in response.content.decode()
        or "1,000" in response.content.decode()
    )
    assert not Answer.objects.exists() and stored_files(private_root) == []


@pytest.mark.django_db
def test_a_kind_the_exercise_does_not_accept_is_refused(client, seeker, atelier, private_root, pdf_bytes):
    step = build.add_step(atelier, "PDF seulement", [build.file(accepted=["pdf"])])
    url = build.save_url(step, build.exercise_id(step, "file"))
    client.force_login(seeker)
    response = send(client, url, "photo.png", image_bytes("PNG"))
    assert response.status_code == 200 and not Answer.objects.exists() and stored_files(private_root) == []
    assert send(client, url, "cv.pdf", pdf_bytes).status_code == 302


# --- Served privately ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_file_is_served_to_its_seeker_and_their_counsellors_only(
    client, seeker, other_seeker, counsellor, manager, file_url, pdf_bytes
):
    client.force_login(seeker)
    send(client, file_url, "cv.pdf", pdf_bytes)
    url = Answer.objects.get().file.url

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")

    for reader, status in (
        (other_seeker, 404),
        (CounsellorFactory(), 404),  # a counsellor who does not follow this seeker
        (ManagerFactory(), 404),  # a manager of another team
        (counsellor, 200),  # the seeker's counsellor
        (manager, 200),  # their team's manager
    ):
        client.force_login(reader)
        assert client.get(url).status_code == status, reader.role
    client.logout()
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_a_new_file_replaces_the_old_one_unless_a_submission_refers_to_it(
    client, seeker, atelier, file_url, private_root, pdf_bytes, django_capture_on_commit_callbacks
):
    client.force_login(seeker)
    send(client, file_url, "v1.pdf", pdf_bytes)
    first = Answer.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        send(client, file_url, "v2.png", image_bytes("PNG"))
    second = Answer.objects.get()
    assert second.file.name != first and second.file_name == "v2.png"
    assert [path.name for path in stored_files(private_root)] == [second.file.name.split("/")[1]]

    # Sent for review, then sent back: the frozen copy keeps its file.
    Submission.objects.create(
        seeker=seeker, atelier=atelier, number=1, status=SubmissionStatus.TO_REVISE,
        snapshot={"x": {"kind": "file", "file": second.file.name, "file_name": "v2.png"}},
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        send(client, file_url, "v3.pdf", pdf_bytes)
    third = Answer.objects.get()
    assert {path.name for path in stored_files(private_root)} == {
        second.file.name.split("/")[1],
        third.file.name.split("/")[1],
    }
    client.get(second.file.url)
    assert client.get(second.file.url).status_code == 200  # still readable through the submission


@pytest.mark.django_db
def test_no_upload_while_the_work_waits_for_review(
    client, seeker, atelier, file_url, private_root, pdf_bytes
):
    Submission.objects.create(seeker=seeker, atelier=atelier, number=1, status=SubmissionStatus.SUBMITTED)
    client.force_login(seeker)
    assert send(client, file_url, "cv.pdf", pdf_bytes).status_code == 302
    assert send(client, file_url, "cv.pdf", pdf_bytes, **{"X-Requested-With": "fetch"}).status_code == 409
    assert not Answer.objects.exists() and stored_files(private_root) == []
