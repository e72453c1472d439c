"""static/js/resumable-upload.js in Chromium, against the real tus endpoint (core.resumable):
an upload fed piece by piece, as MediaRecorder's `dataavailable` would, survives an
aborted request, the browser going offline and a page reload mid-upload, and the server
ends with exactly the bytes that were handed over, completed once.

The page that drives the client exists only in this module (its URLconf, through
`@pytest.mark.urls`); it is served under the project's Content-Security-Policy, which
must not block anything.
"""

import base64
import hashlib
import random

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import path

from core import resumable
from core.models import ResumableUpload
from media import processing
from tests.e2e.conftest import log_in
from tremplin import urls as project_urls

PURPOSE = "e2e_recording"
completed = []


def keep_bytes(upload):
    with upload.open() as file:
        completed.append((upload.pk, file.read()))


resumable.register_purpose(PURPOSE, max_bytes=10 * 1024 * 1024, on_complete=keep_bytes)

HARNESS_JS = """
import { ChunkStore, Uploader } from "%(module)s";

const violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
const csrfToken = document.body.dataset.csrf;
const store = await ChunkStore.open();
const options = { store, csrfToken, retryDelays: [100, 200, 400] };
const counts = { retries: 0, progress: 0, completions: 0, errors: [], offsets: [] };
let uploader = null;

function watch(next) {
    uploader = next;
    uploader.addEventListener("retry", () => { counts.retries += 1; });
    uploader.addEventListener("progress", (event) => {
        counts.progress += 1;
        if (event.detail.offset > (counts.offsets.at(-1) ?? 0)) {
            counts.offsets.push(event.detail.offset);
        }
    });
    uploader.addEventListener("complete", () => { counts.completions += 1; });
    uploader.addEventListener("error", (event) => { counts.errors.push(event.detail); });
}

function bytesOf(text) {
    return Uint8Array.from(atob(text), (character) => character.charCodeAt(0));
}

window.harness = {
    violations,
    start(url, more = {}) {
        counts.offsets = [];
        watch(new Uploader(url, { ...options, info: { question: 3 }, ...more }));
    },
    // `size` bytes at once: a backlog, as after a cut or with a chosen file.
    appendBytes(size) {
        const bytes = new Uint8Array(size);
        for (let i = 0; i < size; i += 1) {
            bytes[i] = (i * 7 + (i >> 8)) %% 256;
        }
        return uploader.append(bytes);
    },
    // A Blob, as MediaRecorder's dataavailable gives.
    append(text) {
        return uploader.append(new Blob([bytesOf(text)], { type: "video/webm" }));
    },
    finish() {
        uploader.finish();
    },
    cancel() {
        return uploader.cancel();
    },
    // What a recording page does: MediaRecorder (here on a canvas: no camera needed)
    // hands a piece every 250 ms to the uploader, and finish() when it stops.
    async record(url, milliseconds) {
        const canvas = document.createElement("canvas");
        canvas.width = 160;
        canvas.height = 120;
        document.body.append(canvas);
        const context = canvas.getContext("2d");
        let frame = 0;
        const painter = setInterval(() => {
            context.fillStyle = `hsl(${(frame * 15) %% 360} 80%% 50%%)`;
            context.fillRect(0, 0, 160, 120);
            frame += 1;
        }, 40);
        const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: "video/webm;codecs=vp8" });
        watch(new Uploader(url, options));
        const blobs = [];
        recorder.addEventListener("dataavailable", (event) => {
            blobs.push(event.data);
            uploader.append(event.data);
        });
        const stopped = new Promise((resolve) => recorder.addEventListener("stop", resolve));
        recorder.addEventListener("stop", () => uploader.finish());
        recorder.start(250);
        await new Promise((resolve) => setTimeout(resolve, milliseconds));
        recorder.stop();
        await stopped;
        clearInterval(painter);
        const bytes = await new Blob(blobs).arrayBuffer();
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
        const sha256 = [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
        return { size: bytes.byteLength, sha256, pieces: blobs.filter((blob) => blob.size).length };
    },
    async resume(url) {
        watch(await Uploader.resume(url, options));
    },
    status() {
        return { offset: uploader?.offset, stored: uploader?.stored, complete: uploader?.complete, ...counts };
    },
    clearAll() {
        return store.clearAll();
    },
    async pending() {
        const uploads = await store.pending();
        const chunks = await Promise.all(uploads.map((upload) => store.chunks(upload.url)));
        return uploads.map((upload, i) => ({ ...upload, chunks: chunks[i].length }));
    },
};
document.body.dataset.ready = "ready";
"""


def harness_page(request):
    html = (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Essai d’envoi</title>'
        '<script type="module" src="/essai-envoi/harness.js"></script></head>'
        f'<body data-csrf="{get_token(request)}"><main><h1>Essai d’envoi</h1></main></body></html>'
    )
    return HttpResponse(html)


def harness_js(request):
    return HttpResponse(
        HARNESS_JS % {"module": static("js/resumable-upload.js")}, content_type="text/javascript"
    )


urlpatterns = [
    path("essai-envoi/", harness_page),
    path("essai-envoi/harness.js", harness_js),
    *project_urls.urlpatterns,
]


def encoded(piece):
    return base64.b64encode(piece).decode("ascii")


def open_harness(page):
    page.goto("/essai-envoi/")
    page.wait_for_selector("body[data-ready='ready']")


def wait_for_offset(page, offset):
    page.wait_for_function("(offset) => window.harness.status().offset === offset", arg=offset)


def server_offset(upload):
    upload.refresh_from_db()
    return upload.offset


@pytest.mark.urls(__name__)
def test_an_upload_cut_by_the_network_and_a_reload_resumes_with_the_exact_bytes(
    page, seeker, password, settings, tmp_path
):
    settings.RESUMABLE_UPLOAD_DIR = str(tmp_path / "uploads")
    completed.clear()
    randomness = random.Random(14)
    pieces = [randomness.randbytes(randomness.randint(20_000, 60_000)) for _ in range(10)]
    ends = [sum(len(piece) for piece in pieces[: n + 1]) for n in range(len(pieces))]
    upload = resumable.start(seeker, PURPOSE, 1)

    log_in(page, seeker.email, password)
    open_harness(page)
    patches, blocked = [], {"all": False}

    def route(request_route):
        request = request_route.request
        if request.method == "PATCH":
            patches.append(request.headers.get("upload-offset"))
            if len(patches) == 2 or blocked["all"]:
                request_route.abort("connectionreset")
                return
        request_route.continue_()

    page.route("**/envois/**", route)
    page.evaluate("(url) => window.harness.start(url)", upload.url)

    # 1. The second PATCH fails: the uploader asks where the upload is and sends it again.
    for piece, end in zip(pieces[:4], ends, strict=False):
        page.evaluate("(text) => window.harness.append(text)", encoded(piece))
        wait_for_offset(page, end)
    status = page.evaluate("window.harness.status()")
    assert status["retries"] >= 1
    assert patches[1] in patches[2:]  # the aborted piece was sent again
    assert server_offset(upload) == ends[3]

    # 2. Offline: the pieces wait in IndexedDB, then go when the browser is back online.
    page.context.set_offline(True)
    for piece in pieces[4:6]:
        page.evaluate("(text) => window.harness.append(text)", encoded(piece))
    retries = page.evaluate("window.harness.status().retries")
    page.wait_for_function("(n) => window.harness.status().retries >= n + 2", arg=retries)
    assert server_offset(upload) == ends[3]
    page.context.set_offline(False)
    wait_for_offset(page, ends[5])

    # 3. The server is unreachable for PATCH; the recording stops; the page is reloaded.
    blocked["all"] = True
    for piece in pieces[6:]:
        page.evaluate("(text) => window.harness.append(text)", encoded(piece))
    page.evaluate("window.harness.finish()")
    retries = page.evaluate("window.harness.status().retries")
    page.wait_for_function("(n) => window.harness.status().retries >= n + 1", arg=retries)
    assert server_offset(upload) == ends[5]
    # Meanwhile another tab sent half of the next piece: the server is now mid-piece.
    token = page.evaluate("document.body.dataset.csrf")
    half = len(pieces[6]) // 2
    other_tab = page.context.request.patch(
        upload.url,
        data=pieces[6][:half],
        headers={
            "Tus-Resumable": "1.0.0",
            "Upload-Offset": str(ends[5]),
            "Content-Type": resumable.CONTENT_TYPE,
            "X-CSRFToken": token,
        },
    )
    assert other_tab.status == 204
    page.reload()
    page.wait_for_selector("body[data-ready='ready']")
    [kept] = page.evaluate("window.harness.pending()")
    assert kept["url"] == upload.url
    assert kept["finished"] is True
    assert kept["stored"] == ends[-1]
    assert kept["info"] == {"question": 3}
    assert kept["chunks"] == 4  # the pieces the server did not confirm

    blocked["all"] = False
    page.evaluate("(url) => window.harness.resume(url)", upload.url)
    page.wait_for_function("() => window.harness.status().complete === true")

    upload.refresh_from_db()
    assert upload.is_complete and upload.offset == upload.length == ends[-1]
    assert completed == [(upload.pk, b"".join(pieces))]
    assert upload.path.read_bytes() == b"".join(pieces)
    assert page.evaluate("window.harness.pending()") == []  # IndexedDB let go of the pieces
    status = page.evaluate("window.harness.status()")
    assert (status["completions"], status["errors"]) == (1, [])
    # After the reload: one HEAD, then the rest of the half-sent piece and what followed.
    assert patches[-1] == str(ends[5] + half)
    assert page.evaluate("window.harness.violations") == []
    assert ResumableUpload.objects.count() == 1


def piece_sizes(page):
    offsets = page.evaluate("window.harness.status().offsets")
    return [end - start for start, end in zip([0, *offsets], offsets, strict=False)]


@pytest.mark.urls(__name__)
def test_pieces_follow_the_speed_of_the_link(page, seeker, password, settings, tmp_path):
    """A backlog goes in few large requests on a fast link, in smaller ones after a cut,
    and in requests of about `pieceSeconds` of sending on a slow link (Chromium's own
    throttling), so that a cut loses little; every byte arrives either way."""
    settings.RESUMABLE_UPLOAD_DIR = str(tmp_path / "uploads")
    completed.clear()
    mebibyte = 1024 * 1024
    size = 3 * mebibyte
    expected = bytes((i * 7 + (i >> 8)) % 256 for i in range(size))
    log_in(page, seeker.email, password)
    open_harness(page)

    # Fast (the loopback): the first request carries 1 MiB, the next one all the rest.
    fast = resumable.start(seeker, PURPOSE, 1)
    page.evaluate("(url) => window.harness.start(url, { maxRequestBytes: 4 * 1024 * 1024 })", fast.url)
    page.evaluate("(size) => window.harness.appendBytes(size)", size)
    wait_for_offset(page, size)
    assert piece_sizes(page) == [mebibyte, 2 * mebibyte]

    # A request cut by the network: the next ones carry half as much, then grow again.
    patches = []

    def cut_the_second(request_route):
        if request_route.request.method == "PATCH":
            patches.append(request_route.request.headers.get("upload-offset"))
            if len(patches) == 2:
                request_route.abort("connectionreset")
                return
        request_route.continue_()

    page.route("**/envois/**", cut_the_second)
    cut = resumable.start(seeker, PURPOSE, 3)
    page.evaluate("(url) => window.harness.start(url, { maxRequestBytes: 4 * 1024 * 1024 })", cut.url)
    page.evaluate("(size) => window.harness.appendBytes(size)", 8 * mebibyte)
    wait_for_offset(page, 8 * mebibyte)
    assert piece_sizes(page) == [mebibyte, 2 * mebibyte, 4 * mebibyte, mebibyte]
    assert patches[1] == patches[2] == str(mebibyte)
    page.unroute("**/envois/**")

    # Slow: 1 MB/s up, and requests of about half a second each.
    devtools = page.context.new_cdp_session(page)
    devtools.send("Network.enable")
    devtools.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 1_000_000},
    )
    slow = resumable.start(seeker, PURPOSE, 2)
    page.evaluate(
        "(url) => window.harness.start(url, { maxRequestBytes: 4 * 1024 * 1024, pieceSeconds: 0.5 })",
        slow.url,
    )
    page.evaluate("(size) => window.harness.appendBytes(size)", size)
    page.evaluate("window.harness.finish()")
    page.wait_for_function("() => window.harness.status().complete === true", timeout=30_000)
    first, *others = piece_sizes(page)
    assert first == mebibyte
    assert len(others) >= 3
    # 0.5 s at 1 MB/s, less what the round trips and the server take (256 KiB at least).
    assert all(256 * 1024 <= piece <= 520_000 for piece in others[:-1]), others
    assert completed[-1] == (slow.pk, expected)


@pytest.mark.urls(__name__)
def test_cancel_terminates_the_upload_and_a_refused_one_stops_at_once(
    page, seeker, other_seeker, password, settings, tmp_path
):
    settings.RESUMABLE_UPLOAD_DIR = str(tmp_path / "uploads")
    mine = resumable.start(seeker, PURPOSE, 1)
    theirs = resumable.start(other_seeker, PURPOSE, 2)
    log_in(page, seeker.email, password)
    open_harness(page)

    page.evaluate("(url) => window.harness.start(url)", mine.url)
    page.evaluate("(text) => window.harness.append(text)", encoded(b"recorded" * 1000))
    wait_for_offset(page, 8000)
    assert mine.path.exists()
    page.evaluate("window.harness.cancel()")
    assert not ResumableUpload.objects.filter(pk=mine.pk).exists()
    assert not mine.path.exists()
    assert page.evaluate("window.harness.pending()") == []

    # Someone else's upload: 404, said once, never tried again.
    page.evaluate("(url) => window.harness.start(url)", theirs.url)
    page.evaluate("(text) => window.harness.append(text)", encoded(b"not yours"))
    page.wait_for_function("() => window.harness.status().errors.length === 1")
    page.wait_for_timeout(500)
    status = page.evaluate("window.harness.status()")
    assert status["errors"][0]["status"] == 404
    assert (status["retries"], status["complete"]) == (0, False)
    assert server_offset(theirs) == 0
    # Its piece waits in the store until the page lets it go (at log-out, for instance).
    [refused] = page.evaluate("window.harness.pending()")
    assert (refused["url"], refused["chunks"]) == (theirs.url, 1)
    page.evaluate("window.harness.clearAll()")
    assert page.evaluate("window.harness.pending()") == []


@pytest.mark.urls(__name__)
def test_a_media_recorder_feeds_the_uploader_and_the_server_gets_a_playable_webm(
    page, seeker, password, settings, tmp_path
):
    settings.RESUMABLE_UPLOAD_DIR = str(tmp_path / "uploads")
    completed.clear()
    upload = resumable.start(seeker, PURPOSE, 1)
    log_in(page, seeker.email, password)
    open_harness(page)
    patches = []

    def route(request_route):
        if request_route.request.method == "PATCH":
            patches.append(request_route.request.headers.get("upload-offset"))
            if len(patches) == 2:  # a piece lost on the way
                request_route.abort("connectionreset")
                return
        request_route.continue_()

    page.route("**/envois/**", route)
    recorded = page.evaluate("(url) => window.harness.record(url, 2500)", upload.url)
    page.wait_for_function("() => window.harness.status().complete === true")

    assert recorded["pieces"] >= 5
    upload.refresh_from_db()
    assert upload.length == upload.offset == recorded["size"]
    stored = upload.path.read_bytes()
    assert hashlib.sha256(stored).hexdigest() == recorded["sha256"]
    assert completed == [(upload.pk, stored)]
    assert patches[1] in patches[2:]  # the lost piece was sent again
    info = processing.probe(str(upload.path))
    assert (info.video.codec, info.video.width, info.video.height) == ("vp8", 160, 120)
