from .attempts import Attempt, Decision, Review, ReviewComment, Take
from .pages import InterviewLevel, MockInterviewIndexPage, MockInterviewPage
from .questions import InterviewQuestion, JobFamily, QuestionSet, Rubric, RubricCriterion
from .transcripts import TakeTranscript, TranscriptStatus

__all__ = [
    "Attempt",
    "Decision",
    "InterviewLevel",
    "InterviewQuestion",
    "JobFamily",
    "MockInterviewIndexPage",
    "MockInterviewPage",
    "QuestionSet",
    "Review",
    "ReviewComment",
    "Rubric",
    "RubricCriterion",
    "Take",
    "TakeTranscript",
    "TranscriptStatus",
]
