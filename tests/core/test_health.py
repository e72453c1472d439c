import pytest
from django.test import override_settings


@pytest.mark.django_db
def test_health_reports_ok_when_database_and_redis_are_up(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_health_is_503_when_redis_is_unreachable(client):
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "redis": "down"}


@pytest.mark.django_db
def test_health_is_not_translated_or_prefixed(client):
    assert client.get("/en/health/").status_code == 404
