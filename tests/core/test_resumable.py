"""Resumable uploads (core.resumable, tus 1.0): bytes sent in pieces through Django's test
client, resumed after a cut, refused at the wrong offset or past the limits, completed
exactly once, terminated, and swept when stale."""

import http.client
import os
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rq import cron as rq_cron

from core import jobs, resumable
from core.models import IncompleteUpload, ResumableUpload
from core.privacy import delete_user
from tests.exports import exported
from tests.factories import SeekerFactory

PURPOSE = "test_recording"
LIMIT = 100_000
# Every offset distinguishable: a piece written at the wrong place shows.
DATA = bytes((i * 7 + i // 256) % 256 for i in range(30_000))
TUS = {"Tus-Resumable": "1.0.0"}

received = []


def keep_bytes(upload):
    with upload.open() as file:
        received.append((upload.pk, file.read()))


resumable.register_purpose(PURPOSE, max_bytes=lambda: LIMIT, on_complete=keep_bytes)

failures_left = []


def fail_once(upload):
    if failures_left:
        failures_left.pop()
        raise RuntimeError("the app's completion failed")
    keep_bytes(upload)


resumable.register_purpose("test_flaky", max_bytes=LIMIT, on_complete=fail_once)

# on_answered: what the hook saw, and when the test lets it finish.
after_answer = {"entered": [], "released": [], "go": threading.Event()}


def wait_for_the_test(upload):
    after_answer["entered"].append(upload.pk)
    after_answer["released"].append(after_answer["go"].wait(10))


resumable.register_purpose("test_answered", max_bytes=LIMIT, on_answered=wait_for_the_test)


def note_answered(upload):
    received.append((upload.pk, "answered"))


def answered_then_fail(upload):
    note_answered(upload)
    raise ConnectionError("Redis is away")


resumable.register_purpose(
    "test_answered_fails", max_bytes=LIMIT, on_complete=keep_bytes, on_answered=answered_then_fail
)
resumable.register_purpose(
    "test_flaky_answered", max_bytes=LIMIT, on_complete=fail_once, on_answered=note_answered
)


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.RESUMABLE_UPLOAD_DIR = str(tmp_path / "uploads")
    received.clear()
    return tmp_path / "uploads"


@pytest.fixture
def owner(db):
    return SeekerFactory(email="enregistre@exemple.test")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def patch(client, upload, offset, data, **headers):
    return client.patch(
        upload.url,
        data=data,
        content_type=resumable.CONTENT_TYPE,
        headers={**TUS, "Upload-Offset": str(offset), **headers},
    )


def head(client, upload):
    return client.head(upload.url, headers=TUS)


def stored(upload):
    upload.refresh_from_db()
    return upload.offset, upload.path.read_bytes() if upload.path.exists() else b""


# --- The happy path ----------------------------------------------------------------------


def test_three_pieces_with_the_length_sent_last(owner_client, owner):
    upload = resumable.start(owner, PURPOSE, 7)
    assert (upload.owner, upload.purpose, upload.target_id, upload.offset) == (owner, PURPOSE, 7, 0)
    assert upload.url == f"/envois/{upload.key}/"

    response = head(owner_client, upload)
    assert response.status_code == 200
    assert response["Upload-Offset"] == "0"
    assert response["Upload-Defer-Length"] == "1"
    assert "Upload-Length" not in response
    assert "no-store" in response["Cache-Control"]
    assert response["Tus-Resumable"] == "1.0.0"
    assert response["Upload-Expires"].endswith(" GMT")

    first = patch(owner_client, upload, 0, DATA[:10_000])
    assert first.status_code == 204
    assert first["Upload-Offset"] == "10000"
    assert first["Tus-Resumable"] == "1.0.0"
    assert patch(owner_client, upload, 10_000, DATA[10_000:20_000])["Upload-Offset"] == "20000"
    assert received == []
    last = patch(owner_client, upload, 20_000, DATA[20_000:], **{"Upload-Length": str(len(DATA))})
    assert last.status_code == 204
    assert last["Upload-Offset"] == str(len(DATA))
    assert "Upload-Expires" not in last  # complete: it no longer expires

    assert received == [(upload.pk, DATA)]
    assert stored(upload) == (len(DATA), DATA)
    assert upload.is_complete and upload.length == len(DATA)
    response = head(owner_client, upload)
    assert (response["Upload-Offset"], response["Upload-Length"]) == (str(len(DATA)), str(len(DATA)))


def test_a_known_length_completes_with_its_last_byte(owner_client, owner):
    upload = resumable.start(owner, PURPOSE, 7, length=len(DATA))
    assert head(owner_client, upload)["Upload-Length"] == str(len(DATA))
    assert patch(owner_client, upload, 0, DATA[:29_999]).status_code == 204
    assert received == []
    assert patch(owner_client, upload, 29_999, DATA[29_999:]).status_code == 204
    assert received == [(upload.pk, DATA)]


def test_the_length_may_come_in_an_empty_last_patch(owner_client, owner):
    """What the browser client does when it stops after every byte was already sent."""
    upload = resumable.start(owner, PURPOSE, 7)
    patch(owner_client, upload, 0, DATA)
    assert received == []
    response = patch(owner_client, upload, len(DATA), b"", **{"Upload-Length": str(len(DATA))})
    assert response.status_code == 204
    assert received == [(upload.pk, DATA)]


class CutStream:
    """A request body whose connection drops after `arrives` bytes (a socket error, as a
    WSGI server reports it)."""

    def __init__(self, data, arrives):
        self.data, self.position, self.arrives = data, 0, arrives

    def read(self, size=-1):
        if self.position >= self.arrives:
            raise OSError("Connection reset by peer")
        end = min(self.arrives, self.position + size)
        piece, self.position = self.data[self.position : end], end
        return piece

    readline = read  # WSGIRequest wants it; nothing reads lines here


def test_a_piece_cut_by_the_network_keeps_what_arrived_and_resumes_from_there(owner_client, owner):
    upload = resumable.start(owner, PURPOSE, 7)
    patch(owner_client, upload, 0, DATA[:10_000])

    piece = DATA[10_000:]
    cut = owner_client.generic(
        "PATCH",
        upload.url,
        piece,
        content_type=resumable.CONTENT_TYPE,
        headers={**TUS, "Upload-Offset": "10000"},
        **{"wsgi.input": CutStream(piece, arrives=4321)},
    )
    assert cut.status_code == 204  # nobody reads it: the client is gone

    # The client comes back, asks where the upload is, and sends the rest from there.
    offset = int(head(owner_client, upload)["Upload-Offset"])
    assert offset == 14_321
    response = patch(owner_client, upload, offset, DATA[offset:], **{"Upload-Length": str(len(DATA))})
    assert response.status_code == 204
    assert received == [(upload.pk, DATA)]
    assert stored(upload) == (len(DATA), DATA)


def test_pieces_lost_with_the_machine_are_asked_for_again(owner_client, owner):
    """Pieces are not synced to the disk one by one: if the machine stops before they
    reach it, the file ends before the recorded offset. The endpoint reports what the
    file really holds, the client sends the rest again, and the upload completes whole."""
    upload = resumable.start(owner, PURPOSE, 7)
    patch(owner_client, upload, 0, DATA[:10_000])
    patch(owner_client, upload, 10_000, DATA[10_000:20_000])
    with open(upload.path, "r+b") as file:  # what survived: the first piece and a bit
        file.truncate(12_345)

    assert head(owner_client, upload)["Upload-Offset"] == "12345"
    # The client that believed 20,000 were stored is told where the file stands.
    conflict = patch(owner_client, upload, 20_000, DATA[20_000:], **{"Upload-Length": str(len(DATA))})
    assert conflict.status_code == 409 and conflict["Upload-Offset"] == "12345"
    assert received == []

    done = patch(owner_client, upload, 12_345, DATA[12_345:], **{"Upload-Length": str(len(DATA))})
    assert done.status_code == 204
    assert received == [(upload.pk, DATA)]
    assert stored(upload) == (len(DATA), DATA)


def test_a_file_lost_with_the_machine_is_made_again(owner_client, owner):
    """start() makes the file with the row; should the machine stop before the folder
    reaches the disk, the upload starts again from 0 into a new file."""
    upload = resumable.start(owner, PURPOSE, 7)
    patch(owner_client, upload, 0, DATA[:10_000])
    upload.path.unlink()

    assert head(owner_client, upload)["Upload-Offset"] == "0"
    assert patch(owner_client, upload, 10_000, DATA[10_000:]).status_code == 409
    done = patch(owner_client, upload, 0, DATA, **{"Upload-Length": str(len(DATA))})
    assert done.status_code == 204
    assert received == [(upload.pk, DATA)]


def test_a_complete_upload_whose_file_its_app_moved_answers_from_its_row(owner_client, owner):
    """The app moves the bytes away once the upload is complete: a client that lost count
    is still told where it stands, and no empty file comes back in the folder."""
    upload = resumable.start(owner, PURPOSE, 7, length=len(DATA))
    patch(owner_client, upload, 0, DATA)
    upload.path.unlink()  # moved by the app

    end = patch(owner_client, upload, len(DATA), b"")
    assert (end.status_code, end["Upload-Offset"]) == (204, str(len(DATA)))
    again = patch(owner_client, upload, 0, DATA[:100])
    assert (again.status_code, again["Upload-Offset"]) == (409, str(len(DATA)))
    assert head(owner_client, upload)["Upload-Offset"] == str(len(DATA))
    assert not upload.path.exists()
    assert received == [(upload.pk, DATA)]


def test_a_complete_upload_whose_last_bytes_were_lost_is_not_opened_as_whole(owner_client, owner):
    """Should the machine stop after the completion but before the last pieces reached
    the disk, the file is shorter than the upload, or gone: the app that opens it is
    told so instead of reading what is left as the whole."""
    upload = resumable.start(owner, PURPOSE, 7, length=len(DATA))
    patch(owner_client, upload, 0, DATA)
    upload.refresh_from_db()
    with upload.open() as file:
        assert file.read() == DATA

    with open(upload.path, "r+b") as file:
        file.truncate(len(DATA) - 1)
    with pytest.raises(IncompleteUpload, match=f"{len(DATA) - 1} bytes stored of {len(DATA)}"):
        upload.open()
    upload.path.unlink()
    with pytest.raises(IncompleteUpload, match="its file is gone"):
        upload.open()

    unfinished = resumable.start(owner, PURPOSE, 8, length=len(DATA))
    patch(owner_client, unfinished, 0, DATA[:100])
    with unfinished.open() as file:  # an unfinished upload holds what it holds
        assert file.read() == DATA[:100]


def test_a_piece_reads_the_upload_once_under_the_files_lock(owner_client, owner, monkeypatch):
    """The URL names the file (the upload's key): a PATCH takes the file's lock, then
    reads the row, once; what a request that held the lock before committed is seen."""
    upload = resumable.start(owner, PURPOSE, 7)
    sole_writer, reads = resumable._sole_writer, []

    @contextmanager
    def watched(descriptor):
        with sole_writer(descriptor) as locked:
            reads.append(("locked", len(context.captured_queries)))
            yield locked

    monkeypatch.setattr(resumable, "_sole_writer", watched)
    with CaptureQueriesContext(connection) as context:
        assert patch(owner_client, upload, 0, DATA[:10_000]).status_code == 204
    selects = [
        number
        for number, query in enumerate(context.captured_queries)
        if query["sql"].startswith("SELECT") and '"core_resumableupload"' in query["sql"]
    ]
    [(_, locked_at)] = reads
    assert len(selects) == 1 and selects[0] >= locked_at


def test_a_key_that_names_no_upload_of_the_user_makes_no_file(owner_client, owner, other_seeker, upload_dir):
    theirs = resumable.start(other_seeker, PURPOSE, 7)
    unknown = ResumableUpload(key=uuid.uuid4())
    before = sorted(path.name for path in upload_dir.iterdir())
    for upload in (theirs, unknown):
        assert patch(owner_client, upload, 0, DATA[:100]).status_code == 404
    assert sorted(path.name for path in upload_dir.iterdir()) == before == [theirs.key.hex]
    assert theirs.path.read_bytes() == b""


def test_an_ordinary_piece_writes_nothing_to_the_database(owner_client, owner):
    """The file's size is the offset: only the length and the completion are written
    (a recording sends a piece a second)."""
    upload = resumable.start(owner, PURPOSE, 7)
    with CaptureQueriesContext(connection) as middle:
        assert patch(owner_client, upload, 0, DATA[:10_000]).status_code == 204
    with CaptureQueriesContext(connection) as last:
        patch(owner_client, upload, 10_000, DATA[10_000:], **{"Upload-Length": str(len(DATA))})
    writes = ("UPDATE", "INSERT", "DELETE", "BEGIN", "SAVEPOINT")
    assert not [query["sql"] for query in middle.captured_queries if query["sql"].startswith(writes)]
    assert [query["sql"] for query in last.captured_queries if query["sql"].startswith("UPDATE")]
    assert received == [(upload.pk, DATA)]


# --- Refusals: nothing stored ------------------------------------------------------------


def test_a_piece_at_the_wrong_offset_is_a_conflict(owner_client, owner):
    upload = resumable.start(owner, PURPOSE, 7)
    patch(owner_client, upload, 0, DATA[:100])
    for offset in (0, 50, 200):
        response = patch(owner_client, upload, offset, DATA[offset : offset + 100])
        assert response.status_code == 409
        assert response["Upload-Offset"] == "100"
    assert stored(upload) == (100, DATA[:100])


@pytest.mark.parametrize(
    ("headers", "content_type", "status"),
    [
        ({"Tus-Resumable": None}, resumable.CONTENT_TYPE, 412),
        ({"Tus-Resumable": "0.2.2"}, resumable.CONTENT_TYPE, 412),
        ({}, "application/octet-stream", 415),
        ({}, "multipart/form-data; boundary=x", 415),
        ({"Upload-Offset": None}, resumable.CONTENT_TYPE, 400),
        ({"Upload-Offset": "-1"}, resumable.CONTENT_TYPE, 400),
        ({"Upload-Offset": "1e3"}, resumable.CONTENT_TYPE, 400),
        ({"Upload-Length": "many"}, resumable.CONTENT_TYPE, 400),
    ],
)
def test_a_malformed_patch_is_refused(owner_client, owner, headers, content_type, status):
    upload = resumable.start(owner, PURPOSE, 7)
    sent = {**TUS, "Upload-Offset": "0", **headers}
    sent = {name: value for name, value in sent.items() if value is not None}
    response = owner_client.patch(upload.url, data=DATA[:100], content_type=content_type, headers=sent)
    assert response.status_code == status
    if status == 412:
        assert response["Tus-Version"] == "1.0.0"
    assert stored(upload) == (0, b"")


def test_too_large_is_refused_whatever_says_so(owner_client, owner, settings):
    settings.RESUMABLE_UPLOAD_CHUNK_MAX_BYTES = 20_000
    upload = resumable.start(owner, PURPOSE, 7)
    # A length over the purpose's limit.
    assert patch(owner_client, upload, 0, b"", **{"Upload-Length": str(LIMIT + 1)}).status_code == 413
    # One piece over the per-request limit.
    assert patch(owner_client, upload, 0, DATA[:20_001]).status_code == 413
    # Bytes past the purpose's limit, the length being unknown.
    for offset in range(0, 100_000, 20_000):
        assert patch(owner_client, upload, offset, bytes(20_000)).status_code == 204
    assert patch(owner_client, upload, LIMIT, b"x").status_code == 413
    assert stored(upload)[0] == LIMIT
    # Starting over the limit is the app's mistake.
    with pytest.raises(ValueError):
        resumable.start(owner, PURPOSE, 7, length=LIMIT + 1)


def test_bytes_past_the_known_length_or_a_changed_length_are_refused(owner_client, owner):
    upload = resumable.start(owner, PURPOSE, 7, length=1000)
    assert patch(owner_client, upload, 0, DATA[:1001]).status_code == 413
    assert patch(owner_client, upload, 0, DATA[:10], **{"Upload-Length": "999"}).status_code == 400
    deferred = resumable.start(owner, PURPOSE, 8)
    patch(owner_client, deferred, 0, DATA[:500])
    # Shorter than what was sent.
    assert patch(owner_client, deferred, 500, b"", **{"Upload-Length": "400"}).status_code == 400
    assert stored(upload) == (0, b"")
    assert stored(deferred) == (500, DATA[:500])
    assert deferred.length is None


def test_a_body_over_the_request_limits_is_refused_before_it_is_read(owner_client, owner, settings):
    """core.request_limits lets a PATCH weigh more than an ordinary form, up to the chunk limit."""
    settings.REQUEST_MAX_BODY_BYTES = 1000
    settings.RESUMABLE_UPLOAD_CHUNK_MAX_BYTES = 20_000
    upload = resumable.start(owner, PURPOSE, 7)
    assert patch(owner_client, upload, 0, DATA[:15_000]).status_code == 204
    # Over the chunk limit plus the ordinary limit: the middleware answers, not the view.
    response = patch(owner_client, upload, 15_000, DATA[:21_001], **{"X-Requested-With": "fetch"})
    assert response.status_code == 413
    assert "errors" in response.json()
    assert "Tus-Resumable" not in response
    assert stored(upload)[0] == 15_000


# --- Completion, exactly once --------------------------------------------------------------


def test_on_complete_runs_once_even_when_the_last_piece_comes_again(owner_client, owner):
    upload = resumable.start(owner, PURPOSE, 7, length=len(DATA))
    patch(owner_client, upload, 0, DATA[:20_000])
    patch(owner_client, upload, 20_000, DATA[20_000:])
    # A retry of the last piece (its answer was lost): a conflict, not a second completion.
    again = patch(owner_client, upload, 20_000, DATA[20_000:])
    assert again.status_code == 409
    assert again["Upload-Offset"] == str(len(DATA))
    # An empty PATCH at the end, as a client that lost count would send.
    assert patch(owner_client, upload, len(DATA), b"").status_code == 204
    assert patch(owner_client, upload, len(DATA), b"x").status_code == 409
    assert received == [(upload.pk, DATA)]


def test_a_length_sent_twice_at_once_completes_once_and_both_are_told_so(owner_client, owner, monkeypatch):
    """Two tabs send the length alone at the same moment: the second reaches the file's
    lock once the first has completed the upload, and is told it is complete (204), not
    that it does not exist."""
    upload = resumable.start(owner, PURPOSE, 7)
    patch(owner_client, upload, 0, DATA)
    the_length = {"Upload-Length": str(len(DATA))}
    sole_writer, first = resumable._sole_writer, {}

    @contextmanager
    def after_the_first_tab(waiting):
        if "started" not in first:  # the first tab's request runs in full while the second waits
            first["started"] = True
            first["answer"] = patch(owner_client, upload, len(DATA), b"", **the_length)
        with sole_writer(waiting) as descriptor:
            yield descriptor

    monkeypatch.setattr(resumable, "_sole_writer", after_the_first_tab)
    second = patch(owner_client, upload, len(DATA), b"", **the_length)

    assert (first["answer"].status_code, second.status_code) == (204, 204)
    assert second["Upload-Offset"] == str(len(DATA))
    assert received == [(upload.pk, DATA)]


def test_a_failed_completion_keeps_the_offset_before_the_last_piece(owner, settings):
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    upload = resumable.start(owner, "test_flaky", 7, length=len(DATA))
    patch(client, upload, 0, DATA[:20_000])
    failures_left.append(True)
    assert patch(client, upload, 20_000, DATA[20_000:]).status_code == 500
    upload.refresh_from_db()
    assert (upload.offset, upload.completed_at) == (20_000, None)
    # The client sends the last piece again: it completes, once.
    assert patch(client, upload, 20_000, DATA[20_000:]).status_code == 204
    assert received == [(upload.pk, DATA)]
    assert stored(upload) == (len(DATA), DATA)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_answered_runs_once_the_client_has_its_answer(live_server, owner):
    """Through a real WSGI server: the hook waits for the test to have read the 204, so
    had it run before the answer was sent, the answer would never have come. By then the
    completion is committed (the test's own connection sees it)."""
    for state in after_answer.values():
        state.clear()
    upload = resumable.start(owner, "test_answered", 7)
    session = Client()
    session.force_login(owner)
    cookie = f"sessionid={session.cookies['sessionid'].value}; csrftoken={'c' * 32}"
    server = http.client.HTTPConnection(urlsplit(live_server.url).netloc, timeout=5)
    headers = {**TUS, "Upload-Offset": "0", "Upload-Length": str(len(DATA))}
    headers.update({"Content-Type": resumable.CONTENT_TYPE, "Cookie": cookie, "X-CSRFToken": "c" * 32})
    try:
        server.request("PATCH", upload.url, body=DATA, headers=headers)
        answer = server.getresponse()
        answer.read()
    finally:
        after_answer["go"].set()
        server.close()

    assert answer.status == 204 and answer.getheader("Upload-Offset") == str(len(DATA))
    assert ResumableUpload.objects.get(pk=upload.pk).is_complete
    deadline = time.monotonic() + 5
    while not after_answer["released"] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert (after_answer["entered"], after_answer["released"]) == ([upload.pk], [True])


def test_a_failing_on_answered_is_logged_and_the_answer_stands(owner_client, owner, caplog):
    upload = resumable.start(owner, "test_answered_fails", 7, length=len(DATA))
    answer = patch(owner_client, upload, 0, DATA)

    assert answer.status_code == 204
    upload.refresh_from_db()
    assert upload.is_complete and upload.offset == len(DATA)
    assert received == [(upload.pk, DATA), (upload.pk, "answered")]  # on_complete first, once each
    assert f"{upload}: on_answered failed" in caplog.text and "Redis is away" in caplog.text


def test_on_answered_waits_for_a_completion_that_holds(owner):
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    upload = resumable.start(owner, "test_flaky_answered", 7, length=len(DATA))
    failures_left.append(True)
    assert patch(client, upload, 0, DATA).status_code == 500
    assert received == []
    # The client sends the piece again: completed, then answered, once each.
    assert patch(client, upload, 0, DATA).status_code == 204
    assert received == [(upload.pk, DATA), (upload.pk, "answered")]


# --- Options, termination, CSRF ---------------------------------------------------------------


def test_options_say_what_the_server_supports(owner_client, owner):
    upload = resumable.start(owner, PURPOSE, 7)
    response = owner_client.options(upload.url)
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {"creation-defer-length", "termination", "expiration"}
    assert response["Tus-Max-Size"] == str(LIMIT)


def test_termination_deletes_the_upload_and_its_bytes(
    owner_client, owner, django_capture_on_commit_callbacks
):
    upload = resumable.start(owner, PURPOSE, 7)
    patch(owner_client, upload, 0, DATA[:100])
    assert upload.path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.delete(upload.url, headers=TUS)
    assert response.status_code == 204
    assert not upload.path.exists()
    assert not ResumableUpload.objects.filter(pk=upload.pk).exists()
    assert head(owner_client, upload).status_code == 404
    assert patch(owner_client, upload, 100, DATA[100:200]).status_code == 404
    assert not upload.path.exists()


def test_csrf_stays_on(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    upload = resumable.start(owner, PURPOSE, 7)
    assert patch(client, upload, 0, DATA[:100]).status_code == 403
    assert client.delete(upload.url, headers=TUS).status_code == 403
    assert stored(upload) == (0, b"")
    token = "a" * 32
    client.cookies["csrftoken"] = token
    assert patch(client, upload, 0, DATA[:100], **{"X-CSRFToken": token}).status_code == 204


def test_other_methods_are_not_allowed(owner_client, owner):
    upload = resumable.start(owner, PURPOSE, 7)
    for method in (owner_client.get, owner_client.post, owner_client.put):
        assert method(upload.url, headers=TUS).status_code == 405


# --- Stale uploads and erasure -----------------------------------------------------------------


def test_stale_unfinished_uploads_are_removed_with_their_bytes(
    owner_client, owner, upload_dir, settings, django_capture_on_commit_callbacks
):
    settings.RESUMABLE_UPLOAD_STALE_HOURS = 24
    stale, fresh, done, sending = (resumable.start(owner, PURPOSE, n) for n in (1, 2, 3, 4))
    for upload in (stale, fresh, sending):
        patch(owner_client, upload, 0, DATA[:100])
    patch(owner_client, done, 0, DATA[:100], **{"Upload-Length": "100"})
    long_ago = timezone.now() - timedelta(hours=25)
    # Started long ago, all of them; `sending` got a piece a moment ago (its file says so).
    ResumableUpload.objects.filter(pk__in=[stale.pk, done.pk, sending.pk]).update(updated_at=long_ago)
    os.utime(stale.path, (long_ago.timestamp(), long_ago.timestamp()))
    # Files no upload names: one left by a crash long ago, one being created right now.
    orphan, newborn, stranger = upload_dir / ("0" * 32), upload_dir / ("1" * 32), upload_dir / "notes.txt"
    for file in (orphan, newborn, stranger):
        file.write_bytes(b"...")
    for file in (orphan, stranger):
        os.utime(file, (long_ago.timestamp(), long_ago.timestamp()))

    with django_capture_on_commit_callbacks(execute=True):
        jobs.remove_stale_uploads()

    assert set(ResumableUpload.objects.values_list("pk", flat=True)) == {fresh.pk, done.pk, sending.pk}
    assert not stale.path.exists() and not orphan.exists()
    assert fresh.path.exists() and done.path.exists() and sending.path.exists() and newborn.exists()
    assert stranger.exists()  # not an upload's: not ours to delete


def test_the_folder_is_never_a_public_one(owner_client, owner, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "public")
    settings.RESUMABLE_UPLOAD_DIR = str(tmp_path / "public" / "uploads")
    with pytest.raises(ImproperlyConfigured):
        resumable.start(owner, PURPOSE, 7)
    assert not (tmp_path / "public" / "uploads").exists()


def test_the_sweep_runs_every_hour_from_rqcron(queues):
    scheduler = rq_cron.CronScheduler(connection=queues["default"].connection)
    scheduler.load_config_from_file("tremplin.cron")
    [job] = [job for job in scheduler.get_jobs() if job.func is jobs.remove_stale_uploads]
    assert job.interval == 3600 and job.queue_name == "default"


def test_the_data_export_lists_the_uploads_in_progress(owner_client, owner, other_seeker):
    upload = resumable.start(owner, PURPOSE, 7)
    resumable.start(other_seeker, PURPOSE, 8)
    patch(owner_client, upload, 0, DATA[:100])
    data = exported(owner_client.get("/compte/mes-donnees/"))["data"]
    [pending] = data["resumable_uploads"]
    assert (pending["purpose"], pending["received_bytes"], pending["length"]) == (PURPOSE, 100, None)


def test_deleting_the_account_removes_the_uploads_bytes(
    owner_client, owner, django_capture_on_commit_callbacks
):
    upload = resumable.start(owner, PURPOSE, 7)
    patch(owner_client, upload, 0, DATA[:100])
    with django_capture_on_commit_callbacks(execute=True):
        delete_user(owner)
    assert not ResumableUpload.objects.exists()
    assert not upload.path.exists()


# --- One writer at a time, for real, on PostgreSQL ------------------------------------------


class HeldStream:
    """A body of which half arrives, then the rest once `resume` is set: a request caught
    in the middle of its upload."""

    def __init__(self, data, halfway, resume):
        self.data, self.position, self.halfway, self.resume = data, 0, halfway, resume

    def read(self, size=-1):
        middle = len(self.data) // 2
        if self.position == middle:
            self.halfway.set()
            assert self.resume.wait(timeout=10)
        end = self.position + size
        if self.position < middle:
            end = min(end, middle)
        piece, self.position = self.data[self.position : end], min(end, len(self.data))
        return piece

    readline = read


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bytes_are_written_as_they_arrive_and_a_second_writer_waits_its_turn():
    """Two PATCHes at the same offset (two tabs, a retry crossing a slow answer) cannot
    both write: while the first one's body arrives, its bytes are already in the file, and
    the second is told 423 before a byte of its own is read; afterwards it is told the
    new offset."""
    owner = SeekerFactory(email="course@exemple.test")
    upload = resumable.start(owner, PURPOSE, 7)
    first_piece, second_piece = b"A" * 6000, b"B" * 7000
    halfway, resume = threading.Event(), threading.Event()
    answers = {}

    def send_first():
        client = Client()
        client.force_login(owner)
        try:
            answers["first"] = client.generic(
                "PATCH",
                upload.url,
                first_piece,
                content_type=resumable.CONTENT_TYPE,
                headers={**TUS, "Upload-Offset": "0"},
                **{"wsgi.input": HeldStream(first_piece, halfway, resume)},
            )
        finally:
            connection.close()

    writer = threading.Thread(target=send_first)
    writer.start()
    try:
        assert halfway.wait(timeout=10)
        assert upload.path.read_bytes() == first_piece[:3000]  # written as it came, not held

        second = Client()
        second.force_login(owner)
        busy = patch(second, upload, 0, second_piece)
        assert busy.status_code == 423
        assert upload.path.read_bytes() == first_piece[:3000]
    finally:
        resume.set()
        writer.join(timeout=30)

    assert answers["first"].status_code == 204
    assert stored(upload) == (len(first_piece), first_piece)
    again = patch(second, upload, 0, second_piece)
    assert again.status_code == 409 and again["Upload-Offset"] == str(len(first_piece))


# --- The API for apps ------------------------------------------------------------------------


def test_a_purpose_is_registered_once_and_must_be_registered(owner):
    resumable.register_purpose(
        PURPOSE, max_bytes=resumable._purposes[PURPOSE].max_bytes, on_complete=keep_bytes
    )
    with pytest.raises(ImproperlyConfigured):
        resumable.register_purpose(PURPOSE, max_bytes=LIMIT, on_complete=lambda upload: None)
    with pytest.raises(ImproperlyConfigured):
        resumable.register_purpose("does_nothing", max_bytes=LIMIT)
    with pytest.raises(ImproperlyConfigured):
        resumable.start(owner, "never_registered", 7)
    assert not ResumableUpload.objects.exists()


def test_an_unfinished_upload_says_when_it_expires(owner_client, owner, settings):
    settings.RESUMABLE_UPLOAD_STALE_HOURS = 6
    upload = resumable.start(owner, PURPOSE, 7)
    before = timezone.now().replace(microsecond=0)
    response = patch(owner_client, upload, 0, DATA[:100])
    after = timezone.now()
    # Six hours after the last piece, which the file's time keeps (HEAD says the same).
    for expires in (response["Upload-Expires"], head(owner_client, upload)["Upload-Expires"]):
        assert before + timedelta(hours=6) <= parsedate_to_datetime(expires) <= after + timedelta(hours=6)
