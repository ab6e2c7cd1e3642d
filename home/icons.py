"""The site's pictograms (Tabler Icons, MIT, gathered in static_src/img/icons.svg by
tools/vendor_assets.py) and the tones a pictogram is shown on when a card has no
picture. Themes, event categories and fields of activity choose one pictogram each;
its tone comes with it, so that a category keeps one colour across the site."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tone:
    """CSS classes `tone-<name>`; white text and pictograms on each colour reach
    4.5:1 or more (WCAG AA)."""

    TEAL = "teal"
    GREEN = "green"
    PLUM = "plum"
    ORANGE = "orange"
    BLUE = "blue"
    RED = "red"
    OCHRE = "ochre"


# The pictograms an editor may choose, with the tone each is shown on.
PICTOGRAMS = {
    "basket": (_("Basket (markets, shops)"), Tone.ORANGE),
    "confetti": (_("Confetti (festivities)"), Tone.ORANGE),
    "music": (_("Music (concerts, shows)"), Tone.PLUM),
    "palette": (_("Palette (culture, arts)"), Tone.PLUM),
    "book": (_("Book (library, reading)"), Tone.PLUM),
    "ball": (_("Ball (sport)"), Tone.BLUE),
    "bike": (_("Bike (mobility, outings)"), Tone.BLUE),
    "tree": (_("Trees (nature)"), Tone.GREEN),
    "leaf": (_("Leaf (environment, transition)"), Tone.GREEN),
    "recycle": (_("Recycling"), Tone.GREEN),
    "users": (_("People (meetings, living together)"), Tone.TEAL),
    "speaker": (_("Loudspeaker (dialogue, information)"), Tone.TEAL),
    "message": (_("Speech bubble (expression)"), Tone.TEAL),
    "town-hall": (_("Town hall (governance)"), Tone.BLUE),
    "building": (_("Buildings (services, local life)"), Tone.TEAL),
    "tools": (_("Tools (workshops)"), Tone.OCHRE),
    "hand-heart": (_("Helping hands (solidarity, volunteering)"), Tone.RED),
    "heart": (_("Heart"), Tone.RED),
    "baby": (_("Pram (childhood)"), Tone.OCHRE),
    "school": (_("School (youth)"), Tone.OCHRE),
    "old": (_("Walking stick (seniors)"), Tone.OCHRE),
    "flag": (_("Flag (ceremonies)"), Tone.BLUE),
    "star": (_("Star"), Tone.ORANGE),
    "calendar": (_("Calendar"), Tone.TEAL),
}
DEFAULT_PICTOGRAM = "calendar"

PICTOGRAM_CHOICES = [(name, label) for name, (label, tone) in PICTOGRAMS.items()]


def tone_of(pictogram):
    return PICTOGRAMS.get(pictogram, PICTOGRAMS[DEFAULT_PICTOGRAM])[1]


class PictogramField(models.CharField):
    """The pictogram of a theme, a category or a field of activity."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", _("pictogram"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("choices", PICTOGRAM_CHOICES)
        kwargs.setdefault("default", DEFAULT_PICTOGRAM)
        kwargs.setdefault("help_text", _("Shown with its colour on cards that have no picture."))
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        # The choices live here: a new pictogram needs no migration.
        kwargs.pop("choices", None)
        return name, path, args, kwargs
