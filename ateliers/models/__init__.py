from .pages import AtelierIndexPage, AtelierKind, AtelierPage, AtelierStepPage
from .work import Answer, CVExport, CVTemplate, Submission, SubmissionStatus, SubmittedFile

__all__ = [
    "Answer",
    "AtelierIndexPage",
    "AtelierKind",
    "AtelierPage",
    "AtelierStepPage",
    "CVExport",
    "CVTemplate",
    "Submission",
    "SubmissionStatus",
    "SubmittedFile",
]
