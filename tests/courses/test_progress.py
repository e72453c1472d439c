"""Lessons get done by hand, by a passed quiz or by watching the video; percentages
per week and per course; "resume where I left off"; the module-status interface."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activity.models import ActivityEntry
from core.modules import ModuleStatus
from courses.models import CompletedBy, CoursePage, Enrolment, LessonPage, LessonProgress
from courses.outline import CourseOutline
from tests.factories import SeekerFactory
from tests.factories import courses as build
from tests.factories.courses import QUIZ_RIGHT

START = datetime.datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def enrolled(client, course, seeker):
    client.force_login(seeker)
    with time_machine.travel(START, tick=False):
        client.post(course.url + "inscription/")
    return Enrolment.objects.get(seeker=seeker, course=course)


def pass_quiz(client, lesson):
    quiz_id = build.quiz_id(lesson)
    data = {f"quiz-{quiz_id}-{question}": values for question, values in QUIZ_RIGHT.items()}
    return client.post(f"{lesson.url}quiz/{quiz_id}/", data)


@pytest.mark.django_db
def test_marking_a_lesson_done_moves_on_and_counts_in_the_percentages(client, course, seeker, enrolled):
    lessons = build.lessons_of(course)
    response = client.post(f"{lessons[0].url}terminee/")
    assert response.url == lessons[1].url

    outline = CourseOutline(course, seeker)
    assert [week.percent for week in outline.weeks] == [50, 0, 0, 0]
    assert outline.percent == 12  # 1 of 8 required lessons
    assert LessonProgress.objects.get(seeker=seeker, lesson=lessons[0]).completed_by == CompletedBy.SEEKER

    pass_quiz(client, lessons[1])
    outline = CourseOutline(course, seeker)
    assert [week.percent for week in outline.weeks] == [100, 0, 0, 0]
    assert outline.percent == 25
    assert ActivityEntry.objects.filter(seeker=seeker, verb="course.lesson_done").count() == 2


@pytest.mark.django_db
def test_optional_lessons_do_not_count(client, course, seeker, enrolled):
    first = build.lessons_of(course)[0]
    LessonPage.objects.filter(pk=first.pk).update(required=False)
    client.post(f"{first.url}terminee/")
    assert CourseOutline(course, seeker).percent == 0


@pytest.mark.django_db
def test_a_video_watched_to_90_percent_completes_the_lesson(client, course, seeker, enrolled):
    lesson = build.lessons_of(course)[0]
    assert client.post(f"{lesson.url}video/", {"percent": "50"}).json() == {"percent": 50, "done": False}
    assert client.post(f"{lesson.url}video/", {"percent": "25"}).json()["percent"] == 50  # only grows
    assert client.post(f"{lesson.url}video/", {"percent": "90"}).json() == {"percent": 90, "done": True}
    progress = LessonProgress.objects.get(seeker=seeker, lesson=lesson)
    assert progress.completed_by == CompletedBy.VIDEO
    assert client.post(f"{lesson.url}video/", {"percent": "beaucoup"}).status_code == 400


@pytest.mark.django_db
def test_a_video_does_not_complete_a_lesson_with_a_quiz(client, course, seeker, enrolled):
    lesson = build.lessons_of(course)[1]
    assert client.post(f"{lesson.url}video/", {"percent": "100"}).json()["done"] is False


@pytest.mark.django_db
def test_resume_where_i_left_off(client, course, seeker, enrolled):
    lessons = build.lessons_of(course)
    html = client.get(course.url).content.decode()
    assert f'href="{lessons[0].url}"' in html
    client.get(lessons[1].url)
    assert CourseOutline(course, seeker).resume() == lessons[1]
    assert "Reprendre là où je me suis arrêté" in client.get(course.url).content.decode()


@pytest.mark.django_db
def test_the_progress_page_shows_each_course_and_week(client, course, catalogue, seeker, enrolled):
    other = build.course(catalogue, "Mon CV", weeks=2)
    with time_machine.travel(START, tick=False):
        client.post(other.url + "inscription/")
        client.post(f"{build.lessons_of(course)[0].url}terminee/")
        html = client.get("/mes-formations/").content.decode()
    assert "Réussir son entretien" in html and "Mon CV" in html
    assert "50 % fait" in html
    assert "Ouvre le lundi 9 mars" in html


@pytest.mark.django_db
def test_completing_every_lesson_completes_the_course_once(client, course, seeker, enrolled):
    with time_machine.travel(START + datetime.timedelta(days=22), tick=False):
        for lesson in build.lessons_of(course):
            if lesson.has_quiz:
                pass_quiz(client, lesson)
            else:
                client.post(f"{lesson.url}terminee/")
    enrolled.refresh_from_db()
    assert enrolled.completed_at is not None
    assert ActivityEntry.objects.filter(seeker=seeker, verb="course.completed").count() == 1
    assert CourseOutline(course, seeker).percent == 100


@pytest.mark.django_db
def test_module_status_for_one_seeker_and_for_many_in_one_query(client, course, catalogue, seeker, enrolled):
    other_course = build.course(catalogue, "Autre MOOC", weeks=1)
    idle, finished, stranger = SeekerFactory(), SeekerFactory(), SeekerFactory()
    Enrolment.objects.enrol(idle, course)
    lessons = build.lessons_of(course)
    client.post(f"{lessons[0].url}terminee/")
    Enrolment.objects.enrol(finished, other_course)
    Enrolment.objects.filter(seeker=finished).update(completed_at=START)

    assert course.progress_for(seeker).status == ModuleStatus.IN_PROGRESS
    assert course.progress_for(seeker).percent == 12
    assert course.progress_for(idle).status == ModuleStatus.NOT_STARTED
    assert course.progress_for(stranger).status == ModuleStatus.NOT_STARTED

    pairs = [(s.pk, c.pk) for s in (seeker, idle, finished, stranger) for c in (course, other_course)]
    with CaptureQueriesContext(connection) as queries:
        found = CoursePage.progress_for_many(pairs)
    assert len(queries) == 1
    assert found[(seeker.pk, course.pk)].status == ModuleStatus.IN_PROGRESS
    assert found[(finished.pk, other_course.pk)].status == ModuleStatus.COMPLETED
    assert found[(finished.pk, other_course.pk)].percent == 100
    assert (stranger.pk, course.pk) not in found
