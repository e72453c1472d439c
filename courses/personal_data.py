"""A seeker's MOOC data in their export; deleted with their account (cascades), the
survey answers kept without their author."""

from core import privacy

from .models import Attestation, Enrolment, LessonProgress, QuizAttempt, SurveyResponse


def export(user):
    return {
        "enrolments": list(
            Enrolment.objects.filter(seeker=user).values("course__title", "enrolled_at", "completed_at")
        ),
        "lessons": list(
            LessonProgress.objects.filter(seeker=user).values(
                "lesson__title", "first_seen_at", "completed_at", "completed_by", "video_percent"
            )
        ),
        "quiz_attempts": list(
            QuizAttempt.objects.filter(seeker=user).values("lesson__title", "score", "passed", "created_at")
        ),
        "attestations": list(
            Attestation.objects.filter(seeker=user).values("code", "course_title", "hours", "completed_on")
        ),
        "survey": list(
            SurveyResponse.objects.filter(seeker=user).values(
                "course__title", "rating", "comment", "created_at"
            )
        ),
    }


def erase(user):
    # Opinions stay in the course's figures, without their author nor their words.
    SurveyResponse.objects.filter(seeker=user).update(seeker=None, comment="")


privacy.register("courses", export=export, erase=erase)
