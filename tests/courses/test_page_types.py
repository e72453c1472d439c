"""Editors cannot build a malformed course: each page type has its one place."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils import WagtailPageTestCase

from ateliers.models import AtelierIndexPage
from core.models import HomePage
from courses.blocks import QuestionBlock
from courses.models import CourseIndexPage, CoursePage, CourseWeekPage, LessonPage, Pacing
from interviews.models import MockInterviewIndexPage
from tests.factories import courses as build


class PageTreeRulesTest(WagtailPageTestCase):
    def test_each_page_type_accepts_only_its_children(self):
        self.assertAllowedSubpageTypes(HomePage, {CourseIndexPage, AtelierIndexPage, MockInterviewIndexPage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, {CourseWeekPage})
        self.assertAllowedSubpageTypes(CourseWeekPage, {LessonPage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_a_lesson_cannot_be_created_under_the_catalogue_nor_a_course(self):
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)
        self.assertCanNotCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(HomePage, CoursePage)
        self.assertAllowedParentPageTypes(LessonPage, {CourseWeekPage})


@pytest.mark.django_db
def test_the_admin_refuses_a_lesson_under_the_catalogue(client, editor, catalogue):
    client.force_login(editor)
    url = f"/admin/pages/add/courses/lessonpage/{catalogue.pk}/"
    # Wagtail answers a forbidden page type by sending back to the dashboard.
    assert client.get(url).url == "/admin/"
    client.post(url, {"title": "Leçon perdue", "slug": "perdue", "body-count": "0"})
    assert not LessonPage.objects.filter(title="Leçon perdue").exists()


@pytest.mark.django_db
def test_a_session_needs_its_start_date(catalogue):
    course = CoursePage(title="Session", summary="…", pacing=Pacing.SESSION)
    with pytest.raises(ValidationError) as error:
        course.clean()
    assert "session_start" in error.value.message_dict


@pytest.mark.django_db
def test_a_lesson_knows_it_has_a_quiz_and_is_then_required(course):
    with_quiz, without = build.lessons_of(course)[1], build.lessons_of(course)[0]
    assert with_quiz.has_quiz and not without.has_quiz
    with_quiz.required = False
    with_quiz.save()
    assert with_quiz.required


def test_a_question_needs_a_right_answer_and_says_when_several_are():
    block = QuestionBlock()
    answers = [
        {"text": "A", "correct": False, "feedback": ""},
        {"text": "B", "correct": False, "feedback": ""},
    ]
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"text": "?", "multiple": False, "answers": answers}))
    answers = [{"text": "A", "correct": True, "feedback": ""}, {"text": "B", "correct": True, "feedback": ""}]
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"text": "?", "multiple": False, "answers": answers}))
    block.clean(block.to_python({"text": "?", "multiple": True, "answers": answers}))
