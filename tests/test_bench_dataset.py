"""The benchmark's dataset builder keeps working with the models: built at a tiny
scale, it gives a site whose pages, dates, requests and answers are all there, in
French and in English, and findable by the search."""

import io

from wagtail.models import Page

import pytest

from actions.models import ActionPage
from bench import dataset
from bénévolat.models import AssociationPage, MissionPage, VolunteerRequest
from events.models import EventPage
from expression.models import Submission

pytestmark = pytest.mark.django_db


def test_the_benchmark_dataset_builds_at_a_tiny_scale(client):
    output = io.StringIO()
    dataset.build(scale=0.002, stdout=output)

    french_events = EventPage.objects.filter(locale__language_code="fr")
    # At this scale: one more event (repeated, with a photo), association and mission.
    event = french_events.get(slug__startswith="bench-evenement-")
    assert event.repeat and event.occurrences.count() > 1
    assert event.image is not None and event.live_revision is not None
    assert (
        AssociationPage.objects.filter(
            locale__language_code="fr", slug__startswith="bench-association-"
        ).count()
        == 1
    )
    assert (
        MissionPage.objects.filter(
            locale__language_code="fr", slug__startswith="bench-mission-"
        ).count()
        == 1
    )

    # Every French page has its English counterpart, kept in step by synchronisation.
    for model in (EventPage, AssociationPage, MissionPage, ActionPage):
        assert (
            model.objects.filter(locale__language_code="en").count()
            == model.objects.filter(locale__language_code="fr").count()
        )
    assert not Page.objects.filter(locale__language_code="fr", live=False).exists()

    assert VolunteerRequest.objects.count() >= 40
    assert Submission.objects.count() >= 100
    assert Submission.objects.filter(is_published=True).count() >= 4

    action = ActionPage.objects.get(locale__language_code="fr", number=1)
    assert all(
        len(indicator.value["measurements"]) == dataset.MONTHS_OF_MEASUREMENTS
        for indicator in action.indicators
    )

    # The search index was filled after the pages were made.
    response = client.get("/recherche/", {"q": event.title})
    assert response.status_code == 200
    assert event.url in response.content.decode()
