from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import follows_seekers, is_seeker, may_enter_admin


def navigation(request):
    """The main navigation for the current user's role."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        if is_seeker(user):
            items.append((_("My path"), reverse("coaching:dashboard")))
            items.append((_("My courses"), reverse("courses:my_courses")))
        if follows_seekers(user):
            items.append((_("My portfolio"), reverse("coaching:portfolio")))
        if may_enter_admin(user):
            items.append((_("Administration"), reverse("wagtailadmin_home")))
        items.append((_("My account"), reverse("accounts:profile")))
    current = request.path if request is not None else ""
    return {
        "main_navigation": [{"label": label, "url": url, "current": current == url} for label, url in items]
    }
