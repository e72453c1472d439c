from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "media"
    label = "media"
    verbose_name = _("Video and audio")

    def ready(self):
        from . import signal_handlers  # noqa: F401
