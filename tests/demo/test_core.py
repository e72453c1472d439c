"""seed_demo's site and demo accounts (its refusal with production settings:
tests/core/test_seed_demo.py)."""

import pytest
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


@pytest.mark.django_db
def test_seed_demo_builds_the_site_and_the_demo_accounts_prints_them_and_restores_them(demo):
    """What the first run builds and prints, then that the second run restored the
    renamed seeker without adding anything."""
    output = demo.first_output

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

    # Between the two runs the demo seeker was renamed "Changé" (tests/demo/conftest.py).
    models = (User, HomePage, Site)
    assert {model: model.objects.count() for model in models} == demo.counts_before(*models)
    assert User.objects.get(email="demandeur@tremplin.test").first_name == "Karim"
