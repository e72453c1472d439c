from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("Coaching")

    def ready(self):
        from activity import verbs

        verbs.register("assignment.created", _("was assigned a module"))
        verbs.register("assignment.cancelled", _("assignment cancelled"))
        verbs.register("follow_up.counsellor_changed", _("counsellor changed"))
        verbs.register("contact.logged", _("contact with the counsellor"))
        verbs.register("request.traditional", _("asked to return to traditional follow-up"))
        verbs.register("request.in_person", _("asked for an in-person interview"))
        verbs.register("request.callback", _("asked to be called back"))
        verbs.register("request.handled", _("request handled"))
