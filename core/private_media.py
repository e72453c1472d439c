"""Private files: the one way to store and serve a file that belongs to a person.

Mock-interview recordings, uploaded CVs... live in `STORAGES["private"]`, rooted at
`PRIVATE_MEDIA_ROOT` (outside MEDIA_ROOT: no public URL reaches them). Every read goes
through `serve_private_file`, which asks the app that owns the file.

An app stores its files under its own prefix and says who may read them, in a
`private_files.py` module (discovered the first time a file is served)::

    # cvs/private_files.py
    from core.private_media import register
    register("cvs", lambda user, name: CV.objects.filter(file=name).readable_by(user).exists())

    # cvs/models.py
    file = models.FileField(storage=private_storage, upload_to=PrivateUploadTo("cvs"))

`cv.file.url` is then the permission-checked URL (/fichiers/cvs/<random>.pdf). The view
answers 403 to anonymous users, 404 to everyone the app refuses (the same 404 as for a
missing file), and streams the file with HTTP Range support (parsed by media.ranges),
or, in production, hands the transfer to nginx (X-Accel-Redirect, see
site/nginx.conf.example). A storage without local paths (S3-compatible) gets a
redirect to a short-lived signed URL instead.
"""

import mimetypes
import os
import posixpath
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import get_resolver, get_urlconf, reverse
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, cached_property, empty
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from media.ranges import RangeNotSatisfiable, parse_range

STORAGE_ALIAS = "private"
URL_NAME = "private_file"
# The first folder of every stored name: the app that owns the file.
_PREFIX = re.compile(r"[a-z0-9][a-z0-9_-]*", re.ASCII)
# Same policy as nginx's /_private/ location: nothing runs; a video, audio file or
# image opened on its own still displays.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
)
CHUNK_SIZE = 64 * 1024
# The types our own files have, whatever the machine's /etc/mime.types says; other
# extensions are looked up with `mimetypes`.
CONTENT_TYPES = {
    ".mp4": "video/mp4",
    ".m4a": "audio/mp4",
    ".webm": "video/webm",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
    ".mp3": "audio/mpeg",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".vtt": "text/vtt",
    ".pdf": "application/pdf",
}


# ---------------------------------------------------------------------------
# Storage
# ---------------------------------------------------------------------------
class PrivateURLMixin:
    """No public URL: `url()` is the serving view's, which checks permissions.

    A storage without local files (S3-compatible) implements `signed_url(name)`: a
    short-lived URL the view redirects to after its check, e.g. with django-storages::

        class PrivateS3Storage(PrivateURLMixin, S3Storage):
            default_acl = "private"

            def signed_url(self, name):
                return S3Storage.url(self, name, expire=60)
    """

    def url(self, name):
        if name is None:
            raise ValueError("This file is not accessible via a URL.")
        return reverse(URL_NAME, kwargs={"name": name})

    def signed_url(self, name):
        raise NotImplementedError(f"{type(self).__name__} serves local files; it has no signed URL.")


@deconstructible(path="core.private_media.PrivateFileSystemStorage")
class PrivateFileSystemStorage(PrivateURLMixin, FileSystemStorage):
    """Files on disk under PRIVATE_MEDIA_ROOT (or the `location` option).

    Refuses a location inside MEDIA_ROOT or STATIC_ROOT, which the web server
    publishes.
    """

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @cached_property
    def location(self):
        location = os.path.abspath(self.base_location)
        for setting in ("MEDIA_ROOT", "STATIC_ROOT"):
            public = getattr(settings, setting, None)
            if public and Path(location).resolve().is_relative_to(Path(public).resolve()):
                raise ImproperlyConfigured(f"Private files ({location}) must not be under {setting}.")
        return location

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting in ("PRIVATE_MEDIA_ROOT", "MEDIA_ROOT", "STATIC_ROOT"):
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages[STORAGE_ALIAS]


_private_storage = _PrivateStorage()


def _storages_changed(*, setting, **kwargs):
    # override_settings(STORAGES=...) in tests: follow the new configuration.
    if setting == "STORAGES":
        _private_storage._wrapped = empty


setting_changed.connect(_storages_changed)


def private_storage():
    """The private storage, for `models.FileField(storage=private_storage)`.

    A callable, so migrations record a reference rather than a storage; the object it
    returns follows STORAGES["private"] (and its overrides in tests).
    """
    return _private_storage


@deconstructible(path="core.private_media.PrivateUploadTo")
class PrivateUploadTo:
    """`upload_to` giving `<prefix>/<random>.<ext>`: never the client's file name.

    The extension is kept (lower-cased) when it is short and alphanumeric: the view
    derives the Content-Type from it.
    """

    def __init__(self, prefix):
        if not _PREFIX.fullmatch(prefix):
            raise ValueError(f"Invalid private file prefix: {prefix!r}")
        self.prefix = prefix

    def __call__(self, instance, filename):
        ext = posixpath.splitext(filename or "")[1].lower()
        if not re.fullmatch(r"\.[a-z0-9]{1,10}", ext, re.ASCII):
            ext = ""
        return f"{self.prefix}/{uuid.uuid4().hex}{ext}"

    def __eq__(self, other):
        return isinstance(other, PrivateUploadTo) and other.prefix == self.prefix

    def __hash__(self):
        return hash(self.prefix)


# ---------------------------------------------------------------------------
# Registry: who may read which files
# ---------------------------------------------------------------------------
_readers: dict[str, Callable] = {}


def register(prefix, can_read):
    """Files stored as `<prefix>/...` are readable by `user` when `can_read(user, name)`.

    `can_read` is called only for authenticated users, with the full stored name;
    anything but True means 404.
    """
    if not _PREFIX.fullmatch(prefix):
        raise ImproperlyConfigured(f"Invalid private file prefix: {prefix!r}")
    if _readers.get(prefix, can_read) is not can_read:
        raise ImproperlyConfigured(f"Private file prefix {prefix!r} is already registered.")
    _readers[prefix] = can_read


def reader_for(prefix):
    """The `can_read` registered for `prefix`, or None."""
    return _readers.get(prefix)


# ---------------------------------------------------------------------------
# Serving
# ---------------------------------------------------------------------------
class _FileRange:
    """Iterate over `length` bytes of an open file from `start`; closed by the response."""

    def __init__(self, file, start, length):
        self.file, self.start, self.length = file, start, length

    def __iter__(self):
        self.file.seek(self.start)
        remaining = self.length
        while remaining > 0:
            chunk = self.file.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk

    def close(self):
        self.file.close()


def clean_name(name):
    """`name` if it is a plain relative `<prefix>/...` name, else None."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/"):
        return None
    parts = name.split("/")
    if len(parts) < 2 or any(part in ("", ".", "..") for part in parts):
        return None
    return name


def _file_headers(response, name):
    content_type = CONTENT_TYPES.get(posixpath.splitext(name)[1].lower())
    if content_type is None:
        content_type, encoding = mimetypes.guess_type(name, strict=False)
        if encoding or not content_type:  # cv.pdf.gz is not a PDF
            content_type = "application/octet-stream"
    main_type = content_type.split("/")[0]
    inline = main_type in ("audio", "video", "image") and content_type != "image/svg+xml"
    response["Content-Type"] = content_type
    response["Content-Disposition"] = content_disposition_header(not inline, posixpath.basename(name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


def _refuse(request, status):
    """The site's ordinary 403 or 404 page (the same 404 whatever the reason)."""
    handler = get_resolver(get_urlconf()).resolve_error_handler(status)
    return handler(request, PermissionDenied() if status == 403 else Http404())


def _local_path(storage, name):
    try:
        return storage.path(name)
    except NotImplementedError:
        return None


@require_safe
@never_cache
def serve_private_file(request, name):
    if not request.user.is_authenticated:
        return _refuse(request, 403)
    name = clean_name(name)
    can_read = reader_for(name.split("/", 1)[0]) if name else None
    if can_read is None or can_read(request.user, name) is not True:
        return _refuse(request, 404)

    storage = storages[STORAGE_ALIAS]
    path = _local_path(storage, name)
    if path is None:  # remote storage: a short-lived signed URL, after the check
        if not storage.exists(name):
            return _refuse(request, 404)
        return HttpResponseRedirect(storage.signed_url(name))
    if not Path(path).is_file():
        return _refuse(request, 404)

    accel = settings.PRIVATE_MEDIA_ACCEL_REDIRECT
    if accel:  # nginx sends the file (and handles Range) from its internal location
        response = _file_headers(HttpResponse(), name)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(name, safe="/")
        return response

    try:
        file = storage.open(name, "rb")
        size = storage.size(name)
    except FileNotFoundError:
        return _refuse(request, 404)
    try:
        byte_range = (
            None if "if-range" in request.headers else parse_range(request.headers.get("Range"), size)
        )
    except RangeNotSatisfiable:
        file.close()
        response = _file_headers(HttpResponse(status=416), name)
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, last = byte_range or (0, size - 1)
    length = last - start + 1 if size else 0
    if request.method == "HEAD":
        file.close()
        response = HttpResponse(status=206 if byte_range else 200)
    else:
        response = StreamingHttpResponse(_FileRange(file, start, length), status=206 if byte_range else 200)
    _file_headers(response, name)
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{last}/{size}"
    return response
