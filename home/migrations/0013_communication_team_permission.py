"""The communication team's own part of the admin: a page's address, search engines
and menus, and the site's reports. Its two groups get the permission; association
members' groups never do, so their editor shows only what they write."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Communication — rédacteurs", "Communication — modérateurs"]


def team_permission(apps):
    # Permissions are normally created after all migrations have run.
    app_config = apps.get_app_config("home")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label="home", codename="communication_team")


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permission = team_permission(apps)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permission = team_permission(apps)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0012_communication_team_translates"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="homepage",
            options={
                "permissions": [
                    (
                        "communication_team",
                        "Works in the communication team (page addresses, menus, reports)",
                    )
                ],
                "verbose_name": "home page",
                "verbose_name_plural": "home pages",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
