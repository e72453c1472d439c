"""Benchmark of a recorded interview answer, end to end (not a test): see bench/README.md.

    .venv/bin/python bench/interviews.py [--rounds 3] [--seconds 120] [--chunk-kib N] [--reuse]
    .venv/bin/python bench/interviews.py --requests 20 [--reuse]   # each kind of request alone

On PostgreSQL (`tremplin_ibench`, dropped and created again unless --reuse) and Redis
(database 9, flushed), with the production settings (bench/interviews_settings.py: the
benchmark's URLconf, static files by name), starts gunicorn (site/gunicorn.conf.py, 2
workers) and one `manage.py rqworker feedback media`, as a server runs them, then, in
each round, for a seeker logged in over HTTP (session cookie, CSRF token of the session
page, nginx's headers):

1. the yardstick: one plain POST of the whole answer to `bench/upload/`
   (bench/baseline_urls.py: the body written to a file in the uploads' folder, kept as
   long as the chunked upload's, same middleware);
2. a take started as the recording page starts it (`interviews:take_start`: the take and
   its tus upload, `interviews.recordings.start_take`), then the answer sent through the
   real endpoint (core/resumable.py) in PATCHes sized as the recorder sizes them
   (static/js/resumable-upload.js: 1 MiB first, then about 10 s of the speed the previous
   one showed, up to the limit the session page gives, RESUMABLE_UPLOAD_CHUNK_MAX_BYTES),
   or of `--chunk-kib` each, the length with the last piece;
3. `interviews:take_status` polled (every 0.1 s, with its ETag) until the take is ready
   with its measures and its remuxed video, whose URL is then fetched (the private-media
   view answers with nginx's X-Accel-Redirect); then until the MP4 rendition is there.

The answer is bench/transcode.py's: a 1280x720 WebM (VP8/Opus, written as a stream like
MediaRecorder: no duration, no index) of espeak-ng speech with pauses over ffmpeg's test
picture, made once in var/bench/. Times are taken from the start of the last PATCH.
The last line is `feedback_ratio=<feedback s / answer s> rendition_realtime=<answer s /
s to the rendition> upload_ratio=<chunked bytes/s / plain POST bytes/s>` (medians);
targets: feedback_ratio <= 0.15, rendition_realtime > 1, upload_ratio >= 0.8.
"""

import argparse
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

BENCH = Path(__file__).resolve().parent
BASE_DIR = BENCH.parent
# This file is bench/interviews.py: the `interviews` app must win over it on the path.
sys.path[:] = [
    str(BASE_DIR),
    *(entry for entry in sys.path if Path(entry or ".").resolve() != BENCH),
    str(BENCH),
]

import pages  # noqa: E402
import transcode  # noqa: E402

WORK = BASE_DIR / "var" / "bench" / "interviews"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tremplin_ibench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"
SEEKER_EMAIL = "candidate@bench.tremplin.test"
TUS = {"Tus-Resumable": "1.0.0"}
# How static/js/resumable-upload.js sizes its requests (FIRST_PIECE_BYTES, PIECE_SECONDS,
# MIN_PIECE_BYTES there).
FIRST_PIECE_BYTES = 1024 * 1024
PIECE_SECONDS = 10
MIN_PIECE_BYTES = 256 * 1024
POLL_SECONDS = 0.1


def bench_env(options):
    env = pages.bench_env(SimpleNamespace(redis="redis://unused", database_url=options.database_url))
    env.update(
        DJANGO_SETTINGS_MODULE="interviews_settings",
        PYTHONPATH=f"{BASE_DIR}{os.pathsep}{BENCH}",
        REDIS_URL=options.redis,
        CACHE_URL=options.redis.replace("redis://", "rediscache://", 1),
        STATIC_ROOT=str(WORK / "static"),
        MEDIA_ROOT=str(WORK / "uploads"),
        PRIVATE_MEDIA_ROOT=str(WORK / "private"),
        MEDIA_WORK_DIR=str(WORK / "media-jobs"),
        RESUMABLE_UPLOAD_DIR=str(WORK / "resumable"),
    )
    return env


def prepare(options, env):
    """The database (migrated), the interview page and the seeker; the seeker's cookie."""
    if not options.reuse or not pages.database_exists(options.database_url):
        print(f"Creating {options.database_url.rsplit('/', 1)[-1]} and migrating…", flush=True)
        pages.recreate_database(options.database_url)
    pages.flush_redis(env)
    pages.setup_django(env)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import User
    from core.demo import seed
    from interviews.models import MockInterviewPage
    from tests.factories import interviews as build
    from tests.factories.accounts import SeekerFactory

    home = seed(lambda *args: None)
    page = MockInterviewPage.objects.live().first() or build.interview(home)
    seeker = User.objects.filter(email=SEEKER_EMAIL).first() or SeekerFactory(email=SEEKER_EMAIL)
    question = page.questions().first()
    # The seeker's session, made here with the server's settings (same SECRET_KEY,
    # database and cache): a log-in without the form.
    from django.conf import settings
    from django.test import Client as DjangoClient

    django_client = DjangoClient()
    django_client.force_login(seeker)
    name = settings.SESSION_COOKIE_NAME
    return page, question, f"{name}={django_client.cookies[name].value}"


class Client:
    """One keep-alive connection to gunicorn, with a browser's cookies and nginx's headers."""

    def __init__(self, port, cookie, chunk):
        self.port, self.cookies, self.csrf, self.chunk = port, dict([cookie.split("=", 1)]), "", chunk
        self.max_piece = None  # the session page's data-upload-piece-bytes
        self.connection = http.client.HTTPConnection(pages.HOST, port, timeout=120)

    def request(self, method, path, body=None, headers=None):
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        sent = {**pages.request_headers(cookie, accept_encoding=None), **(headers or {})}
        if method not in ("GET", "HEAD"):
            sent.update({"Origin": f"https://{pages.HOST}", "X-CSRFToken": self.csrf})
        self.connection.request(method, path, body=body, headers=sent)
        response = self.connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _sep, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        if response.will_close:
            self.connection.close()
        return response.status, response, data


def upload_chunked(client, upload_url, data):
    """PATCH the answer in pieces of `client.chunk` bytes, or sized as the browser sizes
    them; (seconds, start of the last PATCH, [(bytes, seconds) of each PATCH])."""
    started, offset, pieces = time.perf_counter(), 0, []
    whole = memoryview(data)  # pieces without copies, as a browser's Blob.slice()
    size = client.chunk or min(FIRST_PIECE_BYTES, client.max_piece)
    while offset < len(data):
        piece = whole[offset : offset + size]
        headers = {**TUS, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}
        if offset + len(piece) == len(data):
            headers["Upload-Length"] = str(len(data))
        sent = time.perf_counter()
        status, _response, body = client.request("PATCH", upload_url, piece, headers)
        seconds = time.perf_counter() - sent
        pieces.append((len(piece), seconds))
        if status != 204:
            raise SystemExit(f"PATCH at {offset} answered {status}: {body[:300]!r}")
        offset += len(piece)
        if not client.chunk:
            speed = len(piece) / max(seconds, 0.001)
            size = round(min(client.max_piece, max(MIN_PIECE_BYTES, speed * PIECE_SECONDS)))
    return time.perf_counter() - started, sent, pieces


def wait_for(client, status_url, ready, since, timeout=300):
    """Poll the take's status (conditional) until ready(data); (seconds since `since`, data)."""
    etag, data = None, None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, response, body = client.request(
            "GET", status_url, headers={"If-None-Match": etag} if etag else {}
        )
        if status == 200:
            data, etag = json.loads(body), response.getheader("ETag")
        elif status != 304:
            raise SystemExit(f"{status_url} answered {status}")
        if data and data["status"] == "failed":
            raise SystemExit(f"The take failed: {data['error']}")
        if data and ready(data):
            return time.perf_counter() - since, data
        time.sleep(POLL_SECONDS)
    raise SystemExit(f"Not ready after {timeout} s: {data}")


def plain_post(client, answer):
    """(seconds, name of the stored file): the yardstick's POST; its file stays until
    `delete_plain`."""
    from django.urls import reverse

    started = time.perf_counter()
    status, _response, body = client.request(
        "POST", reverse("bench_upload"), answer, {"Content-Type": "application/octet-stream"}
    )
    seconds = time.perf_counter() - started
    if status != 200 or json.loads(body)["bytes"] != len(answer):
        raise SystemExit(f"Plain POST answered {status}: {body[:300]!r}")
    return seconds, json.loads(body)["name"]


def delete_plain(client, name):
    from django.urls import reverse

    status, _response, body = client.request("DELETE", reverse("bench_upload_delete", args=[name]))
    if status != 200:
        raise SystemExit(f"Deleting the plain POST's file answered {status}: {body[:300]!r}")


def start_take(client, page, question):
    from django.urls import reverse

    status, _response, body = client.request(
        "POST", reverse("interviews:take_start", args=[page.pk, question.pk])
    )
    if status != 201:
        raise SystemExit(f"take_start answered {status}: {body[:300]!r}")
    return json.loads(body)


def upload_pair(client, page, question, answer, chunked_first):
    """One plain POST and the same bytes in PATCHes to a new take, in the order given:
    (plain s, chunked s, the take, the plain POST's file, start of the last PATCH,
    [seconds of each PATCH]).

    The order alternates from pair to pair because, on this VM, a write into memory freed
    a moment ago costs a tenth of one into memory unused for a while (2 ms against 20 ms
    per 8 MiB, bench/README.md): whichever upload came right after the previous pair's
    files were deleted got the fast memory, the other the slow."""
    if not chunked_first:
        plain, stored = plain_post(client, answer)
    take = start_take(client, page, question)
    chunked, last_sent, pieces = upload_chunked(client, take["upload_url"], answer)
    if chunked_first:
        plain, stored = plain_post(client, answer)
    return plain, chunked, take, stored, last_sent, pieces


def upload_pairs(client, page, question, answer, pairs):
    """`pairs` pairs whose take is then deleted (its job finds nothing to do), with the
    plain POST's file; [(plain s, chunked s)]."""
    timings = []
    for number in range(pairs):
        plain, chunked, take, stored, _last_sent, _pieces = upload_pair(
            client, page, question, answer, chunked_first=number % 2 == 1
        )
        status, _response, body = client.request(
            "POST", take["delete_url"], headers={"X-Requested-With": "fetch"}
        )
        if status != 200:
            raise SystemExit(f"Deleting take {take['id']} answered {status}: {body[:300]!r}")
        delete_plain(client, stored)
        timings.append((plain, chunked))
        time.sleep(1.5)  # the deleted take's job, done before the next pair
    return timings


def one_round(client, page, question, answer, pairs):
    uploads = upload_pairs(client, page, question, answer, pairs - 1)
    # The measured pair sends the chunked upload last, so that its feedback is timed from
    # its last PATCH with nothing after it.
    plain, chunked, take, stored, last_sent, pieces = upload_pair(
        client, page, question, answer, chunked_first=False
    )
    uploads.append((plain, chunked))
    delete_plain(client, stored)
    feedback, data = wait_for(
        client,
        take["status_url"],
        lambda d: d["status"] == "ready" and d["sentences"] and d["video_url"],
        last_sent,
    )
    status, response, _body = client.request("GET", data["video_url"], headers={"Range": "bytes=0-"})
    if status not in (200, 206) or not (response.getheader("X-Accel-Redirect") or _body):
        raise SystemExit(f"The video ({data['video_url']}) answered {status}")
    rendition, data = wait_for(client, take["status_url"], lambda d: d["rendition_url"], last_sent)
    if not data["rendition_url"].endswith(".mp4"):
        raise SystemExit(f"The rendition is not an MP4: {data['rendition_url']}")
    return {
        "uploads": uploads,
        "pieces": pieces,
        "feedback": feedback,
        "rendition": rendition,
        "duration": data["duration"],
        "sentences": data["sentences"],
    }


def time_requests(client, page, question, answer, repeats):
    """`--requests`: each kind of request alone, `repeats` times (medians, in ms), with no
    worker running: what a PATCH costs beyond a plain POST of the same bytes."""
    from django.urls import reverse

    def timed(kind, method, path, body, headers, expected):
        started = time.perf_counter()
        status, _response, data = client.request(method, path, body, headers)
        times.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
        if status != expected:
            raise SystemExit(f"{kind} answered {status}: {data[:300]!r}")
        return data

    times = {}
    first, rest = answer[: 1 << 20], answer[1 << 20 :]
    one_post = f"plain POST of {len(answer) / 2**20:.1f} MiB"
    octets = {"Content-Type": "application/octet-stream"}
    tus = {**TUS, "Content-Type": "application/offset+octet-stream"}
    for repeat in range(repeats):
        for kind, body in (("plain POST, empty body", b""), ("plain POST of 1 MiB", first)):
            data = timed(kind, "POST", reverse("bench_upload"), body, octets, 200)
            delete_plain(client, json.loads(data)["name"])
        take = start_take(client, page, question)
        url = take["upload_url"]
        timed("PATCH of 1 MiB", "PATCH", url, first, {**tus, "Upload-Offset": "0"}, 204)
        timed("PATCH, empty body", "PATCH", url, b"", {**tus, "Upload-Offset": str(len(first))}, 204)
        # The large ones in turns, each keeping its file until all are done (see upload_pair).
        other_take = start_take(client, page, question)
        other = other_take["upload_url"]
        timed("PATCH of 1 MiB", "PATCH", other, first, {**tus, "Upload-Offset": "0"}, 204)
        mib, piece = f"{len(rest) / 2**20:.1f} MiB", {**tus, "Upload-Offset": str(len(first))}
        large = [
            (f"PATCH of {mib}", "PATCH", other, rest, piece, 204),
            (
                f"completing PATCH of {mib}",
                "PATCH",
                url,
                rest,
                {**piece, "Upload-Length": str(len(answer))},
                204,
            ),
            (f"plain POST of {mib}", "POST", reverse("bench_upload"), rest, octets, 200),
            (one_post, "POST", reverse("bench_upload"), answer, octets, 200),
        ]
        turn = repeat % len(large)
        answers = [timed(*request) for request in large[turn:] + large[:turn]]
        client.request("POST", take["delete_url"], headers={"X-Requested-With": "fetch"})
        client.request("POST", other_take["delete_url"], headers={"X-Requested-With": "fetch"})
        for plain in (2, 3):  # the plain POSTs' files, kept until now
            delete_plain(client, json.loads(answers[(plain - turn) % len(large)])["name"])
    median = {kind: statistics.median(values) for kind, values in times.items()}
    for kind, values in times.items():
        print(f"{kind:32s} {median[kind]:6.1f} ms (fastest {min(values):.1f})")
    # What the same two pieces would give as plain POSTs: the ceiling of any split in two.
    whole, mib = median[one_post], f"{len(rest) / 2**20:.1f} MiB"
    print(
        f"the whole answer in one plain POST against two: {whole / (median['plain POST of 1 MiB'] + median[f'plain POST of {mib}']):.2f}; "
        f"against the two PATCHes: {whole / (median['PATCH of 1 MiB'] + median[f'completing PATCH of {mib}']):.2f}"
    )


class Worker:
    """`manage.py rqworker feedback media`, in a process group of its own."""

    def __init__(self, env, log_path):
        self.env, self.log_path = dict(os.environ, **env), log_path

    def __enter__(self):
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(  # noqa: S603
            [str(BASE_DIR / ".venv" / "bin" / "python"), "manage.py", "rqworker", "feedback", "media"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_ready(self, timeout=60):
        """Until the worker is registered in Redis (listening on its queues)."""
        import django_rq
        from rq import Worker as RQWorker

        connection = django_rq.get_connection("feedback")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"The rqworker stopped: see {self.log_path}")
            if RQWorker.count(connection=connection):
                return
            time.sleep(0.2)
        raise SystemExit(f"The rqworker did not start within {timeout} s: see {self.log_path}")

    def __exit__(self, *exc):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass
        self.log.close()
        return False


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="one Redis database: queues and cache")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=120, help="the answer's length")
    parser.add_argument(
        "--chunk-kib",
        type=int,
        default=0,
        help="bytes per PATCH, in KiB (default: sized as the browser does)",
    )
    # 10: with 5 per round, runs of the same code gave 0.63 to 0.85 (bench/README.md).
    parser.add_argument("--uploads", type=int, default=10, help="pairs of uploads (plain, chunked) per round")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--reuse", action="store_true", help="keep the last run's database")
    parser.add_argument(
        "--requests",
        type=int,
        default=0,
        metavar="N",
        help="instead: time each kind of request N times, no worker running",
    )
    options = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    from django.urls import reverse

    answer_path = transcode.generate_answer(options.seconds)
    answer = answer_path.read_bytes()
    env = bench_env(options)
    page, question, cookie = prepare(options, env)
    print(
        f"{os.cpu_count()} CPUs; {answer_path.name}: {len(answer) / 1e6:.1f} MB; "
        f"PATCHes of {f'{options.chunk_kib} KiB' if options.chunk_kib else 'the browser’s sizes'}; "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    load_before = os.getloadavg()
    rounds = []
    with pages.Gunicorn(env, options.workers, WORK / "gunicorn.log") as server:
        client = Client(server.port, cookie, options.chunk_kib * 1024)
        status, _response, body = client.request("GET", reverse("interviews:session", args=[page.pk]))
        found = re.search(rb'data-csrf="([^"]+)"', body)
        limit = re.search(rb'data-upload-piece-bytes="([0-9]+)"', body)
        if status != 200 or not found or not limit:
            raise SystemExit(f"The session page answered {status}:\n{server.log_tail()}")
        client.csrf, client.max_piece = found.group(1).decode(), int(limit.group(1))
        # A first plain POST, not measured (the first pairs of each round warm the PATCHes).
        status, _response, body = client.request(
            "POST", reverse("bench_upload"), answer[:1_000_000], {"Content-Type": "application/octet-stream"}
        )
        if status != 200:
            raise SystemExit(f"The plain POST answered {status}: {body[:300]!r}\n{server.log_tail()}")
        if options.requests:
            time_requests(client, page, question, answer, options.requests)
            return
        with Worker(env, WORK / "rqworker.log"):
            for number in range(1, options.rounds + 1):
                row = one_round(client, page, question, answer, options.uploads)
                rounds.append(row)
                size = len(answer) / 1e6
                plain = statistics.median(p for p, _c in row["uploads"])
                chunked = statistics.median(c for _p, c in row["uploads"])
                print(
                    f"round {number}: plain POST {plain:.2f} s ({size / plain:.0f} MB/s), "
                    f"{len(row['pieces'])} PATCHes {chunked:.2f} s ({size / chunked:.0f} MB/s) "
                    f"(medians of {len(row['uploads'])}: "
                    f"{', '.join(f'{p * 1000:.0f}/{c * 1000:.0f}' for p, c in row['uploads'])} ms; the last upload's PATCHes "
                    f"{', '.join(f'{length / 2**20:.1f} MiB {seconds * 1000:.0f} ms' for length, seconds in row['pieces'])}); "
                    f"feedback {row['feedback']:.2f} s, MP4 rendition {row['rendition']:.2f} s after the last piece",
                    flush=True,
                )
    load_after = os.getloadavg()
    last = rounds[-1]
    median = {key: statistics.median(r[key] for r in rounds) for key in ("feedback", "rendition")}
    uploads = [pair for r in rounds for pair in r["uploads"]]
    median["plain"] = statistics.median(p for p, _c in uploads)
    median["chunked"] = statistics.median(c for _p, c in uploads)
    # Each pair's ratio: the plain POST and the chunked upload made one after the other.
    median["upload_ratio"] = statistics.median(p / c for p, c in uploads)
    seconds = last["duration"]
    print(f"\nanswer: {seconds:.2f} s (the take's duration); its measures: {' / '.join(last['sentences'])}")
    print(
        f"load average {' '.join(f'{v:.1f}' for v in load_before)} before, "
        f"{' '.join(f'{v:.1f}' for v in load_after)} after"
    )
    print(
        f"medians of {len(rounds)}: feedback {median['feedback']:.2f} s (target {0.15 * seconds:.1f} s), "
        f"MP4 rendition {median['rendition']:.2f} s (target < {seconds:.0f} s), "
        f"upload ({len(uploads)} pairs) {median['chunked']:.3f} s chunked / {median['plain']:.3f} s plain"
    )
    print(
        f"feedback_ratio={median['feedback'] / seconds:.3f} "
        f"rendition_realtime={seconds / median['rendition']:.2f} "
        f"upload_ratio={median['upload_ratio']:.2f}"
    )


if __name__ == "__main__":
    main()
