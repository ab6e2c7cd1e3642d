"""Associations and the espace ressources bénévolat (plan actions 17 and 21).

The tree: the association directory and the missions listing sit under the home
page; each association's page holds its missions (and its events). Missions of the
CCAS and of the mairie sit directly under the listing. Volunteer requests and the
hours given are plain models, processed in the admin (see wagtail_hooks.py).

One module per domain; the public API is gathered here, so that
`from bénévolat.models import X` does not depend on where X lives.
"""

from ..emails import ANSWER_WITHIN_DAYS
from .associations import (
    DIRECTORY_PAGE_SIZE,
    RICH_TEXT_FEATURES,
    ActivityField,
    AssociationIndexPage,
    AssociationPage,
)
from .hours import VolunteerHours
from .missions import (
    MISSIONS_PAGE_SIZE,
    MissionIndexPage,
    MissionPage,
    MissionPageQuerySet,
    home_highlight,
)
from .requests import VolunteerRequest

__all__ = [
    "ANSWER_WITHIN_DAYS",
    "DIRECTORY_PAGE_SIZE",
    "MISSIONS_PAGE_SIZE",
    "RICH_TEXT_FEATURES",
    "ActivityField",
    "AssociationIndexPage",
    "AssociationPage",
    "MissionIndexPage",
    "MissionPage",
    "MissionPageQuerySet",
    "VolunteerHours",
    "VolunteerRequest",
    "home_highlight",
]
