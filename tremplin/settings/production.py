"""Production: gunicorn behind a reverse proxy (see site/), PostgreSQL, Redis, RQ workers.

Everything secret or machine-specific comes from the environment; `manage.py check
--deploy` passes with no warning.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env

DEBUG = False
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("Set ALLOWED_HOSTS in the environment.")
# No silent fall-back to the development defaults (SQLite, embedded Redis, console
# e-mail) on a server: each of these must be set.
for _name in (
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_URL",
    "EMAIL_URL",
    "WAGTAILADMIN_BASE_URL",
    "DEFAULT_FROM_EMAIL",
):
    if not env(_name, default=""):
        raise ImproperlyConfigured(f"Set {_name} in the environment.")

# The reverse proxy terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Exempted from the redirect: the load balancer's health probe talks plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Static files: compressed, with hashed names, served by whitenoise.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}

# Private files are sent by nginx after Django's permission check: this must be the
# `internal` location aliased to PRIVATE_MEDIA_ROOT (site/nginx.conf.example).
PRIVATE_MEDIA_ACCEL_REDIRECT = env("PRIVATE_MEDIA_ACCEL_REDIRECT", default="/_private/")
if not (PRIVATE_MEDIA_ACCEL_REDIRECT.startswith("/") and PRIVATE_MEDIA_ACCEL_REDIRECT.endswith("/")):
    raise ImproperlyConfigured("PRIVATE_MEDIA_ACCEL_REDIRECT must start and end with '/'.")

# The cache gets its own Redis database (or server): evicting cache keys under memory
# pressure, or clearing the cache, must never touch the job queues.
CACHES = {"default": env.cache("CACHE_URL")}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# One reverse proxy (nginx) in front of gunicorn unless told otherwise: login
# throttling counts the client's address, never the proxy's.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
