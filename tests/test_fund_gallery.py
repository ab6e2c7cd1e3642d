"""The gallery of supported projects: what the team published, the help given, and
the fund's totals year by year (projects, amount, partners, share granted), in a
fixed number of queries whatever the number of projects."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
import wagtail_factories

from fonds.models import Application, yearly_totals
from fonds.views import GALLERY_IMAGE
from tests.factories import fonds as ff

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund(home):
    return ff.fund_page(home)


def hand_built_year():
    """2025: four applications, two granted (180 € and 320 €, two partners between
    them), one refused, one under review; and a project of 2024."""
    seeds = ff.PartnerFactory(name="Jardinerie de l'Authion")
    services = ff.PartnerFactory(name="Services techniques", kind="service")
    ff.granted(2025, "180", partners=[seeds, services], public_title="Fleurs à Corné")
    ff.granted(2025, "320", partners=[seeds], public_title="Costumes du carnaval")
    for status in (Application.Status.REFUSED, Application.Status.IN_REVIEW):
        ff.ApplicationFactory(
            status=status, created_at=timezone.make_aware(timezone.datetime(2025, 5, 2))
        )
    ff.granted(2024, "90", public_title="Boîte à livres", published=False)


def test_the_totals_of_a_hand_built_year(client, fund):
    hand_built_year()

    totals = {row["year"]: row for row in yearly_totals()}
    assert totals[2025] == {
        "year": 2025,
        "received": 4,
        "projects": 2,
        "amount": Decimal("500"),
        "partners": 2,
        "share": 50,
    }
    assert totals[2024]["projects"] == 1 and totals[2024]["share"] == 100
    assert list(totals) == [2025, 2024]  # newest first

    gallery = client.get(fund.url + "projets-soutenus/")
    row = gallery.text.split('<th scope="row">2025</th>', 1)[1].split("</tr>", 1)[0]
    assert [cell.split("</td>")[0] for cell in row.split("<td>")[1:]] == [
        "4",
        "2",
        "50 %",
        "500 €",
        "2",
    ]
    # The unpublished project counts in its year's totals but is not shown.
    assert "Fleurs à Corné" in gallery.text and "Costumes du carnaval" in gallery.text
    assert "Boîte à livres" not in gallery.text


def published_projects(count, start=0):
    partner = ff.PartnerFactory(name="Jardinerie de l'Authion")
    for position in range(start, start + count):
        image = wagtail_factories.ImageFactory(title=f"Projet {position}")
        image.get_rendition(GALLERY_IMAGE)  # made when uploaded, as on the site
        ff.granted(
            2025,
            "100",
            partners=[partner, ff.PartnerFactory(name=f"Entreprise {position}")],
            public_title=f"Projet publié {position}",
            public_image=image,
            status=Application.Status.DONE,
            public_account="Tout s'est bien passé.",
        )


def gallery_queries(client, fund):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(fund.url + "projets-soutenus/")
    assert response.status_code == 200
    return len(queries), response


def test_the_gallery_costs_the_same_queries_for_two_projects_or_twelve(
    client, fund, rendered_each_time
):
    published_projects(2)
    gallery_queries(client, fund)  # the header's menu and settings, cached from then on
    few, response = gallery_queries(client, fund)
    images = response.text.count("<img ")  # the projects' and the site's own (logo)

    published_projects(10, start=2)  # new images turn the cache of the header over
    gallery_queries(client, fund)
    many, response = gallery_queries(client, fund)
    assert response.text.count("Projet publié") == 12
    assert response.text.count("<img ") == images + 10
    assert many == few
