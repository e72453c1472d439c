"""Settings of bench/interviews.py's gunicorn, worker and own process (never a server's):
the production settings with the benchmark's URLconf (bench/baseline_urls.py, which holds
the plain-POST yardstick) and static files served by name (no collectstatic needed for
the session page's `{% static %}`)."""

from tremplin.settings.production import *  # noqa: F403
from tremplin.settings.production import STORAGES

ROOT_URLCONF = "baseline_urls"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
