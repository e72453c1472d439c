from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .roles import sync_role


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_sync_role")
def user_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # A login only touches last_login: no need to look at the role again.
    if raw or (update_fields is not None and "role" not in update_fields):
        return
    sync_role(instance)
