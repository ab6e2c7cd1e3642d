"""The fonds d'initiative citoyenne (plan action 19): the fund's page with its rules
and current call, the applications residents send and the team instructs, the
partners who give materials or skills, and the gallery of supported projects.

The public API is gathered here, so that `from fonds.models import X` does not depend
on where X lives."""

from .applications import (
    PERSONAL_DATA_RETENTION,
    Application,
    ApplicationQuerySet,
    Partner,
    yearly_totals,
)
from .pages import FundPage

__all__ = [
    "PERSONAL_DATA_RETENTION",
    "Application",
    "ApplicationQuerySet",
    "FundPage",
    "Partner",
    "yearly_totals",
]
