"""Human labels for activity verbs.

Verbs are plain strings ("<app>.<event>") so a new app adds events without touching
this app's schema; it registers a translatable label here from its AppConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

_labels = {
    "account.created": _("created their account"),
    "account.logged_in": _("logged in"),
    "web.volunteered": _("volunteered for 100 % web follow-up"),
    "web.validated": _("100 % web follow-up validated"),
    "web.withdrawn": _("returned to traditional follow-up"),
}


def register(verb, label):
    _labels[verb] = label


def label_for(verb):
    return _labels.get(verb, verb)
