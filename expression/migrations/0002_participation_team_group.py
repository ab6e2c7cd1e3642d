from django.contrib.auth.management import create_permissions
from django.db import migrations

# The participation team reads and answers citizens' messages. Only this group (and
# superusers) gets the permissions on messages: the communication team's editors and
# the associations' accounts never read them.
GROUP = "Participation citoyenne — agents"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("expression", "view_submission"),
    ("expression", "change_submission"),
    ("expression", "view_answertemplate"),
    ("expression", "add_answertemplate"),
    ("expression", "change_answertemplate"),
    ("expression", "delete_answertemplate"),
    ("expression", "view_service"),
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations have run.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *(
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in PERMISSIONS
        )
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("expression", "0001_initial"),
        ("home", "0003_communication_team_groups"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
