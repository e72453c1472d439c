from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "contact"
    verbose_name = _("Keeping in touch")

    def ready(self):
        from activity import verbs
        from core import conversations

        from . import signal_handlers  # noqa: F401  (connects them)
        from .messages import MessagesSource

        verbs.register("message.sent", _("message sent"))
        # The navigation's badge and the portfolio's column read messages through it.
        conversations.register(MessagesSource())

        verbs.register("appointment.booked", _("appointment booked"))
        verbs.register("appointment.moved", _("appointment moved"))
        verbs.register("appointment.cancelled", _("appointment cancelled"))
        verbs.register("appointment.missed", _("appointment missed"))
