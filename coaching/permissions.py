"""Who may see and do what in the coaching area: the one permission policy of this app.

A seeker sees only their own file; a counsellor only the seekers in their
portfolio; a team manager the portfolios of their team's counsellors. Views call
these functions; a seeker outside the caller's reach is answered with 404, never
with a hint that it exists. Roles themselves are read through `accounts.permissions`.
"""

from django.shortcuts import get_object_or_404

from accounts.models import Role, SeekerProfile, User
from accounts.permissions import is_counsellor, is_manager, is_seeker


def visible_seekers(user):
    """The seeker profiles `user` may look at."""
    profiles = SeekerProfile.objects.select_related("user")
    if is_counsellor(user):
        return profiles.filter(counsellor=user)
    if is_manager(user):
        return profiles.filter(counsellor__counsellor_profile__team__manager=user)
    if is_seeker(user):
        return profiles.filter(user=user)
    return profiles.none()


def seeker_or_404(user, seeker_id):
    """The SeekerProfile of user `seeker_id` if `user` may see it, else 404."""
    return get_object_or_404(visible_seekers(user), user_id=seeker_id)


def holds_portfolio(user):
    """Counsellors hold a portfolio of their own (with caps); managers look at their
    team's, and a manager's lists say who follows each seeker."""
    return is_counsellor(user)


def can_assign(user):
    """Assigning modules is the counsellor's, to the seekers of their portfolio."""
    return is_counsellor(user)


def can_add_seekers(user):
    """A counsellor takes a seeker without a counsellor into their portfolio."""
    return is_counsellor(user)


def can_validate_web(user):
    """The counsellor validates their seekers' requests for the 100 % web follow-up."""
    return is_counsellor(user)


def can_reassign(user):
    """Team managers move seekers between their team's portfolios."""
    return is_manager(user)


def assignable_counsellors(user):
    """The counsellors `user` may put a seeker with: a manager's team."""
    if not can_reassign(user):
        return User.objects.none()
    return User.objects.filter(role=Role.COUNSELLOR, counsellor_profile__team__manager=user).order_by(
        "last_name", "first_name"
    )
