"""Benchmarks only (bench/pages.py): the production settings with a minimal middleware stack.

Never a server's settings: no CSP, CSRF, clickjacking, HSTS or log-in throttling. It
is the yardstick for what Tremplin's own middleware costs per request: the same
pages, templates, context processors, cache and database, with only what a page
needs to know who is asking (sessions and authentication).
"""

from .production import *  # noqa: F403

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
