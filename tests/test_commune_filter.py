"""A citizen of one commune déléguée filters the plan, the agenda and the missions by
it: what is for the whole commune (no commune déléguée named, or an event ticked "for
the whole commune") shows under every one of them, labelled "Toute la commune"."""

import re

import pytest

from tests.factories import benevolat as bf
from tests.factories.actions import ActionIndexPageFactory, ActionPageFactory
from tests.factories.events import EventPageFactory, dates, in_days
from tests.factories.home import commune

pytestmark = pytest.mark.django_db


def test_the_plan_filtered_by_a_commune_counts_the_actions_for_the_whole_commune(client, home):
    plan = ActionIndexPageFactory(parent=home)
    school = ActionPageFactory(parent=plan, number=5, title="Cour d'école végétalisée")
    school.communes.set([commune("corne")])
    school.save_revision().publish()
    ActionPageFactory(parent=plan, number=12, title="Budget participatif")  # no commune named
    ActionPageFactory(parent=plan, number=30, title="Police municipale")  # no commune named

    for where, expected in [("corne", [5, 12, 30]), ("andard", [12, 30])]:
        html = client.get(plan.url, {"commune": where}).text
        numbers = [int(n) for n in re.findall(r'class="action-card__number">Action (\d+)<', html)]
        assert numbers == expected
        assert f"{len(expected)} actions" in html
        assert html.count("Toute la commune") == 2  # on the whole-commune actions only

    assert "Toute la commune" not in client.get(plan.url).text  # unfiltered, no need to say


def test_the_agenda_filtered_by_a_commune_shows_the_events_for_the_whole_commune(client, index):
    EventPageFactory(
        parent=index,
        title="Concert à Corné",
        commune=commune("corne"),
        occurrences=dates(in_days(3)),
    )
    EventPageFactory(
        parent=index,
        title="Vœux du maire",
        commune=commune("andard"),
        whole_commune=True,
        occurrences=dates(in_days(5)),
    )
    EventPageFactory(
        parent=index,
        title="Loto des écoles",
        commune=commune("andard"),
        occurrences=dates(in_days(7)),
    )

    def shown(where):
        html = client.get(index.url, {"commune": where}).text
        return {
            t for t in ["Concert à Corné", "Vœux du maire", "Loto des écoles"] if t in html
        }, html

    corne, html = shown("corne")
    assert corne == {"Concert à Corné", "Vœux du maire"}
    assert "Toute la commune" in html
    assert shown("andard")[0] == {"Vœux du maire", "Loto des écoles"}
    assert shown("baune")[0] == {"Vœux du maire"}


def test_the_missions_filtered_by_a_commune_show_the_missions_for_the_whole_commune(
    client, listing, communes
):
    bf.MissionPageFactory(parent=listing, title="Livrer les colis", commune=communes["corne"])
    bf.MissionPageFactory(parent=listing, title="Relire le journal municipal", commune=None)

    response = client.get(listing.url, {"commune": "andard"})
    assert [m.title for m in response.context["missions"]] == ["Relire le journal municipal"]
    assert "Toute la commune" in response.text

    response = client.get(listing.url, {"commune": "corne"})
    assert {m.title for m in response.context["missions"]} == {
        "Livrer les colis",
        "Relire le journal municipal",
    }
