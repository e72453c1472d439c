import pytest

from activity.models import ActivityEntry


@pytest.mark.django_db
def test_a_seeker_edits_their_name(client, seeker):
    client.force_login(seeker)
    response = client.post("/compte/", {"first_name": "Karima", "last_name": "Benali"})
    assert response["Location"] == "/compte/"
    seeker.refresh_from_db()
    assert seeker.first_name == "Karima"


@pytest.mark.django_db
def test_a_seeker_volunteers_then_returns_to_traditional_follow_up(client, seeker, counsellor):
    client.force_login(seeker)
    client.post("/compte/suivi-100-web/", {"action": "volunteer"})
    profile = seeker.seeker_profile
    profile.refresh_from_db()
    assert profile.web_volunteered_at is not None

    profile.validate_web(counsellor)
    page = client.get("/compte/").content.decode()
    assert "Revenir à un accompagnement classique" in page

    client.post("/compte/suivi-100-web/", {"action": "withdraw"})
    profile.refresh_from_db()
    assert not profile.is_web
    assert profile.web_volunteered_at is None
    assert list(ActivityEntry.objects.order_by("pk").values_list("verb", "actor_id")) == [
        ("web.volunteered", seeker.pk),
        ("web.validated", counsellor.pk),
        ("web.withdrawn", seeker.pk),
    ]


@pytest.mark.django_db
def test_the_follow_up_change_needs_a_post_with_csrf(seeker):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(seeker)
    assert client.get("/compte/suivi-100-web/").status_code == 405
    assert client.post("/compte/suivi-100-web/", {"action": "volunteer"}).status_code == 403
