from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .permissions import follows_seekers, is_counsellor, is_seeker, may_enter_admin


def navigation(request):
    """The main navigation for the current user's role."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        if is_seeker(user):
            items.append((_("My path"), _url("coaching:dashboard")))
            items.append((_("My courses"), _url("courses:my_courses")))
            items.append((_("My appointments"), _url("contact:my_appointments")))
        if follows_seekers(user):
            items.append((_("My portfolio"), _url("coaching:portfolio")))
        if is_counsellor(user):
            items.append((_("My agenda"), _url("contact:agenda")))
        if may_enter_admin(user):
            items.append((_("Administration"), _url("wagtailadmin_home")))
        items.append((_("My account"), _url("accounts:profile")))
    current = request.path if request is not None else ""
    return {
        "main_navigation": [{"label": label, "url": url, "current": current == url} for label, url in items]
    }


def _url(name):
    """reverse(name), remembered per language (i18n_patterns), script prefix and URLconf:
    reversing walks the URLconf, on every page, for a handful of answers per process."""
    return _reversed(name, get_language(), get_script_prefix(), get_urlconf())


@cache
def _reversed(name, _language, _script_prefix, urlconf):
    return reverse(name, urlconf=urlconf)


@receiver(setting_changed)
def _forget_reversed(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()
