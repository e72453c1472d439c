"""Reading a lesson: who may now (courses.permissions), what the page shows (its body,
the seeker's quiz results, the lessons around it) and what the visit records
(courses.tracking). Seekers are tracked; counsellors and editors read untracked."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import quiz as grading
from .. import tracking
from ..models import QuizAttempt
from ..outline import CourseOutline
from ..permissions import LessonRefusal, learner, lesson_refusal
from ..structure import live_course_of
from .cache_control import private
from .lesson_body import body_segments


def open_lesson(request, lesson):
    """(the course as the user sees it, a refusal): whether `lesson` opens to the user now.

    A visitor is sent to log in; a seeker not enrolled to the course page; a seeker's
    locked week answers 403 with its opening date, even by URL. The outline is the
    seeker's (or, for staff, nobody's) when the lesson opens, else None.
    """
    user = request.user
    if not user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    course, structure = live_course_of(lesson)
    if course is None:
        raise Http404
    seeker = learner(user)
    outline = CourseOutline(course, seeker, structure=structure)
    refusal = lesson_refusal(outline, lesson) if seeker else None
    if refusal is LessonRefusal.NOT_ENROLLED:
        messages.info(request, _("Enrol in this MOOC to follow its lessons."))
        return None, redirect(course.url)
    if refusal is LessonRefusal.WEEK_LOCKED:
        context = {"page": lesson, "course": course, "week": outline.week_of(lesson)}
        return None, private(TemplateResponse(request, "courses/locked.html", context, status=403))
    return outline, None


def _quiz_results(seeker, lesson):
    """{quiz id: result of the seeker's latest attempt} of the lesson's quizzes."""
    if not lesson.has_quiz:
        return {}
    quizzes = lesson.quizzes()
    return {
        quiz_id: grading.grade(quizzes[quiz_id], attempt.chosen)
        for quiz_id, attempt in QuizAttempt.objects.latest_by_quiz(seeker, lesson).items()
        if quiz_id in quizzes
    }


def lesson(request, lesson_page):
    outline, refusal = open_lesson(request, lesson_page)
    if refusal:
        return refusal
    progress = None
    results = {}
    seeker = learner(request.user)
    tracked = seeker is not None and not getattr(request, "is_preview", False)
    if tracked:
        progress = tracking.record_visit(seeker, outline, lesson_page, timezone.now())
        results = _quiz_results(seeker, lesson_page)
    previous, following = outline.neighbours(lesson_page)
    segments = body_segments(request, lesson_page)
    quizzes = lesson_page.quizzes() if any(kind == "quiz" for kind, _value in segments) else {}
    url = lesson_page.get_url(request)  # with the request: the site's root paths are read once
    items = []
    for kind, value in segments:
        if kind == "html":
            items.append({"html": value})
        elif value in quizzes:
            action = url + lesson_page.reverse_subpage("quiz", kwargs={"quiz_id": value})
            items.append(
                {"quiz_id": value, "quiz": quizzes[value], "action": action, "result": results.get(value)}
            )
    context = {
        "course": outline.course,
        "outline": outline,
        "week": outline.week_of(lesson_page),
        "progress": progress,
        "items": items,
        "tracked": tracked,
        "previous": previous,
        "next": following,
        "done_url": url + lesson_page.reverse_subpage("mark_done"),
        "video_url": url + lesson_page.reverse_subpage("video"),
    }
    return private(lesson_page.render(request, context_overrides=context))
