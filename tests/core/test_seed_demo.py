"""seed_demo refused with production settings (what it builds: tests/demo/)."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import User


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@override_settings(DEMO_CONTENT_ALLOWED=False)
def test_seed_demo_refuses_to_run_with_production_settings():
    with pytest.raises(CommandError):
        seed()
    assert not User.objects.exists()


def test_seed_demo_refuses_to_run_with_the_real_production_settings(tmp_path):
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="tremplin.settings.production",
        SECRET_KEY="a-long-enough-secret-for-this-check-only-0123456789",
        ALLOWED_HOSTS="tremplin.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:6379/0",
        CACHE_URL="locmemcache://",
        EMAIL_URL="consolemail://",
        WAGTAILADMIN_BASE_URL="https://tremplin.example.org",
        DEFAULT_FROM_EMAIL="ne-pas-repondre@tremplin.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "refuses to run" in result.stderr
