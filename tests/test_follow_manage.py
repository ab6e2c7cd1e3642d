"""Changing a subscription without an account, from the signed page listing an
address's subscriptions: the agenda's filters (commune, category, organiser, as the
agenda's follow button records them) and the language of the emails. The next
digest follows the change; hostile or tampered input is refused in French, with
nothing half-saved."""

from django.core import mail
from django.test import Client
from django.urls import reverse

import pytest

from follow.models import Subscription, Target
from tests.factories import actions as af
from tests.factories.events import EventCategoryFactory, EventPageFactory, dates, in_days

from .test_follow_actions import path_of
from .test_follow_digests import agenda_of_corne_and_andard, follow, run_digests
from .test_follow_links import CITIZEN, confirmed


@pytest.fixture
def corne_agenda(home):
    return agenda_of_corne_and_andard(home)


@pytest.fixture
def action(home):
    page = af.ActionPageFactory(parent=af.action_plan(home), number=4, title="Jardins partagés")
    page.save_revision().publish()
    return page


def fields(subscription, **values):
    """The management form of `subscription` as the page posts it: its own prefix,
    and the button naming it."""
    prefix = f"s{subscription.pk}-"
    return {"change": str(subscription.key), **{prefix + k: v for k, v in values.items()}}


def state(subscription):
    subscription.refresh_from_db()
    return subscription.filters, subscription.language


def test_changing_the_commune_changes_what_the_next_digest_holds(
    client,
    corne_agenda,
    django_capture_on_commit_callbacks,
):
    subscription = follow(corne_agenda, email=CITIZEN, filters="commune=corne")
    url = path_of(subscription.manage_url())

    page = client.get(url)
    assert page.status_code == 200
    assert "Agenda (Corné)" in page.text
    assert '<option value="corne" selected>Corné</option>' in page.text
    assert "Modifier les événements suivis ou la langue" in page.text

    changed = client.post(url, fields(subscription, commune="andard", language="fr"))
    assert changed.status_code == 303
    page = client.get(changed["Location"])
    assert "Vos modifications sont enregistrées" in page.text
    assert "Agenda (Andard)" in page.text
    assert state(subscription) == ("commune=andard", "fr")

    with django_capture_on_commit_callbacks(execute=True):
        run_digests()
    [digest] = mail.outbox
    assert "Cette semaine : Agenda (Andard)" in digest.subject
    for text in (digest.body, digest.alternatives[0].content):
        assert "Loto d'Andard" in text.replace("&#x27;", "'")
        assert "Marché de Corné" not in text
        assert "Balade des bords de Loire" not in text


def test_a_category_and_an_organiser_can_be_followed_and_all_filters_left(
    client,
    corne_agenda,
):
    EventCategoryFactory(name="Sport", slug="sport")
    subscription = follow(corne_agenda, email=CITIZEN, filters="commune=corne")
    url = path_of(subscription.manage_url())

    client.post(
        url,
        fields(subscription, commune="", categorie="sport", organisateur="mairie", language="fr"),
    )
    assert state(subscription) == ("categorie=sport&organisateur=mairie", "fr")
    # Every filter left: the whole agenda.
    client.post(url, fields(subscription, language="fr"))
    assert state(subscription) == ("", "fr")
    assert "Agenda</a>" in client.get(url).text


def test_the_emails_language_can_be_changed_and_the_next_digest_is_in_english(
    client,
    corne_agenda,
    django_capture_on_commit_callbacks,
):
    subscription = follow(corne_agenda, email=CITIZEN, filters="commune=corne")
    url = path_of(subscription.manage_url())
    assert client.post(url, fields(subscription, commune="corne", language="en")).status_code == 303
    assert state(subscription) == ("commune=corne", "en")
    with django_capture_on_commit_callbacks(execute=True):
        run_digests()
    [digest] = mail.outbox
    assert digest.subject.startswith("This week:")
    assert "Marché de Corné" in digest.body
    assert "/en/suivre/desabonnement/" in digest.extra_headers["List-Unsubscribe"]


def test_an_action_subscription_changes_its_language_only(client, action):
    subscription = confirmed(action)
    url = path_of(subscription.manage_url())
    page = client.get(url)
    assert "Modifier la langue des courriels" in page.text
    assert f'name="s{subscription.pk}-commune"' not in page.text
    # A filter posted for an action (a forged form) is not one of its fields: ignored.
    client.post(url, fields(subscription, commune="andard", language="en"))
    assert state(subscription) == ("", "en")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"commune": "nulle-part"}, "Sélectionnez un choix valide"),
        ({"categorie": "<script>alert(1)</script>"}, "Sélectionnez un choix valide"),
        ({"organisateur": "association-inconnue"}, "Cet organisateur est inconnu"),
        ({"organisateur": "x" * 500}, "Assurez-vous que cette valeur comporte au plus 100"),
        ({"commune": "andard", "language": "de"}, "Sélectionnez un choix valide"),
        ({"commune": "andard", "language": ""}, "Champ requis"),
        ({"commune": "andard\x00"}, "Le caractère nul n’est pas autorisé"),
    ],
)
def test_hostile_changes_are_refused_in_french_and_nothing_is_saved(
    client,
    corne_agenda,
    values,
    message,
):
    subscription = follow(corne_agenda, email=CITIZEN, filters="commune=corne")
    url = path_of(subscription.manage_url())
    response = client.post(url, fields(subscription, **{"language": "fr", **values}))
    assert response.status_code == 400
    assert "Le formulaire contient des erreurs" in response.text
    assert message in response.text.replace("&#x27;", "'")
    assert "<script>alert" not in response.text
    assert response.text.count('id="form-errors"') == 1
    assert state(subscription) == ("commune=corne", "fr")


@pytest.mark.parametrize(
    "change", ["pas-un-identifiant", "00000000-0000-0000-0000-000000000000", "theirs", ""]
)
def test_a_subscription_that_is_not_the_address_own_cannot_be_changed(
    client,
    corne_agenda,
    change,
):
    mine = follow(corne_agenda, email=CITIZEN, filters="commune=corne")
    theirs = follow(corne_agenda, email="voisin@example.org", filters="commune=corne")
    posted = fields(theirs, commune="andard", language="en")
    posted["change"] = str(theirs.key) if change == "theirs" else change
    response = client.post(path_of(mine.manage_url()), posted)
    assert response.status_code == 400
    assert "Le formulaire n'a pas été envoyé" in response.text.replace("&#x27;", "'")
    assert "voisin@example.org" not in response.text
    assert state(theirs) == ("commune=corne", "fr")
    assert state(mine) == ("commune=corne", "fr")


def test_a_change_to_a_subscription_the_address_already_has_is_refused(
    client,
    corne_agenda,
):
    corne = follow(corne_agenda, email=CITIZEN, filters="commune=corne")
    andard = follow(corne_agenda, email=CITIZEN, filters="commune=andard")
    response = client.post(
        path_of(andard.manage_url()), fields(andard, commune="corne", language="en")
    )
    assert response.status_code == 400
    assert "Vous suivez déjà l'agenda avec ces filtres" in response.text.replace("&#x27;", "'")
    assert state(andard) == ("commune=andard", "fr")
    assert state(corne) == ("commune=corne", "fr")


def test_a_change_needs_the_signed_link_and_the_page_csrf_token(
    client,
    corne_agenda,
):
    subscription = follow(corne_agenda, email=CITIZEN, filters="commune=corne")
    url = path_of(subscription.manage_url())
    tampered = reverse("follow:manage", args=[url.rstrip("/").rsplit("/", 1)[1][:-2] + "xx"])
    response = client.post(tampered, fields(subscription, commune="andard", language="en"))
    assert response.status_code == 400
    assert "Ce lien n'est pas valide" in response.text

    # A form posted from another site carries no CSRF token.
    forged = Client(enforce_csrf_checks=True).post(
        url, fields(subscription, commune="andard", language="en")
    )
    assert forged.status_code == 403
    assert state(subscription) == ("commune=corne", "fr")


def test_ending_a_subscription_says_so(client, corne_agenda):
    corne = follow(corne_agenda, email=CITIZEN, filters="commune=corne")
    andard = follow(corne_agenda, email=CITIZEN, filters="commune=andard")
    url = path_of(corne.manage_url())
    ended = client.post(url, {"end": str(corne.key)})
    assert ended.status_code == 303
    page = client.get(ended["Location"])
    assert "L'abonnement est terminé" in page.text.replace("&#x27;", "'")
    assert "Agenda (Corné)" not in page.text
    assert list(Subscription.objects.of_address(CITIZEN)) == [andard]
    assert andard.target == Target.AGENDA


def test_following_a_category_instead_the_digest_holds_its_events_only(
    client,
    corne_agenda,
    django_capture_on_commit_callbacks,
):
    sport = EventCategoryFactory(name="Sport", slug="sport")
    EventPageFactory(
        parent=corne_agenda,
        title="Course des bords de Loire",
        category=sport,
        occurrences=dates(in_days(3)),
    )
    subscription = follow(corne_agenda, email=CITIZEN, filters="commune=corne")
    url = path_of(subscription.manage_url())
    client.post(url, fields(subscription, categorie="sport", language="fr"))
    with django_capture_on_commit_callbacks(execute=True):
        run_digests()
    [digest] = mail.outbox
    assert "Course des bords de Loire" in digest.body
    assert "Marché de Corné" not in digest.body
