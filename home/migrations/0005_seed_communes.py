from django.db import migrations

COMMUNES = [
    ("Andard", "andard"),
    ("Bauné", "baune"),
    ("Brain-sur-l'Authion", "brain-sur-l-authion"),
    ("Corné", "corne"),
    ("La Bohalle", "la-bohalle"),
    ("La Daguenière", "la-dagueniere"),
    ("Saint-Mathurin-sur-Loire", "saint-mathurin-sur-loire"),
]


def seed(apps, schema_editor):
    Commune = apps.get_model("home", "Commune")
    for order, (name, slug) in enumerate(COMMUNES):
        Commune.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("home", "0004_commune")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
