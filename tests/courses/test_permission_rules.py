"""The course rules of courses.permissions, one by one: whose progress a page shows,
when a lesson opens to a seeker, who acts on a lesson, who reads the survey report."""

import pytest
from django.contrib.auth.models import AnonymousUser

from courses.models import Enrolment, LessonProgress
from courses.outline import CourseOutline
from courses.permissions import LessonRefusal, can_read_surveys, learner, lesson_refusal
from tests.factories import courses as build


@pytest.mark.django_db
def test_only_a_seekers_progress_is_shown_and_recorded(seeker, counsellor, editor):
    assert learner(seeker) == seeker
    for user in (AnonymousUser(), counsellor, editor):
        assert learner(user) is None


@pytest.mark.django_db
def test_a_lesson_opens_to_an_enrolled_seeker_in_an_open_week(course, seeker):
    lessons = build.lessons_of(course)
    outline = CourseOutline(course, seeker)
    assert lesson_refusal(outline, lessons[0]) is LessonRefusal.NOT_ENROLLED

    Enrolment.objects.enrol(seeker, course)
    outline = CourseOutline(course, seeker)
    assert lesson_refusal(outline, lessons[0]) is None
    assert lesson_refusal(outline, lessons[2]) is LessonRefusal.WEEK_LOCKED


@pytest.mark.django_db
def test_staff_acting_on_a_lesson_are_sent_back_to_it_and_nothing_is_recorded(client, course, counsellor):
    lesson = build.lessons_of(course)[0]
    client.force_login(counsellor)
    for action in ("terminee/", "video/"):
        response = client.post(lesson.url + action, {"percent": 100})
        assert response.status_code == 302 and response.url == lesson.url
        assert client.get(lesson.url + action).status_code == 405
    assert not LessonProgress.objects.exists()


@pytest.mark.django_db
def test_editors_and_managers_read_the_survey_report(seeker, counsellor, editor, manager):
    assert can_read_surveys(editor) and can_read_surveys(manager)
    for user in (AnonymousUser(), seeker, counsellor):
        assert not can_read_surveys(user)
