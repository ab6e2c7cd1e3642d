"""The communication team's rights on the agenda: moderators process the ceremony
sign-ups and, with the editors, keep the event categories. Association accounts get
none of these: they only reach their own events, through page permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Communication — rédacteurs"
MODERATORS = "Communication — modérateurs"
RIGHTS = {
    MODERATORS: [
        "view_ceremonyregistration",
        "change_ceremonyregistration",
        "delete_ceremonyregistration",
        "add_eventcategory",
        "change_eventcategory",
        "delete_eventcategory",
    ],
    EDITORS: ["add_eventcategory", "change_eventcategory"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations have run.
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in RIGHTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="events", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in RIGHTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="events", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial"), ("home", "0003_communication_team_groups")]

    operations = [migrations.RunPython(grant, revoke)]
