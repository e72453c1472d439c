"""Who may do what in the e-ateliers.

Seekers work in any atelier (their own answers only); counsellors and managers read a
seeker's work through the coaching policy (their portfolio, their team), and review
it; everyone else is refused. Views call these functions and nothing else.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from accounts.permissions import STAFF_ROLES
from coaching.permissions import seeker_or_404, visible_seekers


def seeker_only(request):
    """None if the request's user is a seeker; else the response refusing them."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_seeker:
        raise PermissionDenied
    return None


def can_review(user):
    return user.is_authenticated and user.role in STAFF_ROLES


def reviewable_submission_or_404(user, submission_id):
    """The submission `submission_id` if `user` follows its seeker, else 404."""
    from django.shortcuts import get_object_or_404

    from .models import Submission

    if not can_review(user):
        raise PermissionDenied
    submission = get_object_or_404(Submission.objects.select_related("atelier", "seeker"), pk=submission_id)
    seeker_or_404(user, submission.seeker_id)
    return submission


def can_read_seeker_work(user, seeker_id):
    """The seeker themself, or staff who follow them."""
    if user.pk == seeker_id:
        return True
    return user.role in STAFF_ROLES and visible_seekers(user).filter(user_id=seeker_id).exists()
