"""Who sees what: a visitor sees the catalogue and the outline but no lesson; a seeker
follows lessons of the MOOCs they enrolled in; staff read lessons without being tracked."""

import pytest

from courses.models import Enrolment, LessonProgress
from tests.factories import courses as build


@pytest.mark.django_db
def test_a_visitor_sees_the_catalogue_and_the_outline_but_no_lesson(client, course):
    lesson = build.lessons_of(course)[0]
    catalogue_html = client.get(course.get_parent().url).content.decode()
    assert "Réussir son entretien" in catalogue_html
    outline = client.get(course.url).content.decode()
    assert "Leçon 1.1" in outline and f'href="{lesson.url}"' not in outline
    assert client.get(course.get_children().first().url).status_code == 200

    response = client.get(lesson.url)
    assert response.status_code == 302 and response.url.startswith("/compte/connexion/")
    assert client.post(f"{lesson.url}terminee/").status_code == 302
    assert client.post(f"{course.url}inscription/").status_code == 302
    assert not Enrolment.objects.exists() and not LessonProgress.objects.exists()


@pytest.mark.django_db
def test_a_seeker_not_enrolled_is_sent_to_the_course_page(client, course, seeker):
    client.force_login(seeker)
    lesson = build.lessons_of(course)[0]
    response = client.get(lesson.url)
    assert response.status_code == 302 and response.url == course.url
    client.post(f"{lesson.url}terminee/")
    assert not LessonProgress.objects.exists()


@pytest.mark.django_db
def test_enrolment_is_only_by_post_and_only_for_seekers(client, course, seeker, counsellor):
    client.force_login(seeker)
    assert client.get(f"{course.url}inscription/").status_code == 405
    client.force_login(counsellor)
    assert client.post(f"{course.url}inscription/").status_code == 403
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_counsellors_and_editors_read_every_lesson_untracked(client, course, counsellor, editor):
    last = build.lessons_of(course)[-1]
    for user in (counsellor, editor):
        client.force_login(user)
        response = client.get(last.url)
        assert response.status_code == 200
        assert "Vérifiez vos connaissances" in response.content.decode()
    assert not LessonProgress.objects.exists()


@pytest.mark.django_db
def test_personal_pages_are_never_cached(client, course, seeker):
    client.force_login(seeker)
    client.post(f"{course.url}inscription/")
    for url in (course.url, build.lessons_of(course)[0].url, "/mes-formations/"):
        assert "no-store" in client.get(url)["Cache-Control"]


@pytest.mark.django_db
def test_the_progress_page_is_for_seekers(client, counsellor):
    assert client.get("/mes-formations/").status_code == 302
    client.force_login(counsellor)
    assert client.get("/mes-formations/").status_code == 403
