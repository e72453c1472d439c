from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role


def navigation(request):
    """The main navigation for the current user's role."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        if user.role == Role.SEEKER:
            items.append((_("My path"), reverse("coaching:dashboard")))
            items.append((_("My courses"), reverse("courses:my_courses")))
        if user.role in (Role.COUNSELLOR, Role.MANAGER):
            items.append((_("My portfolio"), reverse("coaching:portfolio")))
        # Seekers never reach the admin: no permission queries on their pages.
        if user.role != Role.SEEKER and user.has_perm("wagtailadmin.access_admin"):
            items.append((_("Administration"), reverse("wagtailadmin_home")))
        items.append((_("My account"), reverse("accounts:profile")))
    current = request.path if request is not None else ""
    return {
        "main_navigation": [{"label": label, "url": url, "current": current == url} for label, url in items]
    }
