"""A citizen looks for an association: the directory with its filters and pages, an
association's page with its contact, meetings, open missions and next events, a logo
only with its text alternative; the demo's associations and missions."""

import io

from django.conf import settings

import pytest

from bénévolat.models import AssociationPage, MissionPage
from tests.factories import benevolat as bf

pytestmark = pytest.mark.django_db


def test_directory_filters_by_field_commune_volunteers_and_name(client, directory, communes):
    sport = bf.ActivityFieldFactory(name="Sport", slug="sport")
    culture = bf.ActivityFieldFactory(name="Culture", slug="culture")
    foot = bf.AssociationPageFactory(
        parent=directory, title="US Loire-Authion football", looking_for_volunteers=True
    )
    foot.fields.set([sport])
    foot.communes.set([communes["brain-sur-l-authion"]])
    foot.save_revision().publish()
    theatre = bf.AssociationPageFactory(parent=directory, title="Les Tréteaux de la Daguenière")
    theatre.fields.set([culture])
    theatre.communes.set([communes["la-dagueniere"]])
    theatre.save_revision().publish()
    bf.AssociationPageFactory(parent=directory, title="Brouillon caché", live=False)

    def names(query):
        response = client.get(directory.url + query)
        assert response.status_code == 200
        return [association.title for association in response.context["associations"]]

    assert names("") == ["Les Tréteaux de la Daguenière", "US Loire-Authion football"]
    assert names("?domaine=sport") == ["US Loire-Authion football"]
    assert names("?commune=la-dagueniere") == ["Les Tréteaux de la Daguenière"]
    assert names("?benevoles=1") == ["US Loire-Authion football"]
    assert names("?q=tréteaux") == ["Les Tréteaux de la Daguenière"]
    if settings.DATABASE_IS_POSTGRES:  # accents ignored where the database can
        assert names("?q=TRETEAUX") == ["Les Tréteaux de la Daguenière"]
    assert names("?domaine=culture&commune=brain-sur-l-authion") == []
    # An unknown filter value (an old link) is ignored, never an error.
    assert len(names("?domaine=disparu&commune=nulle-part&page=99")) == 2
    html = client.get(directory.url + "?domaine=sport").text
    assert '<option value="sport" selected>' in html
    assert "1 association" in html


def test_directory_paginates(client, directory):
    for number in range(14):
        bf.AssociationPageFactory(parent=directory, title=f"Association {number:02d}")
    first = client.get(directory.url)
    second = client.get(directory.url + "?page=2")
    assert len(first.context["associations"]) == 12
    assert [a.title for a in second.context["associations"]] == [
        "Association 12",
        "Association 13",
    ]
    assert 'rel="next"' in first.text


def test_association_page_shows_contact_meetings_and_open_missions(client, comite, mission):
    bf.MissionPageFactory(parent=comite, title="Mission close", status=MissionPage.Status.CLOSED)
    html = client.get(comite.url).text
    assert "Comité des fêtes d&#x27;Andard" in html
    assert "comite@fetes-andard.example.org" in html
    assert "Le premier lundi du mois" in html
    assert "Tenir la buvette du marché de Noël" in html
    assert "Mission close" not in html
    assert "Andard" in html and "Animation locale" in html


def test_association_logo_needs_a_text_alternative(comite):
    from django.core.exceptions import ValidationError

    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    logo = get_image_model().objects.create(title="Logo", file=get_test_image_file())
    comite.logo = logo
    with pytest.raises(ValidationError) as error:
        comite.full_clean()
    assert "logo_alt" in error.value.message_dict


def test_association_page_shows_its_next_events(client, home, comite):
    from tests.factories import events as ef

    ef.agenda(home)
    ef.EventPageFactory(parent=comite, title="Vide-greniers de septembre")
    html = client.get(comite.url).text
    assert "Vide-greniers de septembre" in html
    assert "ical/?organisateur=comite-des-fetes" in html


def test_demo_content_loads_twice_without_duplicates(home):
    from bénévolat import demo
    from home import demo as home_demo

    out = io.StringIO()
    home_demo.load(out)
    demo.load(out)
    counts = (AssociationPage.objects.count(), MissionPage.objects.count())
    demo.load(out)
    assert counts == (AssociationPage.objects.count(), MissionPage.objects.count())
    assert counts[0] == 12
    assert MissionPage.objects.filter(status="closed").count() == 1
    assert MissionPage.objects.filter(suits_families=True).exists()
    assert MissionPage.objects.filter(structure="ccas").exists()
    assert "comite-fetes-andard" in out.getvalue()
