"""Tests: `make test` and CI.

DATABASE_URL and REDIS_URL come from the environment (PostgreSQL and the machine's Redis
in CI). Without REDIS_URL, tests/conftest.py starts an embedded Redis: jobs always talk
to a real server, never to a fake.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from .base import *  # noqa: F403
from .base import REDIS_URL, RQ_QUEUES, WHISPER_BASE_DIR, env

# pytest-xdist runs the suite in worker processes "gw0", "gw1"…: each gets its own Redis
# database, folders and SQLite file (pytest-django already gives each its own PostgreSQL
# test database), so that no test sees another's queues, throttle counters or files.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
WORKER_INDEX = int(XDIST_WORKER[2:]) if XDIST_WORKER.startswith("gw") else 0
WORKER_SUFFIX = f"-{XDIST_WORKER}" if XDIST_WORKER else ""


def _redis_database(url, index):
    """`url` with its database number moved down by `index` (15 → 14 …, modulo 16)."""
    if not index:
        return url
    parts = urlsplit(url)
    if parts.scheme == "unix":  # unix:///path?db=N (urlunsplit would drop the "//")
        query = dict(parse_qsl(parts.query))
        query["db"] = (int(query.get("db", 0)) - index) % 16
        return f"{url.split('?', 1)[0]}?{urlencode(query)}"
    return parts._replace(path=f"/{(int(parts.path.strip('/') or 0) - index) % 16}").geturl()


# Processes the tests start (a real RQ worker) inherit PYTEST_XDIST_WORKER and REDIS_URL,
# and so find the same database.
REDIS_URL = _redis_database(REDIS_URL, WORKER_INDEX)

DEBUG = False
SECRET_KEY = "test-only-not-secret-5b7e2a9c0d4f4e1a8c6b"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Tests run jobs on demand (with a real worker where the test is about the job); a
# short default timeout keeps a broken job from stalling the suite.
for _queue in RQ_QUEUES.values():
    _queue["DEFAULT_TIMEOUT"] = 120
    _queue["URL"] = REDIS_URL

AXES_FAILURE_LIMIT = 3
# The e-mail counters live in Redis across tests: tests about them set their own limits.
EMAIL_THROTTLE_PER_ADDRESS = 1000
EMAIL_THROTTLE_PER_CLIENT = 1000
WAGTAILADMIN_BASE_URL = "http://testserver"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / f"test-uploads{WORKER_SUFFIX}"))  # noqa: F405
PRIVATE_MEDIA_ROOT = env(
    "PRIVATE_MEDIA_ROOT",
    default=str(BASE_DIR / "var" / f"test-private{WORKER_SUFFIX}"),  # noqa: F405
)
DEMO_CONTENT_ALLOWED = True

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405

# A file, not SQLite's in-memory default: tests that start a real worker process (the
# media pipeline) share the test database with it. PostgreSQL needs nothing.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-db{WORKER_SUFFIX}.sqlite3")}  # noqa: F405
MEDIA_PROCESSING = {**MEDIA_PROCESSING, "WORK_DIR": str(BASE_DIR / "var" / f"test-media-jobs{WORKER_SUFFIX}")}  # noqa: F405
RESUMABLE_UPLOAD_DIR = str(BASE_DIR / "var" / f"test-resumable-uploads{WORKER_SUFFIX}")  # noqa: F405

# Speech to text with Whisper "base", assembled under var/ by `make run` / `make test`.
TRANSCRIPTION_MODEL_DIR = env("TRANSCRIPTION_MODEL_DIR", default=str(WHISPER_BASE_DIR))
