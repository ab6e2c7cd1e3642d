"""The plan d'actions in the demo: the 31 pages from the data file, and some
progress on a few of them so that the overview, timelines and charts look real."""

import datetime
import uuid

from django.core.management import call_command

from home.demo_translations import translate_snippets

from .blocks import StepStatus
from .models import ActionPage, Theme

# Demo progress (not the commune's real figures): statuses of the first steps and
# monthly measurements of the first indicator.
DEMO_PROGRESS = {
    1: {"steps": [StepStatus.DONE, StepStatus.DONE, StepStatus.DONE, StepStatus.IN_PROGRESS]},
    2: {
        "steps": [StepStatus.DONE, StepStatus.DONE, StepStatus.IN_PROGRESS],
        "measurements": [12, 15, 14, 18, 21, 19, 23],
        "target": 25,
        "unit": "participants",
    },
    4: {
        "steps": [StepStatus.IN_PROGRESS],
        "measurements": [35, 42, 28, 51, 60, 48],
        "unit": "personnes",
    },
    13: {"steps": [StepStatus.DONE, StepStatus.DONE]},
    17: {"steps": [StepStatus.DONE, StepStatus.IN_PROGRESS]},
    30: {"steps": [StepStatus.ABANDONED]},
}

# Indicators the site measures itself (actions.sources): the keys the apps register.
DEMO_SOURCES = {
    19: {
        "Nombre de demandes": "fonds.applications",
        "Projets soutenus grâce au fonds": "fonds.granted",
    },
}


def tie_sources(stdout):
    for number, sources in DEMO_SOURCES.items():
        page = ActionPage.objects.filter(number=number, locale__language_code="fr").first()
        if page is None or page.revisions.count() > 1:
            continue
        indicators = page.indicators.raw_data
        for indicator in indicators:
            source = sources.get(indicator["value"]["name"])
            if source:
                indicator["value"]["source"] = source
        page.indicators = indicators
        page.save_revision().publish()
        stdout.write(f"Indicateurs calculés par le site reliés à l'action {number}.")


def load(stdout):
    call_command("import_plan", stdout=stdout)
    for number, progress in DEMO_PROGRESS.items():
        page = ActionPage.objects.filter(number=number, locale__language_code="fr").first()
        # Only on pages nobody has touched since the import (one revision).
        if page is None or page.steps_done or page.revisions.count() > 1:
            continue
        steps = page.steps.raw_data
        for step, status in zip(steps, progress["steps"], strict=False):
            step["value"]["status"] = status
        page.steps = steps
        if "measurements" in progress and len(page.indicators):
            indicators = page.indicators.raw_data
            start = datetime.date(2025, 1, 1)
            indicators[0]["value"]["unit"] = progress.get("unit", "")
            indicators[0]["value"]["target"] = progress.get("target")
            indicators[0]["value"]["measurements"] = [
                {
                    # ListBlock items need their id, or Wagtail reads them as an old format.
                    "type": "item",
                    "id": str(uuid.uuid4()),
                    "value": {
                        "date": (start + datetime.timedelta(days=61 * position)).isoformat(),
                        "value": value,
                        "comment": "",
                    },
                }
                for position, value in enumerate(progress["measurements"])
            ]
            page.indicators = indicators
        page.save_revision().publish()
        stdout.write(f"Avancement de démonstration ajouté à l'action {number}.")
    tie_sources(stdout)
    translate_snippets(
        Theme.objects.filter(locale__language_code="fr"),
        {
            slug: {"name": name, "description": description}
            for slug, (name, description) in THEMES_IN_ENGLISH.items()
        },
        "Thème « {name} » traduit en anglais.",
        stdout,
    )


# The themes in English, as the team would translate the snippets in wagtail-localize:
# the English site then names them in English, the rest of the plan staying French.
THEMES_IN_ENGLISH = {
    "gouvernance": (
        "Governance of participation",
        "The bodies and means that steer the citizen project.",
    ),
    "dialogue": (
        "Dialogue and citizens' voice",
        "Meeting, listening, answering: the tools of dialogue between residents, "
        "councillors and departments.",
    ),
    "enfance-jeunesse": (
        "Children and young people",
        "Involving children and young people in the life of the commune.",
    ),
    "vie-associative": (
        "Associations, culture and volunteering",
        "Supporting associations, volunteers and residents' initiatives.",
    ),
    "vivre-ensemble": (
        "Living together and local services",
        "Welcoming, meeting, feeling safe, celebrating citizenship.",
    ),
    "transition": (
        "Ecological transition and local economy",
        "Cooperative mobility, local businesses and the ecological transition.",
    ),
}
