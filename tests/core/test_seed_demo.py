import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Site

from accounts.models import Modality, Role, User
from core.models import HomePage

DEMO_LOGINS = {
    "demandeur@tremplin.test": Role.SEEKER,
    "conseillere@tremplin.test": Role.COUNSELLOR,
    "editrice@tremplin.test": Role.EDITOR,
    "responsable@tremplin.test": Role.MANAGER,
    "admin@tremplin.test": Role.ADMIN,
}


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_builds_the_site_and_the_demo_accounts_prints_them_and_restores_them():
    """One seeding for both (a seeding takes most of a minute): what it builds, then that
    running it again restores the demo without adding anything."""
    output = seed()

    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    for email, role in DEMO_LOGINS.items():
        user = User.objects.get(email=email)
        assert user.role == role
        assert user.check_password("tremplin-demo")
        assert email in output
    assert "tremplin-demo" in output

    seeker = User.objects.get(email="demandeur@tremplin.test").seeker_profile
    assert seeker.modality == Modality.GUIDE
    assert seeker.is_web
    assert seeker.counsellor.email == "conseillere@tremplin.test"
    assert seeker.web_validated_by == seeker.counsellor
    manager = User.objects.get(email="responsable@tremplin.test")
    assert seeker.counsellor.counsellor_profile.team.manager == manager

    counts = (User.objects.count(), HomePage.objects.count(), Site.objects.count())
    User.objects.filter(email="demandeur@tremplin.test").update(first_name="Changé")
    seed()
    assert (User.objects.count(), HomePage.objects.count(), Site.objects.count()) == counts
    assert User.objects.get(email="demandeur@tremplin.test").first_name == "Karim"


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
