"""A person's export: one ZIP archive with what every app holds about them as JSON
(`donnees.json`, core.privacy's export) and every file they own (CVs, documents,
attachments, recordings) under `fichiers/`.

The archive is written to a spooled temporary file (memory first, then disk), so a seeker
with hours of recordings costs disk, not memory. Recordings and images are stored as
they are (already compressed); the JSON is deflated. A file an app lists but the storage
no longer has is named in the JSON's `missing_files`, never a failure.
"""

import json
import re
import shutil
import tempfile
import zipfile
from pathlib import PurePosixPath

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from . import privacy
from .private_media import private_storage

DATA_NAME = "donnees.json"
FILES_FOLDER = "fichiers"
IN_MEMORY_BYTES = 16 * 1024 * 1024
COPY_CHUNK = 1024 * 1024
ALREADY_COMPRESSED = {
    ".webm",
    ".mp4",
    ".m4a",
    ".ogg",
    ".jpg",
    ".jpeg",
    ".png",
    ".pdf",
    ".docx",
    ".odt",
    ".zip",
}


def safe_archive_name(name):
    """`name` as a relative path without '..', drive or odd characters (no zip slip)."""
    parts = [re.sub(r"[^\w.\- ]+", "-", part).strip(". ") for part in PurePosixPath(name).parts]
    parts = [part for part in parts if part and part != "/"]
    return "/".join(parts) or "fichier"


def _unique(name, taken):
    stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
    folder = str(PurePosixPath(name).parent)
    candidate, number = name, 2
    while candidate in taken:
        candidate = f"{folder}/{stem}-{number}{suffix}" if folder != "." else f"{stem}-{number}{suffix}"
        number += 1
    taken.add(candidate)
    return candidate


def write_archive(user, target, *, now=None):
    """Write `user`'s export archive into the binary file `target`."""
    taken, copied, files, missing = set(), set(), [], []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for personal in privacy.user_files(user):
            storage = personal.storage or private_storage()
            if (id(storage), personal.stored_name) in copied:
                continue  # listed twice (a document both current and sent): once is enough
            copied.add((id(storage), personal.stored_name))
            name = _unique(f"{FILES_FOLDER}/{safe_archive_name(personal.archive_name)}", taken)
            compression = (
                zipfile.ZIP_STORED
                if PurePosixPath(name).suffix.lower() in ALREADY_COMPRESSED
                else zipfile.ZIP_DEFLATED
            )
            try:
                source = storage.open(personal.stored_name, "rb")
            except FileNotFoundError:
                missing.append(name)
                continue
            info = zipfile.ZipInfo(name, _zip_time(now))
            info.compress_type = compression
            with source, archive.open(info, "w", force_zip64=True) as out:
                shutil.copyfileobj(source, out, COPY_CHUNK)
            files.append(name)
        data = {
            "exported_at": now or timezone.now(),
            "data": privacy.export_user_data(user),
            "files": files,
            "missing_files": missing,
        }
        archive.writestr(DATA_NAME, json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
    return target


def _zip_time(now):
    local = timezone.localtime(now or timezone.now())
    return (local.year, local.month, local.day, local.hour, local.minute, local.second)


def archive_for(user):
    """The export archive as a file positioned at its start (spooled to disk when large);
    the caller (a FileResponse) closes it."""
    spooled = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115
    write_archive(user, spooled)
    spooled.seek(0)
    return spooled
