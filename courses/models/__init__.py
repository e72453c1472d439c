from .learning import Attestation, CompletedBy, Enrolment, LessonProgress, QuizAttempt, SurveyResponse
from .pages import CourseIndexPage, CoursePage, CourseTheme, CourseWeekPage, LessonPage, Pacing

__all__ = [
    "Attestation",
    "CompletedBy",
    "CourseIndexPage",
    "CoursePage",
    "CourseTheme",
    "CourseWeekPage",
    "Enrolment",
    "LessonPage",
    "LessonProgress",
    "Pacing",
    "QuizAttempt",
    "SurveyResponse",
]
