"""The seeker's side of a mock interview: the page that presents it (the page model
routes here, interviews/models/pages.py). Recording, sending and the review have
their own views."""

from django.utils.cache import patch_cache_control

from accounts.permissions import is_seeker

from ..models import Attempt


def _private(response):
    """Pages that show one person's work are never stored by a cache."""
    patch_cache_control(response, private=True, no_cache=True, no_store=True, max_age=0)
    return response


def interview_overview(request, page):
    """What the interview is about: introduction, advice, its questions (how many,
    how long); for a seeker, their status and attempts."""
    questions = list(page.questions().values_list("answer_seconds", "think_seconds"))
    context = {
        "question_count": len(questions),
        # Thinking and answering at most, rounded up to the minute.
        "longest_minutes": -(-sum(answer + think for answer, think in questions) // 60),
        "is_seeker": is_seeker(request.user),
    }
    if context["is_seeker"]:
        context["progress"] = page.progress_for(request.user)
        context["attempts"] = list(
            Attempt.objects.filter(seeker=request.user, interview=page)
            .with_answered()
            .select_related("review")
            .order_by("-number")
        )
    response = page.render(request, context_overrides=context)
    return _private(response) if request.user.is_authenticated else response
