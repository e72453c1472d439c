"""Who may do what in the e-ateliers: the one policy module views and files call.

Seekers work in any atelier, on their own answers only (views are decorated with
`accounts.permissions.seeker_required`, the project's one seeker check). Counsellors
and managers read a seeker's work and review it through the coaching policy: their
portfolio, their team. Everyone else is refused.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.permissions import follows_seekers
from coaching.permissions import seeker_or_404, visible_seekers


def can_review(user):
    """Counsellors and managers review submissions (of the seekers they follow)."""
    return follows_seekers(user)


def can_read_seeker_work(user, seeker_id):
    """The seeker themself, or staff who follow them."""
    if user.pk == seeker_id:
        return True
    return follows_seekers(user) and visible_seekers(user).filter(user_id=seeker_id).exists()


def reviewable_submission_or_404(user, submission_id):
    """The submission `submission_id` if `user` follows its seeker: 403 for a user who
    reviews nothing, 404 for a submission outside their portfolio."""
    from .models import Submission

    if not can_review(user):
        raise PermissionDenied
    submission = get_object_or_404(Submission.objects.select_related("atelier", "seeker"), pk=submission_id)
    seeker_or_404(user, submission.seeker_id)
    return submission
