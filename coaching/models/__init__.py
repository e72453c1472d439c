from .assignments import Assignment, AssignmentStatus
from .follow_up import (
    Contact,
    ContactChannel,
    ContactOutcome,
    FollowUp,
    Note,
    SeekerRequest,
    SeekerRequestKind,
)

__all__ = [
    "Assignment",
    "AssignmentStatus",
    "Contact",
    "ContactChannel",
    "ContactOutcome",
    "FollowUp",
    "Note",
    "SeekerRequest",
    "SeekerRequestKind",
]
