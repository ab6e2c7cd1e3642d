"""The association directory shows each logo from renditions made once: a visit never
makes them again (the benchmark found the directory regenerating every logo at every
visit, 100 ms each, because the renditions read in advance were not those shown)."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tests import factories
from tests.factories import benevolat

pytestmark = pytest.mark.django_db


def test_the_directory_shows_logos_without_making_their_renditions_again(client, home):
    directory = benevolat.association_directory(home)
    for n in range(3):
        benevolat.AssociationPageFactory(
            parent=directory,
            logo=factories.wagtail_factories.ImageFactory(),
            logo_alt=f"Logo de l'association {n}",
        )
    assert client.get(directory.url).status_code == 200  # the renditions are made once
    cache.clear()  # the next visit builds the page again, as after a publication

    with CaptureQueriesContext(connection) as queries:
        response = client.get(directory.url)

    assert response.status_code == 200
    assert response.content.decode().count("format-webp") >= 3
    # One query reads every logo's renditions; none looks for them logo by logo.
    rendition_queries = [q for q in queries if "wagtailimages_rendition" in q["sql"]]
    assert len(rendition_queries) == 1
