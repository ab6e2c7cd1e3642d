from django.contrib.auth.management import create_permissions
from django.db import migrations

# The fund's team instructs applications and edits the partners. Only this group (and
# superusers) gets the permissions on applications: the communication team's editors
# and the associations' accounts never read them unless given this role.
GROUP = "Fonds d'initiative citoyenne — comité"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("fonds", "view_application"),
    ("fonds", "change_application"),
    ("fonds", "view_partner"),
    ("fonds", "add_partner"),
    ("fonds", "change_partner"),
    ("fonds", "delete_partner"),
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
    # The gallery's photos are chosen from the image library.
    Collection = apps.get_model("wagtailcore", "Collection")
    root = Collection.objects.filter(depth=1).first()
    if root is not None:
        apps.get_model("wagtailcore", "GroupCollectionPermission").objects.get_or_create(
            group=group,
            collection=root,
            permission=Permission.objects.get(
                content_type__app_label="wagtailimages", codename="choose_image"
            ),
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("fonds", "0001_initial"),
        ("home", "0003_communication_team_groups"),
        ("wagtailimages", "0023_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
