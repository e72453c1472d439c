"""What a role lets a person into: the predicates and view decorators every app uses.

Roles are checked here and nowhere else: apps ask `is_seeker(user)` or decorate a view
with `seeker_required`, and keep their own finer rules (whose portfolio, whose file) in
their own `permissions.py`. A visitor who is not logged in is sent to the log-in page;
a logged-in user with another role gets 403.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import Role

#: Roles that follow seekers: counsellors (their portfolio) and managers (their team's).
STAFF_ROLES = (Role.COUNSELLOR, Role.MANAGER)


def is_seeker(user):
    return user.is_authenticated and user.is_seeker


def is_counsellor(user):
    return user.is_authenticated and user.role == Role.COUNSELLOR


def is_manager(user):
    return user.is_authenticated and user.role == Role.MANAGER


def follows_seekers(user):
    """Counsellors and managers: the people who work in the coaching workspace."""
    return user.is_authenticated and user.role in STAFF_ROLES


def may_enter_admin(user):
    """Editors, administrators, anyone Wagtail lets into its admin. Seekers never: their
    pages then cost no permission query."""
    return user.is_authenticated and user.role != Role.SEEKER and user.has_perm("wagtailadmin.access_admin")


def role_required(*roles):
    """Let in only users with one of `roles`; others get the log-in page or 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


seeker_required = role_required(Role.SEEKER)
staff_required = role_required(*STAFF_ROLES)
