# Editors write the question sets and assessment grids of the mock interviews: the
# "Editors" group gets their add, change and delete permissions, as wagtailmedia's own
# 0002_initial_data gives it the media library's. Permissions are created here when
# they do not exist yet (on a new database, post_migrate creates them only at the end).

from django.db import migrations

MODELS = {"questionset": "question set", "rubric": "rubric"}
ACTIONS = ("add", "change", "delete")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = []
    for model, name in MODELS.items():
        content_type, _created = ContentType.objects.get_or_create(app_label="interviews", model=model)
        for action in ACTIONS:
            permission, _created = Permission.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{model}", defaults={"name": f"Can {action} {name}"}
            )
            permissions.append(permission)
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = Permission.objects.filter(
        content_type__app_label="interviews",
        codename__in=[f"{action}_{model}" for model in MODELS for action in ACTIONS],
    )
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),  # creates the "Editors" group
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
