from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0010_page_url_path_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="communesettings",
            name="department",
            field=models.CharField(
                blank=True,
                help_text="e.g. Maine-et-Loire",
                max_length=100,
                verbose_name="département",
            ),
        ),
        migrations.AddField(
            model_name="communesettings",
            name="postal_code",
            field=models.CharField(
                blank=True,
                help_text="Given with the places of the agenda's events to search engines.",
                max_length=10,
                verbose_name="postal code",
            ),
        ),
    ]
