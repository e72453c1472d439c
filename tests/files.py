"""Small real documents for the tests of uploads (atelier files, message attachments),
and files that only pretend to be documents."""

import io
import zipfile

from PIL import Image


def pdf_bytes():
    """A real one-page PDF, made by WeasyPrint (as the project's attestations are)."""
    from weasyprint import HTML

    return HTML(string="<h1>Karim Benali</h1><p>Magasinier cariste</p>").write_pdf()


def image_bytes(kind):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 79, 138)).save(buffer, kind)
    return buffer.getvalue()


def zip_bytes(entries, *, first_stored=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first_stored:
            archive.writestr(
                zipfile.ZipInfo(first_stored[0]), first_stored[1], compress_type=zipfile.ZIP_STORED
            )
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes():
    return zip_bytes(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            "_rels/.rels": '<?xml version="1.0"?><Relationships/>',
            "word/document.xml": '<?xml version="1.0"?><w:document xmlns:w="x"><w:body/></w:document>',
        }
    )


def odt_bytes(mimetype=b"application/vnd.oasis.opendocument.text"):
    return zip_bytes(
        {"META-INF/manifest.xml": "<manifest/>", "content.xml": "<office:document-content/>"},
        first_stored=("mimetype", mimetype),
    )


# A Windows executable's first bytes (MZ header, then the PE signature).
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"PE\x00\x00"
