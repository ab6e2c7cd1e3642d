"""The agenda's categories and the associations' fields of activity are translatable
snippets, as the plan's themes are: pages point at the French row, and the English
site names it in English once the team has translated it (not marked French), keeps
the French name marked lang="fr" until then, and filters by it in both languages."""

import pytest
from bs4 import BeautifulSoup

from events.models import EventCategory
from follow.models import filter_label
from tests import factories
from tests.factories import benevolat as bf
from tests.factories.events import EventCategoryFactory, EventPageFactory, dates, in_days

pytestmark = pytest.mark.django_db


def translated(row, english, name):
    """`row`'s English copy, as the team makes it in wagtail-localize."""
    copy = row.copy_for_translation(english)
    copy.name = name
    copy.save()
    return copy


def language_of(html, selector, text):
    """The language the element showing `text` is read in: its own lang, or the
    nearest one above it."""
    element = next(
        e
        for e in BeautifulSoup(html, "html.parser").select(selector)
        if e.get_text(strip=True) == text
    )
    return element.get("lang") or element.find_parent(attrs={"lang": True}).get("lang")


@pytest.fixture
def english_agenda(index, english):
    """An agenda with a concert (its category translated) and a workshop (its
    category not yet), with their English aliases."""
    shows = EventCategoryFactory(name="Spectacles et concerts", slug="spectacles")
    translated(shows, english, "Shows and concerts")
    workshops = EventCategoryFactory(name="Ateliers", slug="ateliers")
    concert = EventPageFactory(
        parent=index, title="Concert de Noël", category=shows, occurrences=dates(in_days(3))
    )
    workshop = EventPageFactory(
        parent=index, title="Atelier vélo", category=workshops, occurrences=dates(in_days(5))
    )
    factories.translate(index.get_parent())
    return {
        "index": factories.translate(index),
        "concert": factories.translate(concert),
        "workshop": factories.translate(workshop),
        "french concert": concert,
    }


def test_the_english_event_page_names_a_translated_category_in_english(client, english_agenda):
    html = client.get(english_agenda["concert"].url).text
    assert '<html lang="en">' in html
    assert language_of(html, "dd", "Shows and concerts") == "en"
    assert "Spectacles et concerts" not in html
    # The event still points at the French category: only its name is translated.
    assert english_agenda["concert"].category.locale.language_code == "fr"


def test_an_untranslated_category_stays_french_and_marked_so(client, english_agenda):
    html = client.get(english_agenda["workshop"].url).text
    assert language_of(html, "dd", "Ateliers") == "fr"
    agenda = client.get(english_agenda["index"].url).text
    assert language_of(agenda, ".agenda-item .tag", "Ateliers") == "fr"
    assert language_of(agenda, "select[name=categorie] option", "Ateliers") == "fr"


def test_the_english_agenda_lists_and_offers_the_category_in_english(client, english_agenda):
    html = client.get(english_agenda["index"].url).text
    assert language_of(html, ".agenda-item .tag", "Shows and concerts") == "en"
    option = BeautifulSoup(html, "html.parser").select_one(
        'select[name=categorie] option[value="spectacles"]'
    )
    assert option.get_text() == "Shows and concerts"
    assert option.get("lang") is None
    assert "Spectacles et concerts" not in html
    # Each category is offered once, the French row's slug as its value.
    assert html.count('value="spectacles"') == 1


def test_the_english_agenda_filtered_by_category_finds_the_same_events(client, english_agenda):
    def titles(url):
        response = client.get(url, {"categorie": "spectacles"})
        assert response.status_code == 200
        return {t for t in ("Concert de Noël", "Atelier vélo") if t in response.text}

    assert titles(english_agenda["index"].url) == {"Concert de Noël"}
    assert titles(english_agenda["french concert"].get_parent().url) == {"Concert de Noël"}
    selected = BeautifulSoup(
        client.get(english_agenda["index"].url, {"categorie": "spectacles"}).text, "html.parser"
    ).select_one("select[name=categorie] option[selected]")
    assert selected.get_text() == "Shows and concerts"


def test_the_english_feed_names_the_category_in_english(client, english_agenda):
    rss = client.get(english_agenda["index"].url + "rss/").content.decode()
    assert "<category>Shows and concerts</category>" in rss
    ical = client.get(english_agenda["index"].url + "ical/").content.decode()
    assert "CATEGORIES:Shows and concerts" in ical


def test_the_french_site_keeps_the_french_names(client, english_agenda):
    french = english_agenda["french concert"]
    html = client.get(french.url).text
    assert "Spectacles et concerts" in html
    assert "Shows and concerts" not in html
    agenda = client.get(french.get_parent().url).text
    assert language_of(agenda, ".agenda-item .tag", "Spectacles et concerts") == "fr"
    assert "Shows and concerts" not in agenda


def test_a_followed_category_is_named_in_the_subscription_language(english_agenda):
    assert filter_label("categorie", "spectacles", "en") == "Shows and concerts"
    assert filter_label("categorie", "spectacles", "fr") == "Spectacles et concerts"
    assert filter_label("categorie", "ateliers", "en") == "Ateliers"


def test_a_category_and_its_translation_share_a_slug_but_not_a_locale(english_agenda, english):
    from django.db import IntegrityError, transaction

    shows = EventCategory.objects.get(slug="spectacles", locale__language_code="fr")
    assert shows.get_translation(english).slug == "spectacles"
    with pytest.raises(IntegrityError), transaction.atomic():
        EventCategory.objects.create(
            name="Autres spectacles", slug="spectacles", locale=shows.locale
        )


@pytest.fixture
def english_directory(comite, mission, listing, english):
    """The comité (field "Animation locale", translated) and a club whose field,
    "Patrimoine", is not translated yet, with their English aliases."""
    animation = comite.fields.get()
    translated(animation, english, "Local events")
    heritage = bf.ActivityFieldFactory(name="Patrimoine", slug="patrimoine")
    club = bf.AssociationPageFactory(
        parent=comite.get_parent(), title="Les amis du patrimoine", slug="patrimoine"
    )
    club.fields.set([heritage])
    club.save_revision().publish()
    mission.fields.set([animation])
    mission.save_revision().publish()
    factories.translate(comite.get_parent().get_parent())
    return {
        "directory": factories.translate(comite.get_parent()),
        "comite": factories.translate(comite),
        "club": factories.translate(club),
        "listing": factories.translate(listing),
        "mission": factories.translate(mission),
        "french directory": comite.get_parent(),
    }


def test_the_english_association_pages_name_a_translated_field_in_english(
    client, english_directory
):
    html = client.get(english_directory["comite"].url).text
    assert language_of(html, "dd span", "Local events") == "en"
    assert "Animation locale" not in html
    club = client.get(english_directory["club"].url).text
    assert language_of(club, "dd span", "Patrimoine") == "fr"
    mission = client.get(english_directory["mission"].url).text
    assert language_of(mission, "dd span", "Local events") == "en"


def test_the_english_directory_offers_and_filters_by_the_translated_field(
    client, english_directory
):
    directory = english_directory["directory"].url
    html = client.get(directory).text
    assert language_of(html, ".card__meta span", "Local events") == "en"
    assert language_of(html, ".card__meta span", "Patrimoine") == "fr"
    assert language_of(html, "select[name=domaine] option", "Local events") == "en"
    assert language_of(html, "select[name=domaine] option", "Patrimoine") == "fr"

    def slugs(url):
        response = client.get(url, {"domaine": "animation"})
        assert response.status_code == 200
        return {
            slug for slug in ("comite-des-fetes", "patrimoine") if f'/{slug}/"' in response.text
        }

    assert slugs(directory) == {"comite-des-fetes"}
    assert slugs(english_directory["french directory"].url) == {"comite-des-fetes"}


def test_the_english_missions_offer_the_translated_field(client, english_directory):
    listing = english_directory["listing"].url
    html = client.get(listing).text
    assert language_of(html, "select[name=domaine] option", "Local events") == "en"
    filtered = client.get(listing, {"domaine": "animation"}).context["missions"]
    assert [mission.title for mission in filtered] == ["Tenir la buvette du marché de Noël"]
