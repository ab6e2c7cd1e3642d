"""Texts are normalised where they are stored (Unicode NFC, no control characters),
and the agenda's period is bounded: neither a stray control character in a title nor
a date at the end of the calendar makes a page fail."""

import unicodedata

from django.test import Client

import pytest

from events.models import EventPage
from expression.models import Submission
from home.text import normalise
from tests import factories
from tests.factories.events import EventPageFactory, agenda

pytestmark = pytest.mark.django_db


def test_normalise_keeps_lines_where_text_is_multiline():
    assert normalise("a\x0bb\x00c\r\nd\te\u2028f") == "a bc\nd\te\nf"
    assert normalise("a\x0bb\x00c\r\nd\te", multiline=False) == "a bc d e"
    assert normalise("e\u0301t\u0065\u0301") == "été"


def test_a_control_character_in_a_title_leaves_the_feeds_working(home):
    index = agenda(home)
    event = EventPageFactory(parent=index, title="Fête\x0bdu vélo", intro="Au\x0cprogramme\x1b")
    client = Client(raise_request_exception=False)
    for suffix in ["rss/", "ical/", ""]:
        response = client.get(index.url + suffix)
        assert response.status_code == 200, suffix
        assert "Fête du vélo" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Fête du vélo"
    assert event.intro == "Au programme"


def test_pages_and_rows_are_stored_in_nfc(home):
    decomposed = unicodedata.normalize("NFD", "Réunion à Bauné")
    page = factories.StandardPageFactory(parent=home, title=decomposed)
    page.refresh_from_db()
    assert page.title == "Réunion à Bauné"
    submission = factories.expression.SubmissionFactory(
        name=decomposed, message="Ligne\x07 1\n\tLigne 2"
    )
    submission = Submission.objects.get(pk=submission.pk)
    assert submission.name == "Réunion à Bauné"
    assert submission.message == "Ligne 1\n\tLigne 2"
    assert EventPage.objects.count() == 0


@pytest.mark.parametrize("suffix", ["", "archives/", "ical/", "rss/"])
@pytest.mark.parametrize(
    "query", ["au=9999-12-31", "du=9999-12-31", "du=0001-01-01", "du=0001-01-01&au=9999-12-31"]
)
def test_dates_at_the_ends_of_the_calendar_are_refused_in_french(home, english, suffix, query):
    index = agenda(home)
    factories.translate(home)
    english_index = factories.translate(index)
    client = Client(raise_request_exception=False)
    response = client.get(f"{index.url}{suffix}?{query}")
    assert response.status_code == 400
    if not suffix:
        assert "Choisissez une date entre le" in response.text
    assert client.get(f"{english_index.url}{suffix}?{query}").status_code == 400
