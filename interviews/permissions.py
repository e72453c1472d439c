"""Who may see what of a seeker's mock interviews: the one policy module views and
files call.

A seeker sees all their attempts and takes. Their current counsellor (the one whose
portfolio holds them now, `coaching.permissions.visible_seekers`) sees what was sent:
the attempts sent for review and the one take chosen for each question; the other
takes stay the seeker's alone. Nobody else does: not another counsellor, not a team
manager, not an editor or an administrator (recordings show a face and a voice).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

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


def attempt_for_review_or_404(user, attempt_id):
    """The sent attempt `attempt_id` if `user` is its seeker's current counsellor:
    403 for a user who reviews nothing, 404 for an attempt outside their portfolio,
    not sent, or missing (the review page calls this)."""
    if not is_counsellor(user):
        raise PermissionDenied
    return get_object_or_404(
        readable_attempts(user).select_related("interview", "seeker", "review"), pk=attempt_id
    )
