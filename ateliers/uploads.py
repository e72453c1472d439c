"""What the file-upload exercise accepts; a file's kind is read from its content by
`core.file_kinds`, shared with the messages' attachments."""

from django.conf import settings

from core.file_kinds import FILE_KINDS

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def max_upload_bytes():
    return getattr(settings, "ATELIER_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def accepted_kinds(accepted):
    """The FILE_KINDS keys among an exercise's `accepted` setting, in a fixed order."""
    return [kind for kind in FILE_KINDS if kind in (accepted or [])]
