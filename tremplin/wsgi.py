"""WSGI entry point. Defaults to production settings: a server never runs dev settings by accident."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings.production")

application = get_wsgi_application()

# The garbage collector tuned for serving requests: see tremplin/gc_tuning.py.
from tremplin import gc_tuning  # noqa: E402 - after Django is set up

gc_tuning.configure()
