"""A seeker's mock interviews in their export; erased with their account."""

from core import privacy

from .models import Attempt, ReviewComment, Take


def export(user):
    return {
        "attempts": list(
            Attempt.objects.filter(seeker=user).values(
                "interview__title", "number", "created_at", "submitted_at", "self_assessment", "notes"
            )
        ),
        "takes": list(
            Take.objects.filter(attempt__seeker=user).values(
                "attempt__interview__title",
                "attempt__number",
                "position",
                "question_text",
                "number",
                "created_at",
                "recording",
                "duration",
                "measures",
                "chosen",
                "files_deleted_at",
            )
        ),
        "reviews": list(
            Attempt.objects.filter(seeker=user, review__isnull=False).values(
                "interview__title",
                "number",
                "review__scores",
                "review__advice",
                "review__decision",
                "review__created_at",
            )
        ),
        "review_comments": list(
            ReviewComment.objects.filter(review__attempt__seeker=user).values(
                "review__attempt__interview__title",
                "review__attempt__number",
                "take__position",
                "take__number",
                "at_seconds",
                "text",
            )
        ),
    }


def erase(user):
    """Delete the seeker's attempts (takes, reviews and comments go with them); the
    takes' files leave the storage when the deletion commits (signal_handlers)."""
    Attempt.objects.filter(seeker=user).delete()


privacy.register("interviews", export=export, erase=erase)
