"""What a role grants beyond Tremplin's own views.

Editors and administrators work in the Wagtail admin; Wagtail decides who may do
what there through its groups, so a role is mirrored into the matching group.
"""

from django.contrib.auth.models import Group

from .models import Role

EDITORS_GROUP = "Editors"


def sync_role(user):
    """Give `user` the profile, flags and groups their role needs. Idempotent."""
    from .models import CounsellorProfile, SeekerProfile

    if user.role == Role.SEEKER:
        SeekerProfile.objects.get_or_create(user=user)
    elif user.role in (Role.COUNSELLOR, Role.MANAGER):
        CounsellorProfile.objects.get_or_create(user=user)

    editors = Group.objects.filter(name=EDITORS_GROUP).first()
    if editors is not None:
        if user.role == Role.EDITOR:
            user.groups.add(editors)
        else:
            user.groups.remove(editors)

    is_admin = user.role == Role.ADMIN
    if user.is_superuser != is_admin or user.is_staff != is_admin:
        type(user).objects.filter(pk=user.pk).update(is_superuser=is_admin, is_staff=is_admin)
        user.is_superuser = user.is_staff = is_admin
