""" "Mon parcours": the seeker's assignments, courses, next step and requests."""

import datetime

import pytest
from django.utils import timezone

from activity.models import ActivityEntry
from coaching import assigning
from coaching.models import SeekerRequest
from courses.models import LessonProgress
from tests.factories import courses as build


@pytest.mark.django_db
def test_the_seeker_sees_their_assignment_with_its_due_date_status_and_message(
    client, counsellor, seeker, mooc, queues
):
    due = timezone.localdate() + datetime.timedelta(days=7)
    assigning.assign(mooc, [seeker], by=counsellor, due_date=due, message="Bon courage <b>!</b>")
    client.force_login(seeker)
    html = client.get("/mon-parcours/").content.decode()
    assert "Réussir son CV" in html
    assert f'datetime="{due.isoformat()}"' in html
    assert "Bon courage &lt;b&gt;!&lt;/b&gt;" in html
    assert f'href="{mooc.url}"' in html  # the next step

    LessonProgress.objects.create(seeker=seeker, lesson=build.lessons_of(mooc)[0], course=mooc)
    response = client.get("/mon-parcours/")
    assert response.context["assignments"][0].status == "in_progress"
    assert response.context["modules"][0].module == mooc


@pytest.mark.django_db
def test_the_seeker_can_ask_to_return_to_traditional_follow_up_at_any_time(client, counsellor, seeker):
    seeker.seeker_profile.validate_web(counsellor)
    client.force_login(seeker)
    client.post("/mon-parcours/demande/", {"kind": "traditional", "message": "Je préfère venir en agence."})
    seeker.seeker_profile.refresh_from_db()
    assert not seeker.seeker_profile.is_web
    assert SeekerRequest.objects.get(seeker=seeker).handled_at is None
    verbs = set(ActivityEntry.objects.filter(seeker=seeker).values_list("verb", flat=True))
    assert {"web.withdrawn", "request.traditional"} <= verbs


@pytest.mark.django_db
def test_an_in_person_interview_request_waits_for_the_counsellor(client, seeker):
    client.force_login(seeker)
    client.post("/mon-parcours/demande/", {"kind": "in_person"})
    client.post("/mon-parcours/demande/", {"kind": "nonsense"})
    assert list(SeekerRequest.objects.values_list("kind", flat=True)) == ["in_person"]
    assert "in_person" in [r.kind for r in client.get("/mon-parcours/").context["open_requests"]]
