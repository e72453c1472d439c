"""A file's kind is read from its content, never from its name (core.file_kinds): the one
checker behind the e-ateliers' file exercise and the messages' attachments."""

import io
import zipfile

import pytest
from django.utils import translation

from core import file_kinds
from tests.files import EXE_BYTES, docx_bytes, image_bytes, odt_bytes, pdf_bytes, zip_bytes


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (pdf_bytes, "pdf"),
        (lambda: image_bytes("PNG"), "png"),
        (lambda: image_bytes("JPEG"), "jpeg"),
        (docx_bytes, "docx"),
        (odt_bytes, "odt"),
    ],
)
def test_documents_are_recognised_by_their_content(make, kind):
    upload = io.BytesIO(make())
    assert file_kinds.detect_kind(upload) == kind
    assert upload.tell() == 0  # left ready to be stored


@pytest.mark.parametrize(
    "content",
    [
        EXE_BYTES,
        b"<!doctype html><script>alert(1)</script>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        zip_bytes({"hello.txt": "bonjour"}),
        odt_bytes(b"application/zip"),
        b"",
    ],
    ids=["exe", "html", "svg", "zip", "fake odt", "empty"],
)
def test_anything_else_has_no_kind(content):
    assert file_kinds.detect_kind(io.BytesIO(content)) is None


def test_a_zip_bomb_is_not_opened():
    """A `mimetype` entry claiming gigabytes is never read; neither is any other entry."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.xml", "<x/>")
        archive.writestr("mimetype", b"\0" * 5_000_000)
    assert file_kinds.detect_kind(io.BytesIO(buffer.getvalue())) is None
    many = zip_bytes(
        {f"f{n}.xml": "" for n in range(file_kinds.ZIP_MAX_ENTRIES + 1)}
        | {"word/document.xml": "", "[Content_Types].xml": ""}
    )
    assert file_kinds.detect_kind(io.BytesIO(many)) is None


def test_the_client_name_is_display_text_only():
    assert file_kinds.display_file_name("C:\\Users\\Karim\\CV\u202e.pdf") == "CV.pdf"
    with translation.override("fr"):
        assert file_kinds.kinds_label(["pdf", "docx", "png"]) == "PDF, Word (DOCX) ou PNG"
