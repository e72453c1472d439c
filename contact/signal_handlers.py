"""A seeker's conversation gets a new version (contact.poll_versions) with every save or
deletion of their profile, whatever made it: a reassignment in the workspace, the admin,
an import. A former counsellor's page then goes through the permission check again."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import SeekerProfile

from . import poll_versions


@receiver(post_save, sender=SeekerProfile, dispatch_uid="contact_poll_profile_saved")
@receiver(post_delete, sender=SeekerProfile, dispatch_uid="contact_poll_profile_deleted")
def profile_changed(sender, instance, **kwargs):
    poll_versions.changed(instance.user_id)
