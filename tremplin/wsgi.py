"""WSGI entry point. Defaults to production settings: a server never runs dev settings by accident."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings.production")

application = get_wsgi_application()

# Import every view now (the URLconf imports them) rather than on the first request, then
# put what is loaded (Django, Wagtail, every app: some 250,000 objects that live as long
# as the process) out of the garbage collector's reach: a full collection then scans only
# what requests leave behind. Without this, one request in a few paid about 100 ms for
# it on a full portfolio (bench/portfolio.py).
get_resolver().url_patterns  # noqa: B018 - loading it is the point
gc.freeze()
# A page of 250 rows makes tens of thousands of short-lived objects: collecting the
# youngest generation every 10,000 allocations rather than 700 lets most of them die
# before they are promoted, so full collections come less often (portfolio p95
# 94-95 -> 87-92 ms).
gc.set_threshold(10_000, 10, 10)
