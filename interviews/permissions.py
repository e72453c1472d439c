"""Who may see what of a seeker's mock interviews: the one policy module views and
files call.

A seeker sees all their attempts and takes. Their current counsellor (the one whose
portfolio holds them now, `coaching.permissions.visible_seekers`) sees what was sent:
the attempts sent for review and the one take chosen for each question; the other
takes stay the seeker's alone. Nobody else does: not another counsellor, not a team
manager, not an editor or an administrator (recordings show a face and a voice).
"""

from accounts.permissions import is_counsellor, is_seeker
from coaching.permissions import visible_seekers


def _portfolio(user):
    return visible_seekers(user).values("user_id")


def readable_attempts(user):
    """The attempts `user` may read."""
    from .models import Attempt

    if is_seeker(user):
        return Attempt.objects.filter(seeker=user)
    if is_counsellor(user):
        return Attempt.objects.filter(submitted_at__isnull=False, seeker_id__in=_portfolio(user))
    return Attempt.objects.none()


def readable_takes(user):
    """The takes (and so the recordings) `user` may read."""
    from .models import Take

    if is_seeker(user):
        return Take.objects.filter(attempt__seeker=user)
    if is_counsellor(user):
        return Take.objects.filter(
            chosen=True, attempt__submitted_at__isnull=False, attempt__seeker_id__in=_portfolio(user)
        )
    return Take.objects.none()
