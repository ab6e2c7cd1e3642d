"""Reading the plan d'actions from its data file (actions/data/plan.yaml), a
faithful transcription of the document the commune adopted in June 2022."""

import re
from pathlib import Path

from django.utils.html import escape

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
PLAN_FILE = DATA_DIR / "plan.yaml"
THEMES_FILE = DATA_DIR / "themes.yaml"

# "cf. action n°28" in a context: the plan's own cross-references.
ACTION_REFERENCE = re.compile(r"action\s*n\s*°\s*(\d+)", re.IGNORECASE)
YEAR = re.compile(r"\b(20\d\d)\b")


def load_plan(path=PLAN_FILE):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["actions"]


def load_themes(path=THEMES_FILE):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["themes"]


def _inline(text):
    """Escape a paragraph of the plan, keeping its **bold** markers as <b>."""
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escape(text))


def context_html(paragraphs):
    """The context paragraphs as rich text; lines starting with "- " form a list."""
    html, items = [], []
    for paragraph in paragraphs:
        if paragraph.startswith("- "):
            items.append(f"<li>{_inline(paragraph[2:])}</li>")
            continue
        if items:
            html.append("<ul>" + "".join(items) + "</ul>")
            items = []
        html.append(f"<p>{_inline(paragraph)}</p>")
    if items:
        html.append("<ul>" + "".join(items) + "</ul>")
    return "".join(html)


def summary(paragraphs, limit=300):
    """The first sentence of the context, as the plan words it."""
    if not paragraphs:
        return ""
    first = paragraphs[0].replace("**", "")
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    return sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def referenced_actions(action):
    return sorted(
        {
            int(number)
            for paragraph in action["context"]
            for number in ACTION_REFERENCE.findall(paragraph)
        }
        - {action["number"]}
    )


def is_postponed(action):
    """The plan's échéance notes say when an action was put off ("Report à 2024…",
    "Reporté à 2023…")."""
    return action["deadline_note"].lower().startswith("report")


def deadline_year(action):
    match = YEAR.search(action["deadline_note"])
    return match.group(1) if match else ""
