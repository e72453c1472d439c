"""A deleted take's files leave the private storage once the deletion is committed
(whatever deleted it: the seeker, a cascade from the attempt, the page or the account);
a rolled-back deletion keeps them."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from core.private_media import private_storage

from .models import Take


@receiver(post_delete, sender=Take, dispatch_uid="interviews_take_files")
def delete_take_files(sender, instance, **kwargs):
    names = instance.stored_names()
    if names:
        transaction.on_commit(lambda: delete_files(names))


def delete_files(names):
    storage = private_storage()
    for name in names:
        storage.delete(name)
