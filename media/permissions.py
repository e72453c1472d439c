"""Who may do what with the media library: the one place its rules are written.

The media app is the lowest layer of Tremplin (like wagtail.images): it knows no role.
Its rules rest on Wagtail's own permissions only:

- wagtailmedia's collection policy for assets (add, change, delete, granted to groups
  per collection, the uploader keeping their own): uploading is "add"; editing an
  asset, retrying its processing, seeing where it is used and managing its captions
  are "change" on that asset;
- captions follow their video (`CaptionPermissionPolicy`);
- ffmpeg's log is for superusers (administrators).

Renditions, posters and captions are public files under MEDIA_ROOT (nginx serves
them with year-long cache headers): no rule guards reading them.
"""

from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import policy_registry

from .models import Asset, Caption


def asset_policy():
    """wagtailmedia's permission policy for Asset (read from Wagtail's registry when
    asked: it is registered once the apps are ready)."""
    return policy_registry.get_by_type(Asset)


def may_change_asset(user, asset):
    """Edit `asset`, retry its processing, see where it is used, manage its captions."""
    return asset_policy().user_has_permission_for_instance(user, "change", asset)


def assets_user_may_change(user):
    return asset_policy().instances_user_has_permission_for(user, "change")


def captions_user_may_manage(user):
    """Captions belong to their video: whoever may change the video manages them."""
    return Caption.objects.filter(asset__in=assets_user_may_change(user))


def may_read_processing_log(user):
    """ffmpeg's output (paths, versions, the file's metadata) is for administrators."""
    return user.is_superuser


class CaptionPermissionPolicy(BasePermissionPolicy):
    """Captions follow their video: whoever may change a video manages its captions.

    Registered (media.wagtail_hooks) before any view asks, as Wagtail 8 requires, so
    no Caption model permission is ever consulted or offered in the group editor.
    """

    def __init__(self):
        super().__init__(Caption)

    def user_has_permission(self, user, action):
        return asset_policy().user_has_permission(user, "change")

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, "change")

    def users_with_any_permission(self, actions):
        return asset_policy().users_with_any_permission(["change"])

    def user_has_permission_for_instance(self, user, action, instance):
        return may_change_asset(user, instance.asset)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_permission_for_instance(user, "change", instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return captions_user_may_manage(user)

    def users_with_any_permission_for_instance(self, actions, instance):
        return asset_policy().users_with_any_permission_for_instance(["change"], instance.asset)
