"""The polls' cached follower (contact.poll_versions) follows every save of a seeker's
profile, whatever saved it: a reassignment in the workspace, the admin, an import."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import SeekerProfile

from . import poll_versions


@receiver(post_save, sender=SeekerProfile, dispatch_uid="contact_poll_follower")
def profile_saved(sender, instance, **kwargs):
    poll_versions.follower_changed(instance.user_id, instance.counsellor_id)


@receiver(post_delete, sender=SeekerProfile, dispatch_uid="contact_poll_follower_gone")
def profile_deleted(sender, instance, **kwargs):
    poll_versions.follower_changed(instance.user_id, None)
