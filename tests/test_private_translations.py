"""A page kept private (a password, members only) stays out of every listing, feed,
search and API answer in every language: its English copy too, whether an alias
that wagtail-localize keeps in sync or a translation of its own."""

from datetime import timedelta

from django.utils import timezone

from wagtail.models import Page, PageViewRestriction

import pytest

from tests import factories
from tests.factories.events import EventPageFactory, agenda, dates, paris

pytestmark = pytest.mark.django_db

SECRET = "Conseil privé de Brain"


def soon():
    day = timezone.localdate() + timedelta(days=3)
    return paris(day.year, day.month, day.day, 20)


@pytest.fixture
def secret_event(home, english):
    index = agenda(home)
    event = EventPageFactory(
        parent=index,
        title=SECRET,
        intro="Ordre du jour confidentiel.",
        place_name="Salle du huis clos",
        occurrences=dates(soon()),
    )
    EventPageFactory(parent=index, title="Fête publique", occurrences=dates(soon()))
    factories.translate(home)
    english_index = factories.translate(index)
    for page in index.get_children():
        factories.translate(page)
    # Restricted once the English copies exist: Wagtail copies a restriction with the
    # page, but one added later reaches the French page only.
    PageViewRestriction.objects.create(
        page=event, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    return event, english_index


def english_copy(event):
    return Page.objects.get(translation_key=event.translation_key, locale__language_code="en")


def public_answers(client, english_index):
    urls = [
        english_index.url,
        english_index.url + "archives/",
        english_index.url + "ical/",
        english_index.url + "rss/",
        "/en/recherche/?q=Conseil",
        "/recherche/?q=Conseil",
        "/api/v2/pages/?locale=en&fields=*",
        "/api/v2/pages/?locale=en&search=Conseil",
        "/api/v2/pages/?fields=*",
        "/sitemap.xml",
        "/en/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        yield url, response.content.decode()


def test_an_english_alias_of_a_private_event_is_listed_nowhere(client, secret_event):
    event, english_index = secret_event
    for url, body in public_answers(client, english_index):
        assert SECRET not in body, url
        assert "Salle du huis clos" not in body, url
    assert "Fête publique" in client.get(english_index.url).text


def test_an_english_translation_of_a_private_event_is_listed_nowhere(client, secret_event):
    """A translation of its own (no longer an alias) carries no restriction of its own."""
    event, english_index = secret_event
    copy = english_copy(event).specific
    copy.alias_of = None
    copy.title = "Private council of Brain"
    copy.save()
    copy.save_revision().publish()
    for url, body in public_answers(client, english_index):
        assert "Private council of Brain" not in body, url
        assert "Salle du huis clos" not in body, url


def test_the_english_copy_of_a_private_page_asks_for_the_password(client, secret_event):
    event, _english_index = secret_event
    copy = english_copy(event).specific
    copy.alias_of = None
    copy.save()
    response = client.get(copy.url)
    assert SECRET not in response.text
    assert "Salle du huis clos" not in response.text


def test_pages_under_a_private_section_stay_private_in_english(client, home, english):
    section = factories.StandardPageFactory(parent=home, title="Espace des élus", slug="elus")
    factories.StandardPageFactory(parent=section, title="Compte rendu confidentiel")
    factories.translate(home)
    for page in section.get_descendants(inclusive=True):
        factories.translate(page)
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    for url in ["/en/recherche/?q=confidentiel", "/api/v2/pages/?locale=en", "/sitemap.xml"]:
        body = client.get(url).content.decode()
        assert "Compte rendu confidentiel" not in body, url
        assert "Espace des élus" not in body, url


def test_lifting_the_restriction_makes_both_languages_public_again(client, home, english):
    """Wagtail copies a restriction onto an alias made afterwards, and ignores it
    there (an alias follows its source): lifting the French one is enough."""
    index = agenda(home)
    event = EventPageFactory(parent=index, title="Réunion levée", occurrences=dates(soon()))
    restriction = PageViewRestriction.objects.create(
        page=event, restriction_type=PageViewRestriction.LOGIN
    )
    factories.translate(home)
    english_index = factories.translate(index)
    factories.translate(event)
    assert "Réunion levée" not in client.get(english_index.url).text

    restriction.delete()

    assert "Réunion levée" in client.get(index.url).text
    assert "Réunion levée" in client.get(english_index.url).text
    assert client.get(english_copy(event).url).status_code == 200
