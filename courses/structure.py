"""The structure of a course: its page, its weeks and its lessons (without their body),
live or not, and the ids of the course's ancestors; read in four queries and kept in
the cache (courses.cache) until a page changes.

Routing walks it instead of the page tree, and knows from it whose view restrictions
apply (courses.routing); the outline of a course is built from it with one query
more, the seeker's enrolment and progress rows.
"""

from functools import cached_property

from . import cache
from .models import CoursePage, CourseWeekPage, LessonPage


class CourseStructure:
    def __init__(self, course, weeks, lessons, ancestors):
        self.course = course
        # [(id, alias_of_id)] of the course's ancestors, root first.
        self.ancestors = ancestors
        # Every week (children of the course) and lesson (grandchildren), live or not,
        # in tree order, as Wagtail's routing sees them.
        self.weeks = weeks
        self.lessons = lessons
        self._children = {(page.path[: -page.steplen], page.slug): page for page in (*weeks, *lessons)}

    def child(self, parent, slug):
        """The week or lesson `slug` right below `parent`, or None."""
        return self._children.get((parent.path, slug))

    @cached_property
    def live_weeks(self):
        """As the outline lists them: live, by number."""
        return sorted((week for week in self.weeks if week.live), key=lambda week: (week.number, week.path))

    @cached_property
    def live_lessons(self):
        return [lesson for lesson in self.lessons if lesson.live]


def _load(index, slug):
    course = CoursePage.objects.child_of(index).filter(slug=slug).first()
    if course is None:
        return None
    below = {"path__startswith": course.path}
    weeks = list(CourseWeekPage.objects.filter(depth=course.depth + 1, **below).order_by("path"))
    lessons = list(LessonPage.objects.filter(depth=course.depth + 2, **below).defer("body").order_by("path"))
    return course, weeks, lessons, _ancestors(course)


def _ancestors(page):
    return list(page.get_ancestors().values_list("pk", "alias_of_id"))


def ancestors(page, request=None):
    """[(id, alias_of_id)] of the page's ancestors, root first: cached."""
    cache_key = cache.key("ancestors", page.pk, request=request)
    value = cache.fetch(cache_key)
    if value is None:
        value = _ancestors(page)
        cache.store(cache_key, value)
    return value


def restriction_page_ids(ancestors, pages):
    """The ids whose view restrictions apply to the last of `pages` (a chain of pages
    below `ancestors`), as Page.get_view_restrictions() finds them; None when one of
    them is an alias (its source's restrictions apply: Wagtail's own method decides)."""
    chain = [*ancestors, *((page.pk, page.alias_of_id) for page in pages)]
    if any(alias_of_id is not None for _pk, alias_of_id in chain):
        return None
    return [pk for pk, _alias_of_id in chain]


def for_course(index, slug, request=None):
    """The structure of the course `slug` of the catalogue `index`, or None (no course
    page of that slug below it)."""
    cache_key = cache.key("structure", index.pk, slug, request=request)
    value = cache.fetch(cache_key)
    if value is None:
        value = _load(index, slug)
        if value is None:
            return None
        cache.store(cache_key, value)
    return CourseStructure(*value)


def found_by_routing(page):
    """The structure routing found `page` in (courses.routing), or None (a preview)."""
    return getattr(page, "course_structure", None)


def live_course_of(page):
    """(the live course of a week or lesson, or None; the course's structure, or None):
    from the structure routing found `page` in, else from the page tree."""
    structure = found_by_routing(page)
    if structure is not None:
        return (structure.course if structure.course.live else None), structure
    return CoursePage.objects.ancestor_of(page).live().first(), None
