from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Tremplin core")

    def ready(self):
        from . import converters, lookups, postgres_timestamps, resumable  # noqa: F401 - resumable connects its signal

        converters.register()
        lookups.register()
        postgres_timestamps.register()
        # Each app declares its personal data in <app>/personal_data.py, and who may
        # read its private files in <app>/private_files.py.
        autodiscover_modules("personal_data", "private_files")
