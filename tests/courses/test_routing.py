"""Below the catalogue, courses, weeks and lessons are found in the course's cached
structure (courses.routing) rather than by walking the page tree: Wagtail's rules
still hold (sub-routes, drafts, moves, view restrictions, preview)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from courses.models import CompletedBy, CourseWeekPage, Enrolment, LessonPage, LessonProgress
from tests.factories import courses as build
from tests.factories.courses import QUIZ_RIGHT

PAGE_TABLES = ('"courses_coursepage"', '"courses_courseweekpage"', '"courses_lessonpage"')


def weeks_of(course):
    return list(CourseWeekPage.objects.child_of(course).order_by("path"))


def quiz_answers(lesson):
    quiz_id = build.quiz_id(lesson)
    return quiz_id, {f"quiz-{quiz_id}-{question}": values for question, values in QUIZ_RIGHT.items()}


@pytest.fixture
def staff(client, editor):
    """An editor reads every lesson, whatever the pacing."""
    client.force_login(editor)
    return editor


@pytest.mark.django_db
def test_every_sub_route_of_a_course_and_of_a_lesson_answers(client, catalogue, seeker):
    course = build.course(catalogue, "Une semaine", weeks=1, lessons=2)
    reading, quiz_lesson = build.lessons_of(course)
    client.force_login(seeker)

    assert client.get(course.url).status_code == 200
    assert client.get(f"{course.url}inscription/").status_code == 405  # POST only
    assert client.post(f"{course.url}inscription/").url == course.url
    assert Enrolment.objects.filter(seeker=seeker, course=course).exists()
    assert client.get(weeks_of(course)[0].url).status_code == 200
    assert client.get(reading.url).status_code == 200
    assert client.post(f"{reading.url}video/", {"percent": "30"}).json() == {"percent": 30, "done": False}
    assert client.post(f"{reading.url}terminee/").url == quiz_lesson.url
    assert LessonProgress.objects.get(seeker=seeker, lesson=reading).completed_by == CompletedBy.SEEKER
    assert client.get(f"{course.url}attestation/").status_code == 404  # not completed yet
    assert client.get(f"{course.url}avis/").status_code == 404

    quiz_id, data = quiz_answers(quiz_lesson)
    response = client.post(f"{quiz_lesson.url}quiz/{quiz_id}/", data)
    assert response.url == f"{quiz_lesson.url}#quiz-{quiz_id}-result"
    assert Enrolment.objects.get(seeker=seeker, course=course).completed_at is not None
    attestation = client.get(f"{course.url}attestation/")
    assert attestation.status_code == 200 and attestation["Content-Type"] == "application/pdf"
    assert client.get(f"{course.url}avis/").status_code == 200

    other = build.course(catalogue, "Une autre semaine", weeks=1, lessons=1)
    client.post(f"{other.url}inscription/")
    assert client.get(f"{other.url}desinscription/").status_code == 200
    assert client.post(f"{other.url}desinscription/").url == other.url
    assert not Enrolment.objects.filter(seeker=seeker, course=other).exists()


@pytest.mark.django_db
def test_unknown_paths_are_404(client, course, staff):
    catalogue, week, lesson = course.get_parent(), weeks_of(course)[0], build.lessons_of(course)[0]
    for url in (
        f"{catalogue.url}nimporte-quoi/",
        f"{course.url}nimporte-quoi/",
        f"{week.url}nimporte-quoi/",
        f"{lesson.url}nimporte-quoi/",
        f"{lesson.url}quiz/pas-un-identifiant/",
        f"{lesson.url}terminee/encore/",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_a_lesson_is_routed_without_reading_the_course_pages(client, course, seeker):
    lesson = build.lessons_of(course)[0]  # no quiz
    client.force_login(seeker)
    client.post(f"{course.url}inscription/")
    client.get(lesson.url)  # fills the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(lesson.url).status_code == 200
    read = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in read if any(table in sql for table in PAGE_TABLES)]
    assert not [sql for sql in read if "courses_quizattempt" in sql]  # no quiz: no attempts read
    assert not [sql for sql in read if sql.startswith("UPDATE")]  # nothing new to record


@pytest.mark.django_db
def test_draft_and_unpublished_pages_are_404(client, course, seeker, editor):
    week = weeks_of(course)[0]
    draft = week.add_child(
        instance=LessonPage(title="Brouillon", body=build.lesson_body("Brouillon"), live=False)
    )
    draft.save_revision()
    published = build.lessons_of(course)[0]
    client.force_login(seeker)
    client.post(f"{course.url}inscription/")
    assert client.get(published.url).status_code == 200

    for user in (seeker, editor):
        client.force_login(user)
        assert client.get(draft.url).status_code == 404
        assert client.post(f"{draft.url}terminee/").status_code == 404

    published.unpublish()
    assert client.get(published.url).status_code == 404

    other_week = weeks_of(course)[1]
    other_week.unpublish()
    assert client.get(other_week.url).status_code == 404

    course.unpublish()
    client.force_login(seeker)
    assert client.get(course.url).status_code == 404
    assert client.post(f"{course.url}inscription/").status_code == 404
    assert client.get(build.lessons_of(course)[1].url).status_code == 404
    assert not LessonProgress.objects.filter(lesson=draft).exists()


@pytest.mark.django_db
def test_a_renamed_week_and_a_moved_lesson_are_routed_by_their_new_url(client, course, staff):
    first, second = weeks_of(course)[:2]
    lesson = build.lessons_of(course)[0]
    old_url = lesson.url
    assert client.get(old_url).status_code == 200  # the structure is cached

    first.slug = "premiere-semaine"
    first.save_revision().publish()
    lesson.refresh_from_db()
    assert "/premiere-semaine/" in lesson.url
    assert client.get(lesson.url).status_code == 200
    assert client.get(old_url).status_code == 404

    renamed_url = lesson.url
    lesson.move(second, pos="last-child")
    lesson.refresh_from_db()
    assert lesson.url.startswith(second.url)
    response = client.get(lesson.url)
    assert response.status_code == 200 and lesson.title in response.content.decode()
    old = client.get(renamed_url)  # not served there any more; Wagtail redirects a moved page
    assert old.status_code == 404 or (old.status_code == 301 and old.url == lesson.url)


@pytest.mark.django_db
def test_a_lesson_url_under_another_course_is_404(client, catalogue, seeker):
    course = build.course(catalogue, "Premier MOOC", weeks=2, lessons=2)
    other = build.course(catalogue, "Second MOOC", weeks=1, lessons=1)
    client.force_login(seeker)
    for page in (course, other):
        client.post(f"{page.url}inscription/")
    lesson = build.lessons_of(course)[1]  # week 1, lesson 2: week 1 of the other has one lesson
    late = build.lessons_of(course)[2]  # week 2: the other has one week
    assert client.get(lesson.url).status_code == 200
    for page in (lesson, late):
        week = page.get_parent()
        assert client.get(f"{other.url}{week.slug}/{page.slug}/").status_code == 404
    assert client.get(f"{other.url}{lesson.slug}/").status_code == 404


@pytest.mark.django_db
def test_view_restrictions_still_apply_once_the_structure_is_cached(client, course, seeker):
    lesson = build.lessons_of(course)[0]
    catalogue = course.get_parent()
    client.force_login(seeker)
    client.post(f"{course.url}inscription/")
    assert client.get(lesson.url).status_code == 200
    assert client.get(catalogue.url).status_code == 200

    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    for url in (course.url, weeks_of(course)[0].url, lesson.url):
        response = client.get(url)
        assert response.status_code == 200 and 'name="password"' in response.content.decode(), url
        assert lesson.title not in response.content.decode()
    assert client.get(catalogue.url).status_code == 200  # above the restricted page
    restriction.delete()
    assert lesson.title in client.get(lesson.url).content.decode()

    PageViewRestriction.objects.create(
        page=catalogue.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )
    client.logout()
    for url in (catalogue.url, course.url, lesson.url):
        response = client.get(url)
        assert response.status_code == 302 and "next=" in response.url, url


@pytest.mark.django_db
def test_view_draft_shows_the_draft_and_the_live_page_its_published_content(client, course, seeker, editor):
    lesson = build.lessons_of(course)[0]
    client.force_login(seeker)
    client.post(f"{course.url}inscription/")
    assert "Le contenu de la leçon" in client.get(lesson.url).content.decode()

    lesson.body = build.lesson_body("Version de travail")
    lesson.save_revision()
    assert "Version de travail" not in client.get(lesson.url).content.decode()
    client.force_login(editor)
    preview = client.get(f"/admin/pages/{lesson.pk}/view_draft/")
    assert preview.status_code == 200 and "Version de travail" in preview.content.decode()
    assert not LessonProgress.objects.filter(seeker=editor).exists()

    lesson.get_latest_revision().publish()
    client.force_login(seeker)
    assert "Version de travail" in client.get(lesson.url).content.decode()
