"""Resumable uploads: large files sent in pieces that survive a cut connection or a reload.

The protocol is tus 1.0 (https://tus.io/protocols/resumable-upload), core protocol
with the creation-defer-length, termination and expiration extensions, rather than an
endpoint of our own. Why: tus is a documented, versioned standard whose edge cases
(offset conflicts, a length known only at the end, resuming after a failure) are
already specified, so this module, static/js/resumable-upload.js and any other tus
client (tus-js-client with its `uploadUrl` option, TUSKit on iOS…) agree without our
own document. An own chunk endpoint would have had to invent the same three headers.

Creation is the app's, not the endpoint's: tus's `creation` extension (POST to a
collection) would let a client create an upload for any target, and the endpoint
cannot know which targets a user may send to. So an app's own view checks the target
and calls `start()`, and hands `upload.url` to the page; the endpoint then only checks
that the request's user owns the upload (anyone else, anonymous included: 404).
The length may stay unknown (`Upload-Defer-Length: 1` in HEAD) until a later PATCH
carries `Upload-Length`, which is what a recording needs: its size is known when it
stops. CSRF stays on: the client sends the token in X-CSRFToken.

An app registers what it receives once, at start-up (its AppConfig.ready)::

    from core import resumable

    resumable.register_purpose(
        "interview_take", max_bytes=lambda: settings.INTERVIEW_MAX_UPLOAD_BYTES, on_answered=take_received
    )

    # in a view, after checking the take is the seeker's:
    upload = resumable.start(request.user, "interview_take", take.pk)  # length unknown
    context["upload_url"] = upload.url

A purpose says what happens when the last byte is stored, with one hook or both:

* `on_complete(upload)` runs exactly once, inside the transaction that marks the upload
  complete: what it writes in the database commits together with the completion, or
  not at all (if it raises, the client is told 500, the last piece is cut from the file,
  and the client sends it again). The client waits for it: keep it short.
* `on_answered(upload)` runs once too, after that transaction committed and once the
  client has its answer (a WSGI server closes a response after sending it, and so does
  Django's test client): the place to queue the job that reads or moves the bytes
  (`upload.open()`, `upload.path`) and then calls `upload.delete()`. Measured on the
  benchmark's VM, a job queued before the answer delayed the answer by about 6 ms, a
  sixth of a 23 MB upload over loopback: the worker woke and forked its work-horse
  meanwhile, on the same two cores. A process killed between its answer and this hook
  does not run it, and its exceptions are only logged (the client was told 204
  already): the app must find its complete uploads again by itself
  (interviews.jobs.reconcile_stuck_takes does, every five minutes).

Completed uploads are the app's to delete; unfinished ones untouched for
RESUMABLE_UPLOAD_STALE_HOURS (neither their row nor their file) are removed by
`remove_stale()` (tremplin.cron).

The offset is the file's size, as in tusd's own file store: the row holds what the file
cannot (owner, purpose, length, completion) and is written only when the length becomes
known and at completion, not for each piece (a recording sends one a second). A piece's
bytes go into the file as they arrive, from the PATCH's offset: a request holds one read
(BODY_READ_SIZE) in memory however large its piece (measured on the benchmark's VM,
reading a whole 8 MiB piece into memory before writing it took 15 ms, the page faults of
16 MiB of fresh memory; writing each read as it comes 9 ms).

One request writes to an upload at a time: it holds an exclusive lock on the file
(flock) from before it reads the upload's row until it has answered, so that one read,
under the lock, is all it needs. That is why an upload's URL names its random key, which
also names its file, rather than its id: a PATCH finds the file from the URL alone
(start() creates it with the row), and nobody can guess another's URL. A second PATCH
meanwhile (two tabs, a retry crossing a slow answer) is answered 423 at once, before its
body is read, and the client asks for the offset again (tus-js-client does the same with
tusd's 423). A slow client thus holds its own upload's lock and nothing else (behind
nginx, which buffers these bodies, site/nginx.conf.example, a body reaches the server at
once anyway).

Pieces are written to the file without waiting for the disk (no fsync), like every file
Django stores: measured here, an fsync per 4 MiB piece cost 14 ms, more than the rest of
the request, and halved the upload's throughput, to guard only against the machine
itself stopping (a killed process loses nothing written: what a cut body brought stays,
at its place). Should the machine stop, the file ends where its bytes reached the disk,
and so does the offset the endpoint reports (HEAD, PATCH): the client sends the lost
pieces again, or, if it has dropped them already, says the upload must start over: a
recording is never completed with bytes missing. Should it stop after the completion,
before the last bytes reached the disk, `upload.open()` raises IncompleteUpload rather
than hand the app a short file as the whole one (the app asks for it again).
"""

import fcntl
import functools
import logging
import os
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import post_delete
from django.http import HttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from .models import ResumableUpload
from .request_limits import accepts_uploads

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation-defer-length,termination,expiration"
CONTENT_TYPE = "application/offset+octet-stream"
# A piece's body is read in reads this large: fewer calls through the WSGI stream.
BODY_READ_SIZE = 1024 * 1024
_INTEGER = re.compile(r"[0-9]{1,19}", re.ASCII)
# An upload's file: its key in hexadecimal (ResumableUpload.path).
_FILE_NAME = re.compile(r"[0-9a-f]{32}", re.ASCII)

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------
# Purposes: what apps receive
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Purpose:
    name: str
    max_bytes: int | Callable[[], int]
    on_complete: Callable[[ResumableUpload], None] | None = None
    on_answered: Callable[[ResumableUpload], None] | None = None

    def limit(self):
        """The largest upload, read at each request so that settings may change it."""
        return self.max_bytes() if callable(self.max_bytes) else self.max_bytes


_purposes: dict[str, Purpose] = {}


def register_purpose(name, *, max_bytes, on_complete=None, on_answered=None):
    """Uploads started for `name` take up to `max_bytes` (an int, or a function returning
    one) and, once the last byte is stored, call `on_complete(upload)` inside the
    completing transaction and `on_answered(upload)` after the client has its answer
    (see the module's docstring)."""
    if on_complete is None and on_answered is None:
        raise ImproperlyConfigured(f"Upload purpose {name!r} needs on_complete, on_answered or both.")
    purpose = Purpose(name, max_bytes, on_complete, on_answered)
    if _purposes.get(name, purpose) != purpose:
        raise ImproperlyConfigured(f"Upload purpose {name!r} is already registered.")
    _purposes[name] = purpose


def _purpose(name):
    try:
        return _purposes[name]
    except KeyError:
        raise ImproperlyConfigured(f"Upload purpose {name!r} is not registered.") from None


def purpose_of(upload):
    return _purpose(upload.purpose)


def start(owner, purpose, target_id, *, length=None):
    """A new upload of `owner`'s for `target_id`, which the caller has checked; `length`
    if already known. Its `url` is where the client sends the bytes."""
    limit = _purpose(purpose).limit()
    if length is not None and not 0 <= length <= limit:
        raise ValueError(f"An upload for {purpose!r} takes 0 to {limit} bytes, not {length}.")
    upload = ResumableUpload.objects.create(owner=owner, purpose=purpose, target_id=target_id, length=length)
    # Its file, empty, now: a PATCH opens it (and takes its lock) before it reads the row.
    # Should the caller's transaction roll back, remove_stale() sweeps the file.
    os.close(os.open(upload_folder() / upload.key.hex, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return upload


def last_change(upload):
    """When the upload last changed: its file's last piece, or its row."""
    try:
        written = datetime.fromtimestamp(upload.path.stat().st_mtime, tz=UTC)
    except FileNotFoundError:
        return upload.updated_at
    return max(written, upload.updated_at)


def expires_at(upload, *, changed=None):
    """When an unfinished upload is removed if nothing more arrives."""
    return (changed or last_change(upload)) + timedelta(hours=settings.RESUMABLE_UPLOAD_STALE_HOURS)


def _remove_file(sender, instance, **kwargs):
    """A deleted upload's bytes leave the folder once the deletion commits (a rollback
    keeps both)."""
    path = instance.path
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


post_delete.connect(_remove_file, sender=ResumableUpload, dispatch_uid="core.resumable.remove_file")


def remove_stale(*, now=None):
    """Delete the unfinished uploads untouched for RESUMABLE_UPLOAD_STALE_HOURS (neither
    their row nor their file), and files of the folder that no upload names (left by a
    crash) as old as that. Uploads being completed (row locked) are left for the next
    run. Returns the number of uploads."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.RESUMABLE_UPLOAD_STALE_HOURS)
    with transaction.atomic():
        stale = [
            upload
            for upload in ResumableUpload.objects.select_for_update(skip_locked=True).filter(
                completed_at=None, updated_at__lt=cutoff
            )
            if last_change(upload) < cutoff
        ]
        for upload in stale:
            upload.delete()
    folder = Path(settings.RESUMABLE_UPLOAD_DIR)
    if folder.is_dir():
        with os.scandir(folder) as entries:
            old = {
                entry.name: entry.path
                for entry in entries
                if _FILE_NAME.fullmatch(entry.name)
                and entry.is_file()
                and entry.stat().st_mtime < cutoff.timestamp()
            }
        known = {
            key.hex for key in ResumableUpload.objects.filter(key__in=list(old)).values_list("key", flat=True)
        }
        for name in old.keys() - known:
            Path(old[name]).unlink(missing_ok=True)
    return len(stale)


def upload_folder():
    """RESUMABLE_UPLOAD_DIR, created if need be; never where the web server publishes."""
    folder = Path(settings.RESUMABLE_UPLOAD_DIR).resolve()
    for setting in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, setting, None)
        if public and folder.is_relative_to(Path(public).resolve()):
            raise ImproperlyConfigured(f"Uploads in progress ({folder}) must not be under {setting}.")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


# ---------------------------------------------------------------------------
# The tus endpoint
# ---------------------------------------------------------------------------
class Refused(Exception):
    """A request the endpoint answers with `status` and `message`, and maybe headers."""

    def __init__(self, status, message, **headers):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


class _AnswerThen(HttpResponse):
    """An answer that calls `then()` once the server has sent it: a WSGI server closes
    the response after writing it (PEP 3333), and Django's test client does the same."""

    def __init__(self, then, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.then = then

    def close(self):
        then, self.then = self.then, None
        try:
            if then is not None:
                then()
        finally:
            super().close()


def _answer(status, message="", *, then=None, **headers):
    """A plain-text answer with tus's version and `headers`; `then()`, if given, is
    called once it is sent."""
    options = {"status": status, "content_type": "text/plain; charset=utf-8"}
    response = HttpResponse(message, **options) if then is None else _AnswerThen(then, message, **options)
    response["Tus-Resumable"] = TUS_VERSION
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _answered(purpose, upload):
    """`purpose.on_answered(upload)`, after the completing PATCH's answer: a failure is
    logged, as the client was told 204 already (the app finds its complete uploads)."""
    try:
        purpose.on_answered(upload)
    except Exception:
        logger.exception("%s: on_answered failed after its completion was answered.", upload)


def _integer_header(request, name):
    """The header `name` as a non-negative int; None if absent; Refused(400) if malformed."""
    value = request.headers.get(name)
    if value is None:
        return None
    if not _INTEGER.fullmatch(value.strip()):
        raise Refused(400, _("The %(header)s header must be a whole number of bytes.") % {"header": name})
    return int(value)


def _offset_headers(upload, offset, *, changed=None):
    headers = {"Upload_Offset": str(offset)}
    if not upload.is_complete:
        headers["Upload_Expires"] = http_date(expires_at(upload, changed=changed).timestamp())
    return headers


@contextmanager
def _sole_writer(descriptor):
    """Hold the upload's file, open as `descriptor`, for this request alone until the
    block ends, then close it (an exclusive flock, released when the file is closed, by
    a killed process too); Refused(423) if another request is writing to it."""
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Refused(
                423, _("Another request is sending bytes to this upload. Try again in a moment.")
            ) from None
        yield descriptor
    finally:
        os.close(descriptor)


def _receive(request, descriptor, offset, size):
    """Write the request's body (at most `size` bytes) at the end of the file, `offset`,
    as it arrives. Returns how many bytes came: a body cut short keeps what came (tus:
    store as much as possible), and the file's size says so. Not synced to the disk: see
    the module's docstring."""
    received = 0
    while received < size:
        try:
            piece = request.read(min(BODY_READ_SIZE, size - received))
        except OSError:  # the client went away
            break
        if not piece:
            break
        view = memoryview(piece)
        while view:
            written = os.pwrite(descriptor, view, offset + received)
            view, received = view[written:], received + written
    return received


def _chunk_limit():
    return settings.RESUMABLE_UPLOAD_CHUNK_MAX_BYTES


@method_decorator(never_cache, name="dispatch")
@accepts_uploads(max_bytes=_chunk_limit)
class UploadView(View):
    """One upload's tus resource: HEAD (where is it?), PATCH (bytes from an offset),
    DELETE (give up), OPTIONS (what the server supports), for its owner only."""

    http_method_names = ["head", "patch", "delete", "options"]

    def dispatch(self, request, key):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request)
        if not request.user.is_authenticated:
            return _answer(404, _("This upload does not exist."))
        if request.method != "OPTIONS" and request.headers.get("Tus-Resumable") != TUS_VERSION:
            return _answer(412, _("Unsupported tus version."), Tus_Version=TUS_VERSION)
        self.key = key
        self.uploads = ResumableUpload.objects.filter(key=key, owner_id=request.user.pk)
        try:
            return super().dispatch(request, key)
        except Refused as refused:
            return _answer(refused.status, refused.message, **refused.headers)

    def _read(self):
        """The upload, if it is the user's; Refused(404) the same whether it does not
        exist or is someone else's."""
        try:
            return self.uploads.get()  # no ORDER BY, unlike first()
        except ResumableUpload.DoesNotExist:
            raise Refused(404, _("This upload does not exist.")) from None

    def options(self, request, key):
        return _answer(
            204,
            Tus_Version=TUS_VERSION,
            Tus_Extension=TUS_EXTENSIONS,
            Tus_Max_Size=str(purpose_of(self._read()).limit()),
        )

    def head(self, request, key):
        upload = self._read()
        headers = _offset_headers(upload, upload.offset)
        if upload.length is None:
            return _answer(200, Upload_Defer_Length="1", **headers)
        return _answer(200, Upload_Length=str(upload.length), **headers)

    def delete(self, request, key):
        with transaction.atomic():
            upload = self.uploads.select_for_update().first()
            if upload is None:
                raise Refused(404, _("This upload does not exist."))
            upload.delete()
        return _answer(204)

    def patch(self, request, key):
        size = _integer_header(request, "Content-Length") or 0
        # An empty body (the length sent last) may come without a type.
        if request.content_type != CONTENT_TYPE and (size or request.content_type):
            raise Refused(415, _("Send the bytes as %(type)s.") % {"type": CONTENT_TYPE})
        offset = _integer_header(request, "Upload-Offset")
        if offset is None:
            raise Refused(400, _("The Upload-Offset header is missing."))
        new_length = _integer_header(request, "Upload-Length")
        if size > _chunk_limit():
            raise Refused(413, _("This piece is too large."))
        try:
            # An existing file: the folder was checked when start() made it.
            descriptor = os.open(Path(settings.RESUMABLE_UPLOAD_DIR) / key.hex, os.O_RDWR)
        except FileNotFoundError:
            # No file: not one of the user's uploads (404), complete and moved by its
            # app, or an upload whose file was lost with the machine (start() made it):
            # only the last gets a file again, empty.
            upload = self._read()
            self._check(upload, upload.offset, offset, size, new_length)
            if upload.is_complete:  # an empty PATCH at its end: nothing to do
                return _answer(204, **_offset_headers(upload, upload.offset))
            descriptor = os.open(upload_folder() / key.hex, os.O_RDWR | os.O_CREAT, 0o600)
        with _sole_writer(descriptor):
            # The row is read under the lock: what the request that held it before
            # committed, and nothing changes it until this one ends (but a termination).
            upload = self._read()
            stored = upload.length if upload.is_complete else os.fstat(descriptor).st_size
            self._check(upload, stored, offset, size, new_length)
            if upload.is_complete:  # an empty PATCH at its end, or a second tab's
                return _answer(204, **_offset_headers(upload, stored))
            received = _receive(request, descriptor, offset, size) if size else 0
            return self._record(upload, descriptor, offset, received, new_length)

    def _record(self, upload, descriptor, offset, received, new_length):
        """After `received` bytes from `offset`: complete the upload if that was its last
        byte, or record its length if this request brought it; otherwise the file says
        it all. A termination may have deleted the row meanwhile: updates are
        conditional."""
        end = offset + received
        length = upload.length if new_length is None else new_length
        now, then = timezone.now(), None
        if end == length:
            purpose = purpose_of(upload)
            try:
                with transaction.atomic():
                    if not self.uploads.filter(completed_at=None).update(
                        length=length, completed_at=now, updated_at=now
                    ):
                        return _answer(404, _("This upload does not exist."))
                    upload.length, upload.completed_at, upload.updated_at = length, now, now
                    if purpose.on_complete:
                        purpose.on_complete(upload)
            except BaseException:
                os.ftruncate(descriptor, offset)  # the client sends the piece again
                raise
            if purpose.on_answered:
                then = functools.partial(_answered, purpose, upload)
        elif new_length is not None and upload.length is None:
            if not self.uploads.filter(completed_at=None).update(length=length, updated_at=now):
                return _answer(404, _("This upload does not exist."))
            upload.length, upload.updated_at = length, now
        return _answer(204, then=then, **_offset_headers(upload, end, changed=now))

    @staticmethod
    def _check(upload, stored, offset, size, new_length):
        """Refuse a piece from `offset` of `size` bytes, with `new_length` if given, to
        an upload whose file holds `stored` bytes, unless it is the next one."""
        if offset != stored:
            raise Refused(409, _("The upload is at another offset."), Upload_Offset=str(stored))
        if upload.is_complete and size:
            raise Refused(409, _("This upload is complete."), Upload_Offset=str(stored))
        limit = purpose_of(upload).limit()
        if new_length is not None:
            if upload.length is not None and new_length != upload.length:
                raise Refused(400, _("The upload's length cannot change."))
            if new_length > limit:
                raise Refused(413, _("This upload is too large."))
            if new_length < offset + size:
                raise Refused(400, _("The upload's length is shorter than what was sent."))
        length = new_length if new_length is not None else upload.length
        if offset + size > (limit if length is None else min(limit, length)):
            raise Refused(413, _("This upload is too large."))
