from .questions import InterviewQuestion, JobFamily, QuestionSet, Rubric, RubricCriterion

__all__ = [
    "InterviewQuestion",
    "JobFamily",
    "QuestionSet",
    "Rubric",
    "RubricCriterion",
]
