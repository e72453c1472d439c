"""What a seeker does on a lesson, by POST: marks it done, answers a quiz, reports the
video watched. Each may complete the course (courses.tracking)."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import quiz as grading
from .. import tracking
from ..models import CompletedBy
from ..permissions import lesson_action
from .lessons import open_lesson


def _congratulate(request):
    messages.success(request, _("Congratulations, you completed this MOOC! Your attestation is ready."))


@lesson_action
def mark_done(request, lesson_page):
    outline, refusal = open_lesson(request, lesson_page)
    if refusal:
        return refusal
    if lesson_page.has_quiz:
        messages.error(request, _("Pass the quiz to finish this lesson."))
        return redirect(lesson_page.url)
    if tracking.complete_lesson(request.user, outline, lesson_page, CompletedBy.SEEKER, timezone.now()):
        _congratulate(request)
    _previous, following = outline.neighbours(lesson_page)
    target = following if following is not None and outline.week_of(following).is_open else outline.course
    return redirect(target.url)


@lesson_action
def submit_quiz(request, lesson_page, quiz_id):
    outline, refusal = open_lesson(request, lesson_page)
    if refusal:
        return refusal
    quiz = lesson_page.quizzes().get(quiz_id)
    if quiz is None:
        raise Http404
    chosen = grading.parse_choices(request.POST, quiz_id, quiz)
    result, completed = tracking.submit_quiz(
        request.user, outline, lesson_page, quiz_id, quiz, chosen, timezone.now()
    )
    if completed:
        _congratulate(request)
    if result.passed:
        messages.success(request, _("Quiz passed: %(score)s %% of right answers.") % {"score": result.score})
    else:
        messages.warning(
            request,
            _("%(score)s %% of right answers; %(pass_mark)s %% are needed. Read the feedback and try again.")
            % {"score": result.score, "pass_mark": result.pass_mark},
        )
    # The anchor takes the reader (and the keyboard focus) to the result and its feedback.
    return redirect(f"{lesson_page.url}#quiz-{quiz_id}-result")


@lesson_action
def video_progress(request, lesson_page):
    """The player reports how much of the lesson's video was watched (0–100)."""
    outline, refusal = open_lesson(request, lesson_page)
    if refusal:
        return refusal
    try:
        watched = max(0, min(100, int(request.POST.get("percent", ""))))
    except ValueError:
        return JsonResponse({"error": _("Invalid percentage.")}, status=400)
    percent, done = tracking.record_video(request.user, outline, lesson_page, watched, timezone.now())
    return JsonResponse({"percent": percent, "done": done})
