"""Authored content keeps its own language inside an English page (WCAG 3.1.2).

Courses, ateliers and the home page are written in French (their Wagtail locale); under
/en/ the page is `<html lang="en">`, so each element holding authored text must carry
lang="fr" (core/templatetags/content_language.py), while the interface around it stays
English. In French nothing is added.
"""

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from core.demo import HOME_INTRO
from tests.factories import ateliers as atelier_build
from tests.factories import courses as course_build


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def language_of(element):
    """The language an element is in: its own lang, or its nearest ancestor's."""
    while element is not None:
        if getattr(element, "attrs", None) and element.get("lang"):
            return element["lang"]
        element = element.parent
    return None


def text_nodes(soup, text):
    """The elements of the page's main content whose own text contains `text`."""
    found = soup.main.find_all(string=lambda value: value and text in value)
    assert found, f"{text!r} is not on the page"
    return [node.parent for node in found]


def assert_in_french(html, *texts):
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "en"
    for text in texts:
        assert {language_of(node) for node in text_nodes(soup, text)} == {"fr"}, text


def assert_in_english(html, *texts):
    soup = BeautifulSoup(html, "html.parser")
    for text in texts:
        assert {language_of(node) for node in text_nodes(soup, text)} == {"en"}, text


def french_url(target):
    """A page's French URL (a page's `url` follows the active language, which a request
    under /en/ leaves activated in the test's thread)."""
    if isinstance(target, str):
        return target
    with translation.override("fr"):
        return target.url


def get_en(client, target):
    url = "/en" + french_url(target)
    response = client.get(url)
    assert response.status_code == 200, (url, response.content.decode()[-3000:])
    return response.content.decode()


@pytest.fixture
def course(home_page):
    return course_build.course(course_build.catalogue(home_page), weeks=1, lessons=2)


@pytest.fixture
def atelier(home_page):
    return atelier_build.atelier(home_page)


@pytest.mark.django_db
def test_the_home_page_content_is_marked_french_under_en(client, home_page):
    html = get_en(client, home_page)
    assert_in_french(html, home_page.title, HOME_INTRO[:40])
    assert_in_english(html, "Create my account")


@pytest.mark.django_db
def test_the_catalogue_and_a_course_are_marked_french_under_en(client, course):
    catalogue = course.get_parent()
    html = get_en(client, catalogue)
    assert_in_french(html, catalogue.title, course.title, course.summary)
    assert_in_english(html, "Filter")

    html = get_en(client, course)
    assert_in_french(html, course.summary, "Semaine 1", "Leçon 1.1")
    assert_in_english(html, "Programme")


@pytest.mark.django_db
def test_a_lesson_and_its_quiz_are_marked_french_under_en(client, course, seeker):
    client.force_login(seeker)
    client.post(french_url(course) + course.reverse_subpage("enrol"))
    lesson = course_build.lessons_of(course)[1]  # the week's lesson with a quiz
    html = get_en(client, lesson)
    assert_in_french(
        html,
        "Leçon 1.2",
        "Le contenu de la leçon",
        "Vérifiez vos connaissances",
        "Combien de semaines dure un MOOC ?",
        "Quatre",
    )
    assert_in_english(html, "Check my answers", "One answer.")

    html = get_en(client, "/mes-formations/")
    assert_in_french(html, "Semaine 1")
    # The title in the table's hidden caption sits in an English sentence, as a name.
    assert language_of(BeautifulSoup(html, "html.parser").main.find("h2")) == "fr"


@pytest.mark.django_db
def test_ateliers_and_their_exercises_are_marked_french_under_en(client, atelier, seeker):
    client.force_login(seeker)
    index = atelier.get_parent()
    assert_in_french(get_en(client, index), atelier.title, atelier.summary)
    assert_in_french(get_en(client, atelier), atelier.summary, "Étape 1")

    first, second, _third = atelier_build.steps_of(atelier)
    html = get_en(client, first)
    assert_in_french(html, "Étape 1", "Le poste que je vise", "Une ou deux phrases.", "Mes diplômes")
    assert_in_english(html, "Your answer")
    html = get_en(client, second)
    assert_in_french(html, "Que met-on sous son nom, en haut du CV ?", "Sa date de naissance")


@pytest.mark.django_db
def test_staff_reading_a_step_see_the_exercises_marked_french(client, atelier, counsellor):
    client.force_login(counsellor)
    first, second, _third = atelier_build.steps_of(atelier)
    assert_in_french(get_en(client, first), "Le poste que je vise", "Mes diplômes")
    assert_in_french(get_en(client, second), "Que met-on sous son nom, en haut du CV ?")


@pytest.mark.django_db
def test_in_french_no_lang_is_added(client, course, atelier, seeker):
    client.force_login(seeker)
    for page in (course.get_parent(), course, atelier, atelier_build.steps_of(atelier)[0]):
        url = french_url(page)
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        assert soup.html["lang"] == "fr"
        assert soup.main.find_all(lang=True) == [], url
