from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import conversations

from .permissions import follows_seekers, is_counsellor, is_seeker, may_enter_admin


def navigation(request):
    """The main navigation for the current user's role. A seeker's "My messages" comes
    from the app that carries messages (core.conversations), with their unread count."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        if is_seeker(user):
            items.append((_("My path"), _url("coaching:dashboard"), 0))
            items.append((_("My courses"), _url("courses:my_courses"), 0))
            source = conversations.source()
            if source is not None:
                items.append((_("My messages"), source.seeker_url(), source.unread_for_seeker(user)))
            items.append((_("My appointments"), _url("contact:my_appointments"), 0))
        if follows_seekers(user):
            items.append((_("My portfolio"), _url("coaching:portfolio"), 0))
        if is_counsellor(user):
            items.append((_("My agenda"), _url("contact:agenda"), 0))
        if may_enter_admin(user):
            items.append((_("Administration"), _url("wagtailadmin_home"), 0))
        items.append((_("My account"), _url("accounts:profile"), 0))
    current = request.path if request is not None else ""
    return {
        "main_navigation": [
            {"label": label, "url": url, "current": current == url, "unread": unread}
            for label, url, unread in items
        ]
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
