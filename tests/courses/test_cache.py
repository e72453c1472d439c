"""What the MOOC pages cache (courses.cache): course structures, lesson bodies and
catalogue cards show every change at once, and never one seeker's data to another."""

import datetime
import re
import uuid

import pytest
import time_machine
from django.core.cache import cache as django_cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import cache
from courses.models import CourseTheme, CourseWeekPage, LessonPage, LessonProgress
from media.models import ProcessingStatus
from tests.factories import SeekerFactory
from tests.factories import courses as build
from tests.factories.courses import QUIZ_WRONG


def first_week(course):
    return CourseWeekPage.objects.child_of(course).order_by("path").first()


@pytest.fixture
def enrolled(client, course, seeker):
    client.force_login(seeker)
    client.post(f"{course.url}inscription/")
    return seeker


@pytest.mark.django_db
def test_a_lesson_published_shows_at_once_on_the_outline(client, course, enrolled):
    assert "Nouvelle leçon" not in client.get(course.url).content.decode()  # cached
    lesson = build.publish(
        first_week(course), LessonPage(title="Nouvelle leçon", body=build.lesson_body("x"))
    )
    outline = client.get(course.url).content.decode()
    assert "Nouvelle leçon" in outline and f'href="{lesson.url}"' in outline
    assert client.get(lesson.url).status_code == 200

    lesson.unpublish()
    assert "Nouvelle leçon" not in client.get(course.url).content.decode()
    assert client.get(lesson.url).status_code == 404


@pytest.mark.django_db
def test_a_renamed_week_shows_at_once_on_the_outline_and_the_lessons(client, course, enrolled):
    lesson = build.lessons_of(course)[0]
    assert "Semaine 1" in client.get(course.url).content.decode()
    assert "Semaine 1" in client.get(lesson.url).content.decode()
    week = first_week(course)
    week.title = "Les bases"
    week.save_revision().publish()
    assert "Les bases" in client.get(course.url).content.decode()
    assert "Les bases" in client.get(lesson.url).content.decode()  # the breadcrumb
    assert "Les bases" in client.get(week.url).content.decode()


@pytest.mark.django_db
def test_a_lesson_body_shows_once_published(client, course, enrolled):
    lesson = build.lessons_of(course)[0]
    assert "Le contenu de la leçon « Leçon 1.1 »" in client.get(lesson.url).content.decode()
    lesson.body = build.lesson_body("Leçon revue")
    lesson.save_revision()  # a draft: the live lesson does not change
    assert "Leçon revue" not in client.get(lesson.url).content.decode()
    lesson.get_latest_revision().publish()
    assert "Le contenu de la leçon « Leçon revue »" in client.get(lesson.url).content.decode()


@pytest.mark.django_db
def test_the_catalogue_shows_new_and_renamed_courses_and_themes_at_once(client, course, seeker):
    catalogue = course.get_parent()
    client.force_login(seeker)
    assert "Réussir son entretien" in client.get(catalogue.url).content.decode()

    theme = CourseTheme.objects.create(name="Candidature", slug="candidature")
    new = build.course(catalogue, "Mon CV en une page", weeks=1, theme=theme)
    html = client.get(catalogue.url).content.decode()
    assert "Mon CV en une page" in html and '<option value="candidature"' in html

    new.title = "Un CV qui donne envie"
    new.save_revision().publish()
    theme.name = "Candidatures"
    theme.save()
    html = client.get(catalogue.url).content.decode()
    assert ">Un CV qui donne envie</a>" in html and ">Mon CV en une page</a>" not in html
    assert ">Candidatures</option>" in html and "<span>Candidatures</span>" in html

    new.unpublish()
    html = client.get(catalogue.url).content.decode()
    assert "Un CV qui donne envie" not in html and '<option value="candidature"' not in html


@pytest.mark.django_db
def test_the_catalogue_badges_are_each_seekers_own(client, course, seeker, other_seeker):
    catalogue = course.get_parent()
    client.force_login(seeker)
    client.post(f"{course.url}inscription/")
    assert 'class="badge">' in client.get(catalogue.url).content.decode()
    client.force_login(other_seeker)
    assert 'class="badge' not in client.get(catalogue.url).content.decode()
    client.logout()
    assert 'class="badge' not in client.get(catalogue.url).content.decode()


@pytest.mark.django_db
def test_a_quiz_result_is_never_shown_to_another_seeker(client, course, enrolled):
    lesson = build.lessons_of(course)[1]
    quiz_id = build.quiz_id(lesson)
    wrong = {f"quiz-{quiz_id}-{question}": values for question, values in QUIZ_WRONG.items()}
    client.post(f"{lesson.url}quiz/{quiz_id}/", wrong)
    assert "Non : c’est plus long." in client.get(lesson.url).content.decode()

    other = SeekerFactory()
    client.force_login(other)
    client.post(f"{course.url}inscription/")
    html = client.get(lesson.url).content.decode()
    assert "Combien de semaines dure un MOOC ?" in html
    assert "Non : c’est plus long." not in html and f'id="quiz-{quiz_id}-result"' not in html


@pytest.mark.django_db
def test_a_visit_is_written_when_it_changes_something(client, course, enrolled):
    first, second = build.lessons_of(course)[:2]
    now = timezone.now()

    def visit(lesson):
        """The writes of a visit: ["INSERT INTO table", "UPDATE table"…]."""
        with CaptureQueriesContext(connection) as queries:
            assert client.get(lesson.url).status_code == 200
        writes = (
            re.match(r'(INSERT INTO|UPDATE) "(\w+)"', query["sql"]) for query in queries.captured_queries
        )
        return [f"{write[1]} {write[2]}" for write in writes if write]

    with time_machine.travel(now, tick=False) as traveller:
        writes = visit(first)  # the row, then the enrolment (its counters, "resume here")
        assert (
            writes[0] == "INSERT INTO courses_lessonprogress"
            and "UPDATE courses_lessonprogress" not in writes
        )
        assert "UPDATE courses_enrolment" in writes
        traveller.move_to(now + datetime.timedelta(minutes=4))
        assert visit(first) == []
        traveller.move_to(now + datetime.timedelta(minutes=6))
        assert visit(first) == ["UPDATE courses_lessonprogress"]
        row = LessonProgress.objects.get(seeker=enrolled, lesson=first)
        assert row.first_seen_at == now and row.last_seen_at == now + datetime.timedelta(minutes=6)
        assert "UPDATE courses_enrolment" in visit(second)  # "resume here"
        assert visit(first) == ["UPDATE courses_enrolment"]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "uploads")


@pytest.mark.django_db
def test_a_video_shows_as_soon_as_it_is_ready(client, course, enrolled, media_root):
    from tests.media.test_captions import make_asset

    asset = make_asset("La vidéo de la semaine", status=ProcessingStatus.PENDING)
    lesson = build.lessons_of(course)[0]
    lesson.body = [("video", {"video": asset, "caption": "", "transcript": ""})]
    lesson.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    assert "player__pending" in html and "<video" not in html

    for field, folder in (("rendition_360", "renditions"), ("rendition_720", "renditions")):
        name = f"media/{folder}/{uuid.uuid4().hex}.mp4"
        setattr(asset, field, default_storage.save(name, ContentFile(b"fake")))
    asset.status = ProcessingStatus.READY
    asset.save(update_fields=["rendition_360", "rendition_720", "status"])  # as the pipeline does
    html = client.get(lesson.url).content.decode()
    assert "<video" in html and "player__pending" not in html


@pytest.mark.django_db
def test_the_generation_changes_now_and_again_when_the_change_commits(django_capture_on_commit_callbacks):
    before = cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        cache.invalidate()
        assert cache.generation() == before + 1
    assert cache.generation() == before + 2

    django_cache.delete(cache.GENERATION_KEY)  # evicted: a new number, not an old one again
    cache.invalidate()
    assert cache.generation() not in (None, before, before + 1, before + 2)
