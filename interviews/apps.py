from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Mock interviews")

    def ready(self):
        from activity import verbs

        from . import recordings, signal_handlers  # noqa: F401

        recordings.register()
        verbs.register("interview.submitted", _("sent a mock interview for review"))
        verbs.register("interview.take_deleted", _("deleted a mock interview recording"))
        verbs.register("interview.attempt_deleted", _("deleted a mock interview attempt"))
        verbs.register("interview.reviewed", _("received a review of a mock interview"))
        verbs.register(
            "interview.recording_expired", _("a mock interview recording reached its retention limit")
        )
