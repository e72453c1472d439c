"""'Vérifier mon matériel': who reaches it, and the upload-speed endpoint."""

import pytest
from django.test import Client
from django.urls import reverse

from core import device_check, throttle

PAGE = "device_check"
SPEED = "device_upload_speed"
ROLES = ["seeker", "counsellor", "manager", "editor"]


@pytest.fixture(autouse=True)
def _fresh_counters(queues):
    throttle.forget_all()
    yield
    throttle.forget_all()


def sample(size=device_check.SAMPLE_BYTES):
    return bytes(range(256)) * (size // 256)


@pytest.mark.django_db
@pytest.mark.parametrize("name", [PAGE, SPEED])
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    response = client.post(reverse(name), sample(), content_type="application/octet-stream")
    if name == PAGE:
        response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_everyone_signed_in_may_check_their_equipment(client, role, request):
    client.force_login(request.getfixturevalue(role))
    page = client.get(reverse(PAGE))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert 'data-speed-url="/verifier-mon-materiel/debit/"' in page.content.decode()

    response = client.post(reverse(SPEED), sample(), content_type="application/octet-stream")
    assert response.status_code == 200
    assert response.json() == {"received": device_check.SAMPLE_BYTES}
    assert client.get(reverse(SPEED)).status_code == 405


@pytest.mark.django_db
def test_the_speed_check_needs_the_csrf_token(seeker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(seeker)
    response = client.post(reverse(SPEED), sample(), content_type="application/octet-stream")
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_speed_check_is_throttled_per_user(client, seeker, other_seeker):
    client.force_login(seeker)
    for _ in range(device_check.CHECKS_PER_HOUR):
        assert client.post(reverse(SPEED), b"x", content_type="application/octet-stream").status_code == 200
    refused = client.post(reverse(SPEED), b"x", content_type="application/octet-stream")
    assert refused.status_code == 429
    assert refused.json()["error"] == "Trop de vérifications : réessayez dans une heure."
    client.force_login(other_seeker)
    assert client.post(reverse(SPEED), b"x", content_type="application/octet-stream").status_code == 200


@pytest.mark.django_db
def test_a_body_larger_than_the_request_limit_is_refused(client, seeker, settings):
    client.force_login(seeker)
    too_big = sample(settings.REQUEST_MAX_BODY_BYTES + 256)
    response = client.post(reverse(SPEED), too_big, content_type="application/octet-stream")
    assert response.status_code == 413
