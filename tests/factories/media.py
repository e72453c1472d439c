"""People of the media library's permission tests."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission

from .accounts import EditorFactory


def collection_media_editor(email="editeur-nord@exemple.test", collection_name="Agence Nord"):
    """An editor who may add, change and delete media in one collection only (instead
    of the "Editors" group's every collection); the collection is `user.collection`."""
    collection = Collection.get_first_root_node().add_child(name=collection_name)
    group = Group.objects.create(name=f"Éditeurs {collection_name}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_media", "change_media", "delete_media"):
        GroupCollectionPermission.objects.create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(content_type__app_label="wagtailmedia", codename=codename),
        )
    user = EditorFactory(email=email)
    user.groups.set([group])
    user.collection = collection
    return user
