import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation


class Command(BaseCommand):
    help = (
        "Create Tremplin's demo content and accounts. Idempotent: run it again to "
        "restore the demo. Each app contributes through its own demo.py."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_CONTENT_ALLOWED:
            raise CommandError("seed_demo refuses to run here: demo accounts have a public password.")
        translation.activate(settings.LANGUAGE_CODE)
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                importlib.import_module(module_name).seed(self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
