"""Wagtail names the root of the page tree and the root of the collections "Root",
which the page chooser, the move screen, the image upload and the groups'
permissions show: they take the site's name instead, what the staff know the whole
as."""

from django.conf import settings
from django.db import migrations


def name_the_roots(apps, schema_editor):
    name = settings.WAGTAIL_SITE_NAME
    apps.get_model("wagtailcore", "Page").objects.filter(depth=1, title="Root").update(
        title=name, draft_title=name
    )
    apps.get_model("wagtailcore", "Collection").objects.filter(depth=1, name="Root").update(
        name=name
    )


def back_to_root(apps, schema_editor):
    name = settings.WAGTAIL_SITE_NAME
    apps.get_model("wagtailcore", "Page").objects.filter(depth=1, title=name).update(
        title="Root", draft_title="Root"
    )
    apps.get_model("wagtailcore", "Collection").objects.filter(depth=1, name=name).update(
        name="Root"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0014_merge_20261201_1522"),
    ]

    operations = [migrations.RunPython(name_the_roots, back_to_root)]
