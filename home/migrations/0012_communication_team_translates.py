"""The communication team translates pages into English: editors submit a page for
translation and translate it, moderators also publish the translation.

wagtail-localize gives its "submit translation" permission to Wagtail's default
"Editors" and "Moderators" groups, but 0003 renamed those groups and reset their
permissions, so only superusers could reach "Traduire cette page"."""

from django.db import migrations

GROUPS = ["Communication — rédacteurs", "Communication — modérateurs"]


def submit_translation(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    # wagtail-localize hangs the permission on a content type of its own, as here.
    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    return Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )[0]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permission = submit_translation(apps)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permission = submit_translation(apps)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0011_communesettings_postal_address"),
        ("wagtail_localize", "0006_create_submit_translation_permission"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
