"""Who may see what in the coaching area: the one permission policy of this app.

A seeker sees only their own file; a counsellor only the seekers in their
portfolio; a team manager the portfolios of their team's counsellors. Views call
these functions; a seeker outside the caller's reach is answered with 404, never
with a hint that it exists.
"""

from django.shortcuts import get_object_or_404

from accounts.models import Role, SeekerProfile, User


def visible_seekers(user):
    """The seeker profiles `user` may look at."""
    profiles = SeekerProfile.objects.select_related("user")
    if user.role == Role.COUNSELLOR:
        return profiles.filter(counsellor=user)
    if user.role == Role.MANAGER:
        return profiles.filter(counsellor__counsellor_profile__team__manager=user)
    if user.role == Role.SEEKER:
        return profiles.filter(user=user)
    return profiles.none()


def seeker_or_404(user, seeker_id):
    """The SeekerProfile of user `seeker_id` if `user` may see it, else 404."""
    return get_object_or_404(visible_seekers(user), user_id=seeker_id)


def can_reassign(user):
    """Team managers move seekers between their team's portfolios."""
    return user.role == Role.MANAGER


def assignable_counsellors(user):
    """The counsellors `user` may put a seeker with: a manager's team."""
    if user.role != Role.MANAGER:
        return User.objects.none()
    return User.objects.filter(role=Role.COUNSELLOR, counsellor_profile__team__manager=user).order_by(
        "last_name", "first_name"
    )
