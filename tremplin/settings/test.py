"""Tests: `make test` and CI.

DATABASE_URL and REDIS_URL come from the environment (PostgreSQL and the machine's Redis
in CI). Without REDIS_URL, tests/conftest.py starts an embedded Redis: jobs always talk
to a real server, never to a fake.
"""

from pathlib import Path

from .base import *  # noqa: F403
from .base import RQ_QUEUES, env

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

AXES_FAILURE_LIMIT = 3
# The e-mail counters live in Redis across tests: tests about them set their own limits.
EMAIL_THROTTLE_PER_ADDRESS = 1000
EMAIL_THROTTLE_PER_CLIENT = 1000
WAGTAILADMIN_BASE_URL = "http://testserver"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-uploads"))  # noqa: F405
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-private"))  # noqa: F405
DEMO_CONTENT_ALLOWED = True

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405

# A file, not SQLite's in-memory default: tests that start a real worker process (the
# media pipeline) share the test database with it. PostgreSQL needs nothing.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}  # noqa: F405
MEDIA_PROCESSING = {**MEDIA_PROCESSING, "WORK_DIR": str(BASE_DIR / "var" / "test-media-jobs")}  # noqa: F405
