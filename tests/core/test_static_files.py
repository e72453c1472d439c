"""Production settings: whitenoise serves compressed static files with hashed names."""

import json
import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "tremplin.settings.production",
    "SECRET_KEY": "a-long-enough-secret-for-this-check-only-0123456789",
    "ALLOWED_HOSTS": "tremplin.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "CACHE_URL": "locmemcache://",
    "EMAIL_URL": "consolemail://",
    "WAGTAILADMIN_BASE_URL": "https://tremplin.example.org",
    "DEFAULT_FROM_EMAIL": "ne-pas-repondre@tremplin.example.org",
}

# Runs in a child process with production settings: find the stylesheet through the
# manifest, then fetch it through the full middleware stack as a browser would.
FETCH = """
import json
import django
django.setup()
from django.templatetags.static import static
from django.test import Client
url = static("css/tremplin.css")
client = Client(HTTP_HOST="tremplin.example.org", HTTP_ACCEPT_ENCODING="br, gzip")
response = client.get(url, secure=True)
print(json.dumps({
    "url": url,
    "status": response.status_code,
    "encoding": response.get("Content-Encoding"),
    "cache": response.get("Cache-Control"),
}))
"""


def test_collectstatic_compresses_and_hashes_and_whitenoise_serves_it(tmp_path):
    env = dict(
        os.environ,
        **PRODUCTION_ENV,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    run = {"cwd": settings.BASE_DIR, "env": env, "capture_output": True, "text": True, "timeout": 300}
    collected = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], **run)
    assert collected.returncode == 0, collected.stderr

    css = sorted(path.name for path in (tmp_path / "static" / "css").iterdir())
    hashed = [
        name
        for name in css
        if name.startswith("tremplin.") and name.endswith(".css") and name != "tremplin.css"
    ]
    assert len(hashed) == 1
    assert f"{hashed[0]}.gz" in css and f"{hashed[0]}.br" in css

    fetched = subprocess.run([sys.executable, "-c", FETCH], **run)
    assert fetched.returncode == 0, fetched.stderr
    result = json.loads(fetched.stdout.strip().splitlines()[-1])
    assert result["url"] == f"/static/css/{hashed[0]}"
    assert result["status"] == 200
    assert result["encoding"] == "br"
    assert "immutable" in result["cache"]
