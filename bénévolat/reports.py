"""Reports for the structures' annual reports: the hours of volunteering per year
and structure (plan action 17). Who may read them is the admin's business
(admin_views.py); these functions take the entries already scoped.

Only the hours the communication team validated count: the totals go into the
commune's and the associations' annual reports, which report checked figures."""

import datetime
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.http import HttpResponse
from django.utils.translation import gettext

from home.exports import csv_cell, csv_writer

from .models import MissionPage


def yearly_totals(queryset):
    """Validated hours and volunteers per year and structure, for the annual reports."""
    rows = (
        queryset.filter(validated_at__isnull=False)
        .annotate(year=ExtractYear("date"))
        .values("year", "mission__structure", "association__title")
        .annotate(
            total=Sum("hours"),
            missions=Count("mission", distinct=True),
            volunteers=Count("volunteer_name", distinct=True),
            entries=Count("pk"),
        )
        .order_by("-year", "mission__structure", "association__title")
    )
    labels = dict(MissionPage.Structure.choices)
    return [
        {
            "year": row["year"],
            "structure": row["association__title"]
            or str(labels.get(row["mission__structure"], "")),
            "missions": row["missions"],
            "volunteers": row["volunteers"],
            "entries": row["entries"],
            "hours": row["total"],
        }
        for row in rows
    ]


def yearly_totals_csv(entries):
    """The yearly totals of these hours (the validated ones) as a CSV download."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="heures-benevolat-{datetime.date.today():%Y-%m-%d}.csv"'
    )
    writer = csv_writer(response)
    writer.writerow(
        [
            gettext("Year"),
            gettext("Structure"),
            gettext("Missions"),
            gettext("Volunteers"),
            gettext("Entries"),
            gettext("Validated hours"),
        ]
    )
    for row in yearly_totals(entries):
        # A structure's name is the association's, typed by its members.
        writer.writerow(
            csv_cell(value)
            for value in [
                row["year"],
                row["structure"],
                row["missions"],
                row["volunteers"],
                row["entries"],
                row["hours"].quantize(Decimal("0.01")),
            ]
        )
    return response
