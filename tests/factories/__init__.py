from .accounts import (
    CounsellorFactory,
    EditorFactory,
    ManagerFactory,
    SeekerFactory,
    TeamFactory,
    UserFactory,
)

__all__ = [
    "CounsellorFactory",
    "EditorFactory",
    "ManagerFactory",
    "SeekerFactory",
    "TeamFactory",
    "UserFactory",
]
