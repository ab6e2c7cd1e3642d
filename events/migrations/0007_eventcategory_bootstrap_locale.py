from django.db import migrations

from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    """The categories written so far are French: each gets the default locale and a
    translation key of its own (Wagtail's documented way to make a model with rows
    translatable), before the next migration makes both required."""

    dependencies = [
        ("events", "0006_eventcategory_locale_fields"),
    ]

    operations = [
        BootstrapTranslatableModel("events.EventCategory"),
    ]
