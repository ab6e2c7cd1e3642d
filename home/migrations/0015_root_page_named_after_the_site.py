"""Wagtail names the tree's root page "Root", which the page chooser and the move
screen show at their top level: it takes the site's name instead, what the staff
know the whole tree as."""

from django.conf import settings
from django.db import migrations


def name_the_root(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title="Root").update(
        title=settings.WAGTAIL_SITE_NAME, draft_title=settings.WAGTAIL_SITE_NAME
    )


def back_to_root(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=settings.WAGTAIL_SITE_NAME).update(
        title="Root", draft_title="Root"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0014_merge_20261201_1522"),
    ]

    operations = [migrations.RunPython(name_the_root, back_to_root)]
