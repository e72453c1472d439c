"""A seeker's mock interviews in their export; erased with their account."""

from pathlib import PurePosixPath

from core import privacy

from .models import Attempt, ReviewComment, Take, TakeTranscript


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
        "transcripts": list(
            TakeTranscript.objects.filter(take__attempt__seeker=user).values(
                "take__attempt__interview__title",
                "take__attempt__number",
                "take__position",
                "take__number",
                "text",
                "corrected_text",
                "words",
                "words_per_minute",
                "fillers",
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


def files(user):
    """Each take's recording as sent, and its MP4 copy when one was made."""
    takes = Take.objects.filter(attempt__seeker=user).select_related("attempt__interview").order_by("pk")
    for take in takes:
        folder = f"entretiens/{take.attempt.interview.title}/essai-{take.attempt.number}"
        stem = f"question-{take.position}-prise-{take.number}"
        for field in (take.recording, take.rendition):
            if field:
                yield privacy.PersonalFile(f"{folder}/{stem}{PurePosixPath(field.name).suffix}", field.name)


def erase(user):
    """Delete the seeker's attempts (takes, reviews and comments go with them); the
    takes' files leave the storage when the deletion commits (signal_handlers)."""
    Attempt.objects.filter(seeker=user).delete()


privacy.register("interviews", export=export, erase=erase, files=files)
