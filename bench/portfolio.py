"""Benchmark of the counsellor workspace at scale (not a test): see bench/README.md.

    .venv/bin/python bench/seed_scale.py            # once: the database (a few minutes)
    .venv/bin/python bench/portfolio.py [--iterations 50] [--explain]

On the database bench/seed_scale.py built (20,000 seekers, 2,000,000 lesson progress
rows, 200,000 assignments, 1,000,000 activity entries), in this process, with the
test settings (DEBUG off), the WSGI application of tremplin/wsgi.py (with its garbage
collector tuning), persistent database connections and cached sessions as in
production, logged in as the counsellor who follows 250 seekers, measures:

* the portfolio (`coaching:portfolio`): as it opens, then with filters and sorts
  from the query string;
* the page of one of their seekers (`coaching:seeker`);
* the CSV export of the portfolio (`coaching:portfolio_csv`), streamed content read
  to the end;
* the baseline (bench/baseline_urls.py, a URLconf of the benchmark's own): the same
  250 seekers (name, e-mail, modality) from one query in a plain table, through the
  same middleware, navigation and base template. The portfolio's p95 divided by the
  baseline's is the figure that carries from one machine to another.

Migrations added since the seeding are applied first. Each page is requested a few
times to warm up, then `--iterations` times (the pages take turns), through the WSGI
application as gunicorn calls it; the server time of a request is the wall time to
the last byte of its body (what the server has written when it calls the response's
`close()`, see `served_get`); "CPU ms" is the CPU time this process spent on it,
`close()` included (Python: ORM, rows, template), which a busy machine inflates less
than the wall time.
The SQL queries of one request are counted and timed apart, for this counsellor and
for the one who follows 10 seekers: the count must not grow with the portfolio.
`--explain` prints EXPLAIN ANALYZE of the slowest queries of each page.

The last line is
`portfolio_p95_ms=<x> portfolio_queries=<n> seeker_p95_ms=<y> export_p95_ms=<z>
portfolio_cpu_ratio=<c> portfolio_ratio=<r>`: the portfolio figures are the worst of its
variants (target: p95 < 100 ms), `r` that worst p95 divided by the baseline's p95 of
the same run, `c` the same with the median CPU ms (steadier on a shared machine); a
page that does not answer 200 yet is shown as `n/a`.
"""

import argparse
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote
from wsgiref.util import setup_testing_defaults

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed_scale  # noqa: E402

# (name, URL name, query string); the portfolio variants come first.
PAGES = [
    ("portfolio", "coaching:portfolio", ""),
    ("portfolio alerts+guide, by activity", "coaching:portfolio", "?alert=any&modality=guide&sort=activity"),
    ("portfolio overdue+web, by progress", "coaching:portfolio", "?status=overdue&web=yes&sort=progress"),
    # {last_name}: of the counsellor's first seeker (the search finds someone in both portfolios).
    ("portfolio search, by alerts", "coaching:portfolio", "?q={last_name}&sort=alerts"),
    ("seeker", "coaching:seeker", ""),
    ("export", "coaching:portfolio_csv", ""),
    # The yardstick (bench/baseline_urls.py): the same seekers listed plainly, same layout.
    ("baseline", "bench_baseline", ""),
]


def setup(database_url):
    seed_scale.setup_django(database_url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.utils import OperationalError

    # The production URLconf plus the baseline page, never served by the site itself.
    settings.ROOT_URLCONF = "baseline_urls"
    # As in production: the session comes from the cache, not from a query per request.
    # Set before the application loads: its session middleware reads it once.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # The application as gunicorn loads it (tremplin/wsgi.py tunes the garbage collector).
    import tremplin.wsgi  # noqa: F401

    try:
        # Migrations added since the seeding (a new module type's tables stay empty).
        call_command("migrate", verbosity=0)
    except OperationalError as error:
        raise SystemExit(f"{database_url}: {error}\nRun bench/seed_scale.py first.") from error
    if not seed_scale.is_seeded():
        raise SystemExit(f"{database_url} is not seeded: run bench/seed_scale.py first.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM courses_lessonprogress")
        return cursor.fetchone()[0]


def client_for(email):
    from django.test import Client

    from accounts.models import User

    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    return user, client


def urls_for(counsellor):
    """{name: url} of the pages, the seeker page for the counsellor's first seeker."""
    from django.urls import reverse

    from accounts.models import SeekerProfile

    seeker_id, last_name = (
        SeekerProfile.objects.filter(counsellor=counsellor)
        .order_by("user_id")
        .values_list("user_id", "user__last_name")[0]
    )
    urls = {}
    for name, url_name, query in PAGES:
        kwargs = {"seeker_id": seeker_id} if url_name == "coaching:seeker" else {}
        urls[name] = reverse(url_name, kwargs=kwargs) + query.format(last_name=quote(last_name[:4]))
    return urls


def get(client, url):
    """(response, body bytes): a GET, with a streamed body read to the end."""
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return response, body


def served_get(application, cookie, url, headers=None):
    """One GET through the WSGI application as gunicorn makes it, with `headers`
    ({"If-None-Match": …}) beside the session cookie: (seconds to the last byte of the
    body, CPU seconds of this process including `close()`, status, body, {header: value}).

    The server writes the body as the application yields it, then calls `close()`,
    where Django sends `request_finished` (tremplin/gc_tuning.py collects the garbage
    of the page there): the client has the whole page by then, so the wall time stops
    at the last byte; the CPU time counts the `close()` as well.
    """
    path, _, query = url.partition("?")
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "HTTP_COOKIE": cookie}
    for name, value in (headers or {}).items():
        environ[f"HTTP_{name.upper().replace('-', '_')}"] = value
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split(None, 1)[0])
        answer["headers"] = dict(response_headers)

    started, cpu = time.perf_counter(), time.process_time()
    iterable = application(environ, start_response)
    try:
        body = b"".join(iterable)
        served = time.perf_counter() - started
    finally:
        if hasattr(iterable, "close"):
            iterable.close()
    return served, time.process_time() - cpu, answer["status"], body, answer["headers"]


def session_cookie(client):
    """The Cookie header of `client`'s session (logged in with force_login)."""
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def captured(client, url):
    """(status, queries [{sql, time}], body) of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response, body = get(client, url)
    return response.status_code, context.captured_queries, body


def query_label(sql):
    """ "SELECT accounts_seekerprofile", "UPDATE …": what a query reads or writes (the
    table of its outermost FROM, not of a subquery)."""
    verb = sql.split(None, 1)[0].upper()
    depth = 0
    for match in re.finditer(r'[()]|\b(?:FROM|UPDATE|INTO)\s+"([^"]+)"', sql):
        token = match.group(0)
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif depth == 0:
            return f"{verb} {match.group(1)}"
    return f"{verb} ?"


def percentile(values, fraction):
    """Linear interpolation between the closest ranks (as numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def explain(queries, top):
    from django.db import connection

    slowest = sorted(queries, key=lambda query: float(query["time"]), reverse=True)[:top]
    with connection.cursor() as cursor:
        for query in slowest:
            sql = query["sql"]
            print(f"\n--- {float(query['time']) * 1000:.1f} ms: {sql[:300]}{'…' if len(sql) > 300 else ''}")
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            print("\n".join(row[0] for row in cursor.fetchall()))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=seed_scale.DEFAULT_DATABASE_URL)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--warm-up", type=int, default=5)
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE the slowest queries of each page"
    )
    parser.add_argument("--explain-top", type=int, default=3)
    options = parser.parse_args()

    progress_rows = setup(options.database_url)
    from accounts.models import SeekerProfile, User

    print(
        f"Database {options.database_url.rsplit('/', 1)[-1]}: {User.objects.count():,} users, "
        f"{progress_rows:,} lesson progress rows",
        flush=True,
    )
    big_user, big = client_for(seed_scale.COUNSELLOR_EMAIL.format(0))
    small_user, small = client_for(seed_scale.COUNSELLOR_EMAIL.format(1))
    sizes = {user: SeekerProfile.objects.filter(counsellor=user).count() for user in (big_user, small_user)}
    big_urls, small_urls = urls_for(big_user), urls_for(small_user)

    # Queries of one request (after a first one that fills the caches), both portfolios.
    statuses, queries, small_queries, sizes_kb, labels = {}, {}, {}, {}, {}
    for name, url in big_urls.items():
        get(big, url)
        status, captured_queries, body = captured(big, url)
        statuses[name] = status
        queries[name] = captured_queries
        sizes_kb[name] = len(body) / 1000
        counts = {}
        for query in captured_queries:
            label = query_label(query["sql"])
            counts[label] = counts.get(label, 0) + 1
        labels[name] = counts
        get(small, small_urls[name])
        small_status, small_captured, _body = captured(small, small_urls[name])
        small_queries[name] = len(small_captured) if small_status == 200 else None
    available = [name for name in big_urls if statuses[name] == 200]
    for name in big_urls:
        if statuses[name] != 200:
            print(f"{name}: {big_urls[name]} answers {statuses[name]}: not measured", flush=True)

    # Timings: warm-up, then the pages take turns.
    times = {name: [] for name in available}
    cpu_times = {name: [] for name in available}
    load_before = os.getloadavg()[0]
    from tremplin.wsgi import application

    cookie = session_cookie(big)
    for _ in range(options.warm_up):
        for name in available:
            served_get(application, cookie, big_urls[name])
    for _ in range(options.iterations):
        for name in available:
            elapsed, cpu, status, _body, _headers = served_get(application, cookie, big_urls[name])
            if status != 200:
                raise SystemExit(f"{name}: {big_urls[name]} answered {status}")
            times[name].append(elapsed * 1000)
            cpu_times[name].append(cpu * 1000)
    load_after = os.getloadavg()[0]

    print(
        f"\n{options.iterations} requests per page after {options.warm_up} of warm-up; counsellor with "
        f"{sizes[big_user]} seekers (queries also for the one with {sizes[small_user]}); "
        f"load average {load_before:.1f} before, {load_after:.1f} after ({os.cpu_count()} cores); "
        f"Python {platform.python_version()} ({sys.executable} -> {os.path.realpath(sys.executable)})\n"
    )
    header = (
        f"{'page':<38} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU ms':>7} {'SQL ms':>7} "
        f"{'queries':>8} {'(10 seekers)':>13} {'KB':>7}"
    )
    print(header)
    print("-" * len(header))
    results = {}
    for name in big_urls:
        if name not in times:
            print(f"{name:<38} {'n/a':>8} {'n/a':>8}  (answers {statuses[name]})")
            continue
        values = times[name]
        p50, p95 = statistics.median(values), percentile(values, 0.95)
        sql_ms = sum(float(query["time"]) for query in queries[name]) * 1000
        small_count = small_queries[name] if small_queries[name] is not None else "n/a"
        cpu = statistics.median(cpu_times[name])
        results[name] = (p50, p95, len(queries[name]), cpu)
        print(
            f"{name:<38} {p50:>8.1f} {p95:>8.1f} {max(values):>8.1f} {cpu:>7.1f} {sql_ms:>7.1f} "
            f"{len(queries[name]):>8} {small_count:>13} {sizes_kb[name]:>7.1f}"
        )
    print("\nQueries of one request (what they read):")
    for name in available:
        listed = ", ".join(
            f"{label} ×{count}" if count > 1 else label for label, count in labels[name].items()
        )
        print(f"  {name}: {listed}")
    growing = [
        name
        for name in available
        if small_queries[name] is not None and len(queries[name]) > small_queries[name]
    ]
    if growing:
        print(f"\nThe query count grows with the portfolio: {', '.join(growing)}")

    if options.explain:
        for name in available:
            print(f"\n===== {name}: {big_urls[name]}")
            explain(queries[name], options.explain_top)

    portfolio = [
        results[name]
        for name, url_name, _query in PAGES
        if url_name == "coaching:portfolio" and name in results
    ]
    portfolio_p95 = f"{max(p95 for _p50, p95, _count, _cpu in portfolio):.1f}" if portfolio else "n/a"
    portfolio_queries = max(count for _p50, _p95, count, _cpu in portfolio) if portfolio else "n/a"
    seeker_p95 = f"{results['seeker'][1]:.1f}" if "seeker" in results else "n/a"
    export_p95 = f"{results['export'][1]:.1f}" if "export" in results else "n/a"
    ratio = cpu_ratio = "n/a"
    if portfolio and "baseline" in results:
        _p50, baseline_p95, _count, baseline_cpu = results["baseline"]
        ratio = f"{max(p95 for _p50, p95, _count, _cpu in portfolio) / baseline_p95:.2f}"
        cpu_ratio = f"{max(cpu for _p50, _p95, _count, cpu in portfolio) / baseline_cpu:.2f}"
    print(
        f"\nportfolio_p95_ms={portfolio_p95} portfolio_queries={portfolio_queries} "
        f"seeker_p95_ms={seeker_p95} export_p95_ms={export_p95} portfolio_cpu_ratio={cpu_ratio} "
        f"portfolio_ratio={ratio}"
    )


if __name__ == "__main__":
    main()
