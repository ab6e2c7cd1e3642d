"""Hours recorded on a mission's English copy move to the French mission, which the
structure reports on (VolunteerHours.count_for_the_french_mission does it from now on)."""

from django.conf import settings
from django.db import migrations


def move_hours_to_the_french_missions(apps, schema_editor):
    VolunteerHours = apps.get_model("benevolat", "VolunteerHours")
    MissionPage = apps.get_model("benevolat", "MissionPage")
    french = {
        mission.translation_key: mission
        for mission in MissionPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
    }
    moved = VolunteerHours.objects.exclude(
        mission__locale__language_code=settings.LANGUAGE_CODE
    ).select_related("mission")
    for hours in moved:
        original = french.get(hours.mission.translation_key)
        if original is not None:
            hours.mission = original
            hours.association_id = original.association_id
            hours.save(update_fields=["mission", "association"])


class Migration(migrations.Migration):
    dependencies = [("benevolat", "0003_validation_communication_workflow")]

    operations = [
        migrations.RunPython(move_hours_to_the_french_missions, migrations.RunPython.noop)
    ]
