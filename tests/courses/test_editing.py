"""Editors author lessons in Wagtail: create with the StreamField blocks, preview,
moderation workflow and scheduled publishing."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import LessonPage
from tests.factories import courses as build


@pytest.fixture
def week(course):
    return course.get_children().first()


@pytest.mark.django_db
def test_an_editor_drafts_a_lesson_previews_it_and_submits_it_for_moderation(client, editor, week):
    client.force_login(editor)
    url = f"/admin/pages/add/courses/lessonpage/{week.pk}/"
    assert client.get(url).status_code == 200
    data = nested_form_data(
        {
            "title": "Nouvelle leçon",
            "slug": "nouvelle-lecon",
            "estimated_minutes": 15,
            "required": "on",
            "body": streamfield([("paragraph", rich_text("<p>Votre CV en une page.</p>"))]),
            "action-submit": "Submit",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    lesson = LessonPage.objects.get(title="Nouvelle leçon")
    assert not lesson.live
    state = WorkflowState.objects.get(object_id=str(lesson.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    preview = client.get(f"/admin/pages/{lesson.pk}/view_draft/")
    assert preview.status_code == 200
    assert "Votre CV en une page." in preview.content.decode()


@pytest.mark.django_db
def test_a_lesson_scheduled_for_later_goes_live_when_publish_scheduled_runs(week):
    lesson = week.add_child(
        instance=LessonPage(title="Plus tard", body=build.lesson_body("Plus tard"), live=False)
    )
    lesson.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    assert not lesson.live

    call_command("publish_scheduled")
    lesson.refresh_from_db()
    assert not lesson.live
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        call_command("publish_scheduled")
    lesson.refresh_from_db()
    assert lesson.live


@pytest.mark.django_db
def test_the_catalogue_filters_by_theme_and_duration(client, catalogue):
    from courses.models import CourseTheme

    cv = CourseTheme.objects.create(name="Candidature", slug="candidature")
    build.course(catalogue, "Mon CV", weeks=1, theme=cv)  # 2 hours
    build.course(catalogue, "Long MOOC", weeks=5)  # 10 hours
    html = client.get(catalogue.url).content.decode()
    assert "Mon CV" in html and "Long MOOC" in html and '<option value="candidature"' in html
    html = client.get(catalogue.url, {"theme": "candidature"}).content.decode()
    assert "Mon CV" in html and "Long MOOC" not in html
    html = client.get(catalogue.url, {"duree": "long"}).content.decode()
    assert "Mon CV" not in html and "Long MOOC" in html
    assert "Aucun MOOC" in client.get(catalogue.url, {"duree": "medium"}).content.decode()
