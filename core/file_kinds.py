"""Documents a person sends (an atelier's file exercise, a message's attachment): which
kinds exist, and a file's kind read from its content.

The file's own name and the browser's Content-Type are never trusted: `detect_kind`
reads the first bytes (and, for a ZIP, the names of its entries). Each app chooses the
kinds it accepts and its size limit.
"""

import unicodedata
import zipfile

from django.utils.text import get_text_list
from django.utils.translation import gettext as _

# name → (extensions, MIME types detected from the content).
FILE_KINDS = {
    "pdf": ((".pdf",), ("application/pdf",)),
    "docx": ((".docx",), ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)),
    "odt": ((".odt",), ("application/vnd.oasis.opendocument.text",)),
    "jpeg": ((".jpg", ".jpeg"), ("image/jpeg",)),
    "png": ((".png",), ("image/png",)),
}
# What people see of each kind, and the extension its stored copy gets.
KIND_LABELS = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "odt": "OpenDocument (ODT)",
    "jpeg": "JPEG",
    "png": "PNG",
}
STORED_EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "odt": ".odt", "jpeg": ".jpg", "png": ".png"}

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# A real document has a few dozen entries; a ZIP with many thousands is not one.
ZIP_MAX_ENTRIES = 2000


def _zip_document_kind(upload):
    """The kind of a ZIP file: "docx", "odt" or None. Only the central directory is read (and
    the tiny `mimetype` entry of an ODT): nothing is extracted, so a ZIP bomb costs
    nothing."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                return None
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
            mimetype = next((entry for entry in entries if entry.filename == "mimetype"), None)
            if mimetype is not None and mimetype.file_size <= 100 and "content.xml" in names:
                with archive.open(mimetype) as stream:
                    if stream.read(101).strip() == ODT_MIMETYPE:
                        return "odt"
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        RuntimeError,
        ValueError,
        NotImplementedError,
    ):
        return None
    return None


def detect_kind(upload):
    """The FILE_KINDS key of a file, from its first bytes (and a ZIP's entry names);
    None for anything else: HTML, an executable, a ZIP that is not a document..."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_document_kind(upload)
        upload.seek(0)
        return kind
    return None


def display_file_name(name):
    """The client's file name as display text only: no folders, no control characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co"))
    return name.strip()[:255]


def kinds_label(kinds):
    """ "PDF, Word (DOCX) or OpenDocument (ODT)"."""
    return get_text_list([KIND_LABELS[kind] for kind in kinds], _("or"))


def accept_attribute(kinds):
    """The `accept` attribute of a file input taking `kinds`: extensions and MIME types."""
    extensions = [ext for kind in kinds for ext in FILE_KINDS[kind][0]]
    mimetypes = [mime for kind in kinds for mime in FILE_KINDS[kind][1]]
    return ",".join(extensions + mimetypes)
