from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AteliersConfig(AppConfig):
    name = "ateliers"
    verbose_name = _("E-ateliers")

    def ready(self):
        from activity import verbs

        verbs.register("atelier.answer_saved", _("worked on an e-atelier"))
        verbs.register("atelier.cv_exported", _("exported their CV"))
        verbs.register("atelier.submitted", _("sent an e-atelier for review"))
        verbs.register("atelier.reviewed", _("received feedback on an e-atelier"))
