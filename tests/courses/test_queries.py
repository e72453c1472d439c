"""Catalogue, course, lesson and progress pages make a number of queries that does not
grow with the number of courses, lessons or enrolments."""

import pytest

from courses.models import Enrolment, LessonProgress
from tests.factories import SeekerFactory
from tests.factories import courses as build

# Measured: the point is that the same bound holds at both sizes. A first visit fills
# the caches (courses.cache): the course's structure, the catalogue's cards, the
# ancestors of the catalogue; the lesson is the week's quiz lesson (its body and the
# seeker's attempts are read). The next visits read them from the cache; going from one
# lesson to another also records the "resume here" lesson (an UPDATE).
MAX_QUERIES = {"catalogue": 10, "course": 12, "lesson": 11, "progress": 8}
MAX_QUERIES_CACHED = {"catalogue": 8, "course": 8, "lesson": 8, "quiz lesson": 11}


def populate(catalogue, seeker, *, courses, weeks, lessons, others):
    built = [build.course(catalogue, f"MOOC {n}", weeks=weeks, lessons=lessons) for n in range(courses)]
    crowd = [SeekerFactory() for _ in range(others)]
    for course in built:
        all_lessons = build.lessons_of(course)
        for person in [seeker, *crowd]:
            Enrolment.objects.enrol(person, course)
            LessonProgress.objects.bulk_create(
                LessonProgress(seeker=person, lesson=lesson, course=course) for lesson in all_lessons[:3]
            )
    return built


@pytest.mark.django_db
@pytest.mark.parametrize("size", [{"courses": 1, "weeks": 1, "lessons": 2, "others": 1},
                                  {"courses": 3, "weeks": 4, "lessons": 4, "others": 6}])  # fmt: skip
def test_query_counts_do_not_grow_with_the_content_nor_the_enrolments(
    client, catalogue, seeker, size, django_assert_max_num_queries
):
    built = populate(catalogue, seeker, **size)
    course = built[-1]
    reading, quiz_lesson = build.lessons_of(course)[:2]
    client.force_login(seeker)
    client.get("/mes-formations/")  # warm the site and content-type caches

    with django_assert_max_num_queries(MAX_QUERIES["catalogue"]):
        assert client.get(catalogue.url).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES["course"]):
        assert client.get(course.url).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES["lesson"]):
        assert client.get(quiz_lesson.url).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES["progress"]):
        assert client.get("/mes-formations/").status_code == 200

    client.get(reading.url)
    with django_assert_max_num_queries(MAX_QUERIES_CACHED["catalogue"]):
        assert client.get(catalogue.url).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES_CACHED["course"]):
        assert client.get(course.url).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES_CACHED["lesson"]):
        assert client.get(reading.url).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES_CACHED["quiz lesson"]):
        assert client.get(quiz_lesson.url).status_code == 200
