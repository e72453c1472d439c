"""A course as one seeker sees it: weeks with their opening dates, lessons with
their progress, percentages. Built in a fixed number of queries, whatever the size
of the course."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from core.modules import ModuleSummary

from .models import CourseWeekPage, Enrolment, LessonPage, LessonProgress, Pacing
from .pacing import is_open, week_opening
from .sql import enrolment_with_progress


def percent(done, total):
    return round(100 * done / total) if total else 0


@dataclass
class LessonEntry:
    page: LessonPage
    progress: LessonProgress | None = None

    @property
    def done(self):
        return bool(self.progress and self.progress.completed_at)

    @property
    def started(self):
        return self.progress is not None


@dataclass
class WeekEntry:
    page: CourseWeekPage
    opens_at: datetime | None
    is_open: bool
    lessons: list = field(default_factory=list)

    @property
    def required(self):
        return [entry for entry in self.lessons if entry.page.required]

    @property
    def percent(self):
        required = self.required
        return percent(sum(entry.done for entry in required), len(required))


class CourseOutline:
    """Weeks and lessons of `course` for `seeker` (None: a visitor), at `now`.

    Three queries: weeks, lessons (without their body), and, for a seeker, their
    enrolment with their progress rows (one query; only the progress rows when the
    enrolment is given). Given the course's `structure` (courses.structure, which
    routing found in the cache), weeks and lessons come from it: one query in all.
    """

    def __init__(self, course, seeker=None, *, enrolment=None, now=None, preloaded=None, structure=None):
        self.course = course
        self.now = now or timezone.now()
        progress = None
        if enrolment is None and seeker is not None and seeker.is_authenticated:
            enrolment, progress = enrolment_with_progress(seeker.pk, course.pk)
        self.enrolment = enrolment
        if preloaded is None:
            if progress is None:
                progress = _load_progress([enrolment] if enrolment else [])
            if structure is not None:
                preloaded = (structure.live_weeks, structure.live_lessons, progress)
            else:
                preloaded = (*_load_pages([course]), progress)
        week_pages, lessons, progress = preloaded
        # {(seeker id, lesson id): LessonProgress} of the seeker in this course.
        self.progress_rows = progress
        by_week = {}
        for lesson in lessons:
            if lesson.path.startswith(course.path):
                by_week.setdefault(lesson.path[: -LessonPage.steplen], []).append(
                    LessonEntry(lesson, progress.get((enrolment.seeker_id, lesson.pk)) if enrolment else None)
                )
        self.weeks = []
        for week in week_pages:
            if not week.path.startswith(course.path):
                continue
            opens_at = week_opening(
                week.number,
                session_start=course.session_start if self.in_session else None,
                enrolled_at=enrolment.enrolled_at if enrolment else None,
            )
            self.weeks.append(
                WeekEntry(week, opens_at, is_open(opens_at, self.now), by_week.get(week.path, []))
            )

    @property
    def lessons(self):
        return [entry for week in self.weeks for entry in week.lessons]

    @property
    def percent(self):
        if self.enrolment and self.enrolment.completed_at:
            return 100
        required = [entry for entry in self.lessons if entry.page.required]
        return percent(sum(entry.done for entry in required), len(required))

    @property
    def in_session(self):
        """The course runs in sessions: its weeks open at dates set for everyone."""
        return self.course.pacing == Pacing.SESSION

    def week_of(self, lesson):
        for week in self.weeks:
            if week.page.path == lesson.path[: -LessonPage.steplen]:
                return week
        return None

    def resume(self):
        """The lesson to go back to: the last one opened if not done, else the first
        open lesson not done yet."""
        if self.enrolment is None:
            return None
        open_lessons = [entry for week in self.weeks if week.is_open for entry in week.lessons]
        last_id = self.enrolment.last_lesson_id
        for entry in open_lessons:
            if entry.page.pk == last_id and not entry.done:
                return entry.page
        for entry in open_lessons:
            if not entry.done:
                return entry.page
        return None

    def neighbours(self, lesson):
        """(previous, next) lessons around `lesson`, across weeks."""
        pages = [entry.page for entry in self.lessons]
        ids = [page.pk for page in pages]
        if lesson.pk not in ids:
            return None, None
        position = ids.index(lesson.pk)
        previous = pages[position - 1] if position > 0 else None
        following = pages[position + 1] if position + 1 < len(pages) else None
        return previous, following


def _load(courses, enrolments):
    """Weeks, lessons (without body) and progress rows of `courses`: three queries."""
    return (*_load_pages(courses), _load_progress(enrolments))


def _load_pages(courses):
    """Live weeks and lessons (without body) of `courses`: two queries."""
    in_courses = Q()
    for course in courses:
        in_courses |= Q(path__startswith=course.path, depth=course.depth + 1)
    weeks = list(CourseWeekPage.objects.live().filter(in_courses).order_by("number", "path"))
    in_weeks = Q()
    for course in courses:
        in_weeks |= Q(path__startswith=course.path, depth=course.depth + 2)
    lessons = list(LessonPage.objects.live().filter(in_weeks).defer("body").order_by("path"))
    return weeks, lessons


def _load_progress(enrolments):
    """{(seeker id, lesson id): LessonProgress} of one seeker's `enrolments`: one query."""
    if not enrolments:
        return {}
    rows = LessonProgress.objects.filter(
        seeker_id=enrolments[0].seeker_id, course__in=[e.course_id for e in enrolments]
    )
    return {(row.seeker_id, row.lesson_id): row for row in rows}


def outlines_for(enrolments, *, now=None):
    """The outlines of one seeker's `enrolments` (with their course selected), in
    three queries however many courses they follow."""
    if not enrolments:
        return []
    preloaded = _load([e.course for e in enrolments], enrolments)
    return [CourseOutline(e.course, enrolment=e, now=now, preloaded=preloaded) for e in enrolments]


def module_summaries(seeker, *, now=None):
    """`ModuleSummary`s of the MOOCs `seeker` is enrolled in, most recent first, with the
    lesson to resume (CoursePage.summaries_for): four queries however many they follow."""
    enrolments = list(
        Enrolment.objects.filter(seeker=seeker).select_related("course").order_by("-enrolled_at")
    )
    summaries = []
    for outline in outlines_for(enrolments, now=now):
        lesson = outline.resume()
        summaries.append(
            ModuleSummary(
                module=outline.course, percent=outline.percent, resume_url=lesson.url if lesson else None
            )
        )
    return summaries
