"""The catalogue: its course cards, filtered by theme and duration, with the seeker's
badges (enrolled, completed)."""

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.translation import get_language
from wagtail.images.models import Rendition
from wagtail.models import Site

from .. import cache, sql
from ..models import CoursePage, CourseTheme
from ..models.pages import DURATIONS
from ..permissions import learner

CARD_TEMPLATE = "courses/includes/course_card.html"
# What a card shows (courses/includes/course_card.html), and what filters and routes.
CARD_FIELDS = ("title", "slug", "url_path", "path", "depth", "locale", "summary", "total_hours")


def _catalogue_cards(request, index_page):
    """The live courses of the catalogue as cards: {"pk", "theme", "hours", "html"},
    the HTML without the seeker's badges; and the themes of these courses. Cached
    (courses.cache) per catalogue, site and language: a card is rendered, and its
    picture's rendition looked up, once per change of the content."""
    site = Site.find_for_request(request)
    language = get_language()
    cache_key = cache.key("cards", index_page.pk, site.pk if site else "", language, request=request)
    cached = cache.fetch(cache_key)
    if cached is not None:
        return cached
    courses = list(
        CoursePage.objects.live()
        .child_of(index_page)
        .select_related("theme", "image")
        .only(*CARD_FIELDS, "theme__name", "theme__slug", "image")
        .prefetch_related(Prefetch("image__renditions", queryset=Rendition.objects.all()))
        .order_by("path")
    )
    theme_ids = {course.theme_id for course in courses if course.theme_id}
    themes = [(theme.slug, theme.name) for theme in CourseTheme.objects.filter(pk__in=theme_ids)]
    cards = [
        {
            "pk": course.pk,
            "theme": course.theme.slug if course.theme else "",
            "hours": course.total_hours,
            "html": render_to_string(CARD_TEMPLATE, {"course": course, "request": request}),
        }
        for course in courses
    ]
    cached = (cards, themes)
    cache.store(cache_key, cached)
    return cached


def catalogue_context(request, index_page):
    """The catalogue page's context (CourseIndexPage.get_context)."""
    cards, themes = _catalogue_cards(request, index_page)
    theme = request.GET.get("theme", "")
    if theme:
        cards = [card for card in cards if card["theme"] == theme]
    duration = request.GET.get("duree", "")
    for value, _label, low, high in DURATIONS:
        if duration == value:
            cards = [
                card for card in cards if card["hours"] >= low and (high is None or card["hours"] <= high)
            ]
    seeker = learner(request.user)
    enrolled = sql.enrolled_courses(seeker.pk) if seeker else {}
    courses = [
        dict(card, is_enrolled=card["pk"] in enrolled, is_completed=bool(enrolled.get(card["pk"])))
        for card in cards
    ]
    return {
        "courses": courses,
        "themes": [{"slug": slug, "name": name} for slug, name in themes],
        "durations": [(value, label) for value, label, _low, _high in DURATIONS],
        "selected_theme": theme,
        "selected_duration": duration,
        "filtered": bool(theme or duration),
    }
