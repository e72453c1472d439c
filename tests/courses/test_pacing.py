"""Weeks open 7 days apart, from the enrolment or from the session's start, at
midnight in Paris; a locked week's lessons are refused, by URL too."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courses.models import Enrolment, Pacing
from courses.pacing import week_opening
from tests.factories import courses as build

PARIS = ZoneInfo("Europe/Paris")


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def test_self_paced_weeks_open_every_seven_days_from_the_day_of_enrolment_in_paris():
    # 23:30 UTC on 1 March is already 2 March in Paris: week 1 opened that day.
    enrolled = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    assert week_opening(1, enrolled_at=enrolled) == paris(2026, 3, 2)
    assert week_opening(2, enrolled_at=enrolled) == paris(2026, 3, 9)
    assert week_opening(4, enrolled_at=enrolled) == paris(2026, 3, 23)


def test_a_session_opens_weeks_from_its_start_date_whatever_the_enrolment():
    start = datetime.date(2026, 3, 23)  # the week daylight saving time starts on 29 March
    enrolled = paris(2026, 1, 5, 9)
    assert week_opening(1, session_start=start, enrolled_at=enrolled) == paris(2026, 3, 23)
    opening = week_opening(2, session_start=start, enrolled_at=enrolled)
    assert opening == paris(2026, 3, 30)
    assert opening.utcoffset() == datetime.timedelta(hours=2)


def test_nothing_opens_without_an_enrolment_or_a_session():
    assert week_opening(1) is None


def test_weeks_open_at_midnight_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "America/Cayenne"  # UTC−3 all year
    enrolled = datetime.datetime(2026, 3, 2, 2, 30, tzinfo=datetime.UTC)  # still 1 March there
    assert week_opening(2, enrolled_at=enrolled) == datetime.datetime(
        2026, 3, 8, tzinfo=ZoneInfo("America/Cayenne")
    )


@pytest.mark.django_db
def test_self_paced_week_two_is_locked_for_a_week_then_opens(client, course, seeker):
    lessons = build.lessons_of(course)
    client.force_login(seeker)
    with time_machine.travel(paris(2026, 3, 2, 10), tick=False) as traveller:
        client.post(course.url + "inscription/")
        assert client.get(lessons[0].url).status_code == 200

        response = client.get(lessons[2].url)
        assert response.status_code == 403
        assert "lundi 9 mars 2026" in response.content.decode()
        assert "Leçon 2.1" not in response.content.decode().split("</header>")[1].split("<h1>")[0]

        traveller.move_to(paris(2026, 3, 8, 23, 59))
        assert client.get(lessons[2].url).status_code == 403
        traveller.move_to(paris(2026, 3, 9, 0, 0))
        assert client.get(lessons[2].url).status_code == 200
        assert client.get(lessons[4].url).status_code == 403


@pytest.mark.django_db
def test_a_session_keeps_every_week_locked_until_it_starts(client, catalogue, seeker):
    course = build.course(
        catalogue, "Session de mars", weeks=2, pacing=Pacing.SESSION, session_start=datetime.date(2026, 3, 16)
    )
    lessons = build.lessons_of(course)
    client.force_login(seeker)
    with time_machine.travel(paris(2026, 3, 10, 12), tick=False) as traveller:
        client.post(course.url + "inscription/")
        assert client.get(lessons[0].url).status_code == 403
        outline = client.get(course.url).content.decode()
        assert "Ouvre le lundi 16 mars" in outline
        traveller.move_to(paris(2026, 3, 16, 8))
        assert client.get(lessons[0].url).status_code == 200
        assert client.get(lessons[2].url).status_code == 403
        traveller.move_to(paris(2026, 3, 23, 0, 1))
        assert client.get(lessons[2].url).status_code == 200


@pytest.mark.django_db
def test_unenrolling_and_enrolling_again_restarts_self_paced_weeks(client, course, seeker):
    lessons = build.lessons_of(course)
    client.force_login(seeker)
    with time_machine.travel(paris(2026, 3, 2, 10), tick=False) as traveller:
        client.post(course.url + "inscription/")
        traveller.move_to(paris(2026, 3, 20, 10))
        assert client.get(lessons[4].url).status_code == 200
        client.post(course.url + "desinscription/")
        assert not Enrolment.objects.filter(seeker=seeker).exists()
        client.post(course.url + "inscription/")
        assert client.get(lessons[4].url).status_code == 403
