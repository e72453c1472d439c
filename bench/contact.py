"""Benchmark of messages and bookings at scale (not a test): see bench/README.md.

    .venv/bin/python bench/seed_scale.py            # once: the database (a few minutes)
    .venv/bin/python bench/contact.py [--iterations 300] [--page-iterations 50]

On the database bench/seed_scale.py built (counsellor 0's 250 seekers with 50 messages
each, 6,000 more conversations, the rest of the national-scale data), served as
bench/portfolio.py serves its pages (this process, the test settings with DEBUG off,
the WSGI application of tremplin/wsgi.py called as gunicorn calls it, persistent
connections, cached sessions) but with Redis (database 1) as the cache, as in
production, measures:

* the "anything new?" requests when nothing is new: `contact:conversation_poll`
  (the counsellor, for one of their seekers) and `contact:my_messages_poll` (that
  seeker), each with the ETag of its last answer in `If-None-Match`, so they answer
  304; against the same user's request of a bare authenticated view returning `{}`
  (`bench/empty/` in bench/baseline_urls.py) through the same middleware. `poll_ratio`
  is the worse of the two poll p95 / bare p95 (target ≤ 1.5);
* `poll_rps`: how many of the counsellor's 304 answers one gunicorn worker gives per
  second: `site/gunicorn.conf.py` with the production settings (Redis database 1 for
  the cache), one worker of GUNICORN_THREADS threads (4), loaded for `--rps-seconds` by
  bench/pages.py's Python client in a process of its own with `--gunicorn-connections`
  keep-alive connections (4) carrying what nginx adds; the machine's other core runs the
  client. The same requests made one after another in this process (no HTTP) are
  printed beside it;
* the counsellor's inbox (`contact:inbox`, 250 conversations) against the baseline page
  of bench/portfolio.py (the same 250 seekers from one query): `inbox_ratio` = inbox
  p95 / baseline p95 (target ≤ 3);
* 200 simultaneous booking attempts on 50 free slots from separate connections:
  bench/booking_race.py's race, in a throw-away database (`tremplin_bench_booking`),
  which must book exactly 50 with no double booking.

The polls do not send `lu=1` (the visible page's "and mark them read"): the 304 path is
the same, and the seeded conversations stay as they are. Each request is first made
once to fill the caches and count its queries. Then the polls and the bare views take
turns (`--warm-up` rounds, then `--iterations`), and after them the inbox and the
baseline (`--page-iterations`): in one series, the request after a page would always
be the same one, with the caches the page had filled. The last line is
`poll_ratio=<x> poll_rps=<y> inbox_ratio=<z> booked=<n>/<slots> double_bookings=<d>`.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Jobs a booking schedules after its commit (none when the race runs without a worker) go
# to the benchmark's own Redis database.
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")

import portfolio  # noqa: E402
import seed_scale  # noqa: E402

BOOKING_DATABASE = "tremplin_bench_booking"
REDIS = "redis://127.0.0.1:6379"


def request(client, url, etag=None):
    """(wall ms, CPU ms, status, body, ETag) of one GET by `client`'s user, served as
    bench/portfolio.py serves its pages (portfolio.served_get: the WSGI application as
    gunicorn calls it, timed to the last byte)."""
    from tremplin.wsgi import application

    headers = {"If-None-Match": etag} if etag else {}
    served, cpu, status, body, answered = portfolio.served_get(
        application, portfolio.session_cookie(client), url, headers
    )
    return served * 1000, cpu * 1000, status, body, answered.get("ETag")


def queries_of(client, url, etag=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        request(client, url, etag)
    return [portfolio.query_label(query["sql"]) for query in context.captured_queries]


def requests_per_second(client, url, etag, seconds):
    """Requests answered per second, one after another, for `seconds`."""
    expected = 304 if etag else 200
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        _ms, _cpu, status, _body, _etag = request(client, url, etag)
        if status != expected:
            raise SystemExit(f"{url} answered {status}, not {expected}")
        count += 1
    return count / (time.perf_counter() - started)


def session_cookie(user, secret_key):
    """A session cookie of `user` for a server whose SECRET_KEY is `secret_key` (the
    session data and the user's session hash are signed with it)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.test.utils import override_settings

    with override_settings(SECRET_KEY=secret_key):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def gunicorn_rps(database_url, user, paths, seconds, connections):
    """{path: load result} of one gunicorn worker (production settings, site/gunicorn.conf.py,
    GUNICORN_THREADS threads) loaded by bench/pages.py's client with `connections`
    keep-alive connections for `seconds`. For the paths whose answer is to be 304
    ({path: expected status}), the ETag of the server's own first answer goes in
    If-None-Match (the conversation versions live in its cache, not this process's)."""
    import pages

    env = pages.bench_env(SimpleNamespace(redis=REDIS, database_url=database_url))
    env.update(REDIS_URL=f"{REDIS}/1", CACHE_URL=f"{REDIS.replace('redis://', 'rediscache://', 1)}/1")
    cookie = session_cookie(user, env["SECRET_KEY"])
    results = {}
    with pages.Gunicorn(env, 1, seed_scale.BENCH_DIR / "gunicorn-contact.log") as server:
        for path, status in paths.items():
            headers = {}
            if status == 304:
                _status, first, _body = pages.fetch(server.port, path, pages.request_headers(cookie))
                headers = {"If-None-Match": dict(first)["ETag"]}
            answered, _headers, _body = pages.fetch(
                server.port, path, {**pages.request_headers(cookie), **headers}
            )
            if answered != status:
                raise SystemExit(f"gunicorn: {path} answered {answered}, not {status}:\n{server.log_tail()}")
            pages.load_python(server.port, path, [cookie], connections, 1, headers, status)  # warm-up
            results[path] = pages.load_python(
                server.port, path, [cookie], connections, seconds, headers, status
            )
    return results


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=seed_scale.DEFAULT_DATABASE_URL)
    parser.add_argument("--iterations", type=int, default=300, help="requests per poll and bare view")
    parser.add_argument("--page-iterations", type=int, default=50, help="requests per inbox and baseline")
    parser.add_argument("--warm-up", type=int, default=5)
    parser.add_argument("--rps-seconds", type=float, default=5.0)
    parser.add_argument(
        "--gunicorn-connections", type=int, default=4, help="connections to the one worker (its threads)"
    )
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--slots", type=int, default=50)
    parser.add_argument("--connections", type=int, default=40)
    options = parser.parse_args()

    portfolio.setup(options.database_url)
    from django.test.utils import override_settings
    from django.urls import reverse

    # As in production, the cache is Redis: the sessions and the conversations' versions
    # live there, so the polls and the bare view pay for its round trips alike. Emptied
    # first: what a run left there (the booking race's seekers share ids with these).
    redis_cache = override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"{REDIS}/1"}
        }
    )
    redis_cache.enable()
    from django.core.cache import cache

    cache.clear()

    from accounts.models import SeekerProfile
    from contact.models import Conversation, Message

    counsellor, counsellor_client = portfolio.client_for(seed_scale.COUNSELLOR_EMAIL.format(0))
    seeker_id = (
        SeekerProfile.objects.filter(counsellor=counsellor, user__conversation__isnull=False)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .first()
    )
    if seeker_id is None:
        raise SystemExit("No conversation in the portfolio: seed again with this bench/seed_scale.py.")
    seeker, seeker_client = portfolio.client_for(SeekerProfile.objects.get(user_id=seeker_id).user.email)
    conversations = Conversation.objects.filter(seeker__seeker_profile__counsellor=counsellor).count()
    last_id = (
        Message.objects.filter(conversation_id=seeker_id).order_by("-pk").values_list("pk", flat=True)[0]
    )
    print(
        f"Database {options.database_url.rsplit('/', 1)[-1]}: {Conversation.objects.count():,} conversations, "
        f"{Message.objects.count():,} messages; the counsellor's inbox: {conversations} conversations; "
        f"seeker {seeker_id}: {Message.objects.filter(conversation_id=seeker_id).count()} messages",
        flush=True,
    )

    after = f"?apres={last_id}"
    # (name, client, url, needs an ETag)
    requests = [
        (
            "poll (counsellor)",
            counsellor_client,
            reverse("contact:conversation_poll", args=[seeker_id]) + after,
            True,
        ),  # fmt: skip
        ("bare (counsellor)", counsellor_client, reverse("bench_empty"), False),
        ("poll (seeker)", seeker_client, reverse("contact:my_messages_poll") + after, True),
        ("bare (seeker)", seeker_client, reverse("bench_empty"), False),
        ("inbox", counsellor_client, reverse("contact:inbox"), False),
        ("baseline", counsellor_client, reverse("bench_baseline"), False),
    ]
    etags, labels, sizes = {}, {}, {}
    for name, client, url, conditional in requests:
        _ms, _cpu, status, body, etag = request(client, url)
        if status != 200:
            raise SystemExit(f"{name}: {url} answered {status}")
        sizes[name] = len(body) / 1000
        if conditional:
            if not etag:
                raise SystemExit(f"{name}: {url} gave no ETag")
            etags[name] = etag
            _ms, _cpu, status, _body, _etag = request(client, url, etag)
            if status != 304:
                raise SystemExit(f"{name}: {url} with its ETag answered {status}, not 304")
        labels[name] = queries_of(client, url, etags.get(name))

    times = {name: [] for name, *_rest in requests}
    cpu_times = {name: [] for name, *_rest in requests}
    expected = {name: 304 if conditional else 200 for name, _client, _url, conditional in requests}
    load_before = os.getloadavg()[0]
    # Two series, each of its own requests taking turns: the polls and bare views, then
    # the inbox and the baseline. Mixed in one series, the request after a page started
    # with caches the page had just filled with other things: always the same one.
    pages = {"inbox", "baseline"}
    series = [
        ([request for request in requests if request[0] not in pages], options.iterations),
        ([request for request in requests if request[0] in pages], options.page_iterations),
    ]
    for members, iterations in series:
        for round_number in range(options.warm_up + iterations):
            for name, client, url, _conditional in members:
                elapsed, cpu, status, _body, _etag = request(client, url, etags.get(name))
                if status != expected[name]:
                    raise SystemExit(f"{name}: {url} answered {status}")
                if round_number >= options.warm_up:
                    times[name].append(elapsed)
                    cpu_times[name].append(cpu)
    poll_name, poll_client, poll_url, _conditional = requests[0]
    rps = requests_per_second(poll_client, poll_url, etags[poll_name], options.rps_seconds)
    bare_rps = requests_per_second(counsellor_client, reverse("bench_empty"), None, options.rps_seconds)
    served = gunicorn_rps(
        options.database_url,
        counsellor,
        {poll_url: 304},
        options.rps_seconds,
        options.gunicorn_connections,
    )
    load_after = os.getloadavg()[0]

    print(
        f"\n{options.iterations} requests per poll and bare view, {options.page_iterations} per page, after "
        f"{options.warm_up} rounds of warm-up; load average {load_before:.1f} before, {load_after:.1f} after "
        f"({os.cpu_count()} cores)\n"
    )
    header = f"{'request':<20} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU ms':>7} {'queries':>8} {'KB':>7}"  # fmt: skip
    print(header)
    print("-" * len(header))
    p95 = {}
    for name, *_rest in requests:
        values = times[name]
        p95[name] = portfolio.percentile(values, 0.95)
        print(
            f"{name:<20} {expected[name]:>6} {statistics.median(values):>8.2f} {p95[name]:>8.2f} "
            f"{max(values):>8.2f} {statistics.median(cpu_times[name]):>7.2f} {len(labels[name]):>8} "
            f"{sizes[name]:>7.1f}"
        )
    print("\nQueries of one request (what they read):")
    for name, *_rest in requests:
        print(f"  {name}: {', '.join(labels[name]) or 'none'}")
    ratios = {
        "counsellor": p95["poll (counsellor)"] / p95["bare (counsellor)"],
        "seeker": p95["poll (seeker)"] / p95["bare (seeker)"],
    }
    cpu = {name: statistics.median(values) for name, values in cpu_times.items()}
    print(
        f"\nmedian CPU ratios (steadier than the p95 on a busy machine): poll / bare "
        f"{cpu['poll (counsellor)'] / cpu['bare (counsellor)']:.2f} (counsellor), "
        f"{cpu['poll (seeker)'] / cpu['bare (seeker)']:.2f} (seeker); inbox / baseline "
        f"{cpu['inbox'] / cpu['baseline']:.2f}"
    )
    print(
        f"poll p95 / bare p95: counsellor {ratios['counsellor']:.2f}, seeker {ratios['seeker']:.2f}; "
        f"in this process, one thread, {options.rps_seconds:.0f} s each: {rps:.0f} poll answers (304) per "
        f"second, {bare_rps:.0f} bare answers per second"
    )
    load = served[poll_url]
    poll_rps = load["rps"]
    print(
        f"one gunicorn worker ({os.environ.get('GUNICORN_THREADS', '4')} threads, production settings), "
        f"{options.gunicorn_connections} connections, {options.rps_seconds:.0f} s: {poll_rps:.0f} poll answers "
        f"(304) per second, p50 {load['p50'] * 1000:.1f} ms, p99 {load['p99'] * 1000:.1f} ms, "
        f"{load['errors']} errors, {load['bad_status']} answers other than 304"
    )

    # The race last: it moves the default connection to a database of its own, whose
    # seekers must not leave their followers in the cache the polls read.
    redis_cache.disable()
    from django.db import connection

    connection.settings_dict.setdefault("TEST", {})["NAME"] = BOOKING_DATABASE
    import booking_race

    outcomes, errors, seconds, doubles = booking_race.run(
        options.attempts, options.slots, options.connections
    )
    for error in sorted(set(errors))[:5]:
        print("failure:", error)
    print(
        f"booking race: {options.attempts} attempts on {options.slots} slots from "
        f"{min(options.connections, options.attempts)} connections in {seconds:.2f} s: "
        f"{outcomes['booked']} booked, {outcomes['refused']} told the slot is taken "
        f"({outcomes['by_constraint']} by the exclusion constraint), {outcomes['failed']} failed"
    )
    print(
        f"\npoll_ratio={max(ratios.values()):.2f} poll_rps={poll_rps:.0f} "
        f"inbox_ratio={p95['inbox'] / p95['baseline']:.2f} "
        f"booked={outcomes['booked']}/{options.slots} double_bookings={doubles}"
    )


if __name__ == "__main__":
    main()
