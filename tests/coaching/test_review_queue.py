"""The review queue: the work of the visible seekers waiting for review, oldest first,
read from every module type through the module-status interface.

No module type has reviews yet (e-ateliers come next), so the tests make the MOOCs
pretend they have some."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.modules import ReviewItem
from courses.models import CoursePage
from tests.factories import CounsellorFactory, SeekerFactory
from tests.factories import courses as build

URL = reverse("coaching:review_queue")


@pytest.fixture
def course(home_page):
    return build.course(build.catalogue(home_page), "Réussir son entretien", weeks=1)


@pytest.fixture
def fake_reviews(monkeypatch):
    """Make CoursePage answer `waiting_for_review` with the items put in the returned
    list (for the seekers it is asked about); records the seeker ids it was asked for."""
    items, calls = [], []

    def waiting_for_review(cls, seeker_ids):
        calls.append(set(seeker_ids))
        return [item for item in items if item.seeker_id in set(seeker_ids)]

    monkeypatch.setattr(CoursePage, "waiting_for_review", classmethod(waiting_for_review))
    return items, calls


def item(seeker, course, days_ago, title="CV"):
    return ReviewItem(
        seeker_id=seeker.pk,
        module=course,
        title=title,
        submitted_at=timezone.now() - datetime.timedelta(days=days_ago, hours=1),
        url=f"/relire/{seeker.pk}/{title}/",
    )


@pytest.mark.django_db
def test_queue_lists_the_visible_seekers_work_oldest_first(
    client, counsellor, seeker, other_seeker, course, fake_reviews
):
    items, calls = fake_reviews
    second = SeekerFactory(counsellor=counsellor, first_name="Zoé", last_name="Martin")
    items += [
        item(seeker, course, 1, "Lettre de motivation"),
        item(second, course, 8, "CV"),
        item(seeker, course, 3, "CV"),
        item(other_seeker, course, 30, "Secret"),
    ]
    client.force_login(counsellor)

    response = client.get(URL)

    assert response.status_code == 200
    assert calls == [{seeker.pk, second.pk}]  # only the visible seekers were asked for
    entries = response.context["entries"]
    assert [(entry.seeker.pk, entry.item.title) for entry in entries] == [
        (second.pk, "CV"),
        (seeker.pk, "CV"),
        (seeker.pk, "Lettre de motivation"),
    ]
    assert [entry.waiting_days for entry in entries] == [8, 3, 1]
    content = response.content.decode()
    assert reverse("coaching:seeker", args=[second.pk]) in content
    assert reverse("coaching:seeker", args=[seeker.pk]) in content
    assert f'href="/relire/{second.pk}/CV/"' in content
    assert "Zoé Martin" in content
    assert "Réussir son entretien" in content
    assert "Secret" not in content
    assert other_seeker.get_full_name() not in content


@pytest.mark.django_db
def test_queue_never_shows_work_of_seekers_out_of_reach(
    client, counsellor, seeker, other_seeker, course, monkeypatch
):
    """Even should a module type answer for seekers it was not asked about."""
    leaked = item(other_seeker, course, 2)
    monkeypatch.setattr(CoursePage, "waiting_for_review", classmethod(lambda cls, seeker_ids: [leaked]))
    client.force_login(counsellor)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["entries"] == []
    assert leaked.url not in response.content.decode()


@pytest.mark.django_db
def test_manager_sees_their_teams_queue(client, manager, counsellor, seeker, course, fake_reviews):
    items, calls = fake_reviews
    elsewhere = SeekerFactory(counsellor=CounsellorFactory())
    items += [item(seeker, course, 2), item(elsewhere, course, 5)]
    client.force_login(manager)

    response = client.get(URL)

    assert response.status_code == 200
    assert [entry.seeker.pk for entry in response.context["entries"]] == [seeker.pk]
    assert calls == [{seeker.pk}]


@pytest.mark.django_db
def test_empty_queue(client, counsellor, seeker):
    client.force_login(counsellor)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["entries"] == []
    assert "<table" not in response.content.decode()


@pytest.mark.django_db
def test_queue_is_for_staff_only(client, seeker):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))

    client.force_login(seeker)
    assert client.get(URL).status_code == 403
