from django.contrib.auth.management import create_permissions
from django.db import migrations

# The communication team: editors draft pages and submit them for moderation;
# moderators also publish. Wagtail's default "Editors" and "Moderators" groups
# become these two (the default moderation workflow keeps pointing at the
# moderators), with only the permissions each role needs.
EDITORS = "Communication — rédacteurs"
MODERATORS = "Communication — modérateurs"

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
MODERATOR_PAGE_PERMISSIONS = [*EDITOR_PAGE_PERMISSIONS, "publish_page", "lock_page", "unlock_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
MODERATOR_EXTRA = [("home", "change_communesettings")]


def permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    access_admin = permission(apps, "wagtailadmin", "access_admin")

    for old_name, name, page_permissions, extra in [
        ("Editors", EDITORS, EDITOR_PAGE_PERMISSIONS, []),
        ("Moderators", MODERATORS, MODERATOR_PAGE_PERMISSIONS, MODERATOR_EXTRA),
    ]:
        group = (
            Group.objects.filter(name=old_name).first() or Group.objects.get_or_create(name=name)[0]
        )
        group.name = name
        group.save()
        group.permissions.set(
            [access_admin, *(permission(apps, app, codename) for app, codename in extra)]
        )
        GroupPagePermission.objects.filter(group=group).delete()
        GroupCollectionPermission.objects.filter(group=group).delete()
        if root_page is not None:
            for codename in page_permissions:
                GroupPagePermission.objects.create(
                    group=group,
                    page=root_page,
                    permission=permission(apps, "wagtailcore", codename),
                )
        if root_collection is not None:
            for app, codename in EDITOR_COLLECTION_PERMISSIONS:
                GroupCollectionPermission.objects.create(
                    group=group,
                    collection=root_collection,
                    permission=permission(apps, app, codename),
                )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_french_search_configuration"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
