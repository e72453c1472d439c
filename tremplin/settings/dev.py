"""Development: `make run` on a laptop. Never used by a server (wsgi.py defaults to production)."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import WHISPER_BASE_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-8d2f0c1b6e4a4f7f9a3c")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
DEMO_CONTENT_ALLOWED = True

# Serve static files straight from the apps' folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405

# Speech to text with Whisper "base", assembled under var/ by `make run` / `make test`.
TRANSCRIPTION_MODEL_DIR = env("TRANSCRIPTION_MODEL_DIR", default=str(WHISPER_BASE_DIR))
