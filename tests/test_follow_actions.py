"""A citizen follows an action of the plan with an email address only: they confirm
once, are told when a step is done and published (never on a draft), and leave with
one click, from the email or from their mail client (RFC 8058)."""

import re
from urllib.parse import urlparse

from django.core import mail
from django.urls import reverse

import pytest

from actions.blocks import StepStatus
from follow.models import Subscription, Target
from tests.factories import actions as af

CITIZEN = "Camille.Habitante@example.org"


@pytest.fixture
def action(home):
    page = af.ActionPageFactory(
        parent=af.action_plan(home),
        number=12,
        title="Créer un conseil citoyen",
        steps=[
            ("step", {"title": "Définir le rôle du conseil", "status": StepStatus.IN_PROGRESS}),
            ("step", {"title": "Tirer au sort les membres", "status": StepStatus.TODO}),
        ],
    )
    page.save_revision().publish()
    return page


def links_in(message, part):
    return [url for url in re.findall(r"https?://\S+", message.body) if part in url]


def path_of(url):
    return urlparse(url).path


def subscribe(client, page, email=CITIZEN, query="", **extra):
    url = reverse("follow:subscribe", args=[page.pk]) + query
    return client.post(url, {"email": email, "consent": "on", **extra})


def subscribe_and_confirm(client, page, captured, email=CITIZEN, query=""):
    with captured(execute=True):
        response = subscribe(client, page, email, query)
    assert response.status_code == 200
    confirmation = mail.outbox[-1]
    [link] = links_in(confirmation, "/suivre/confirmer/")
    client.get(path_of(link))
    client.post(path_of(link))
    mail.outbox.clear()
    return Subscription.objects.get(email=email.lower(), page=page)


def mark_step_done(page, title):
    # In place, as the editor does: each step keeps its block id.
    page = page.get_latest_revision_as_object()
    for block in page.steps:
        if block.value["title"] == title:
            block.value["status"] = StepStatus.DONE
    return page


def test_the_action_page_offers_to_follow_it_by_email(client, action):
    page = client.get(action.url)
    assert "Suivre cette action par courriel" in page.text
    assert reverse("follow:subscribe", args=[action.pk]) in page.text


def test_subscribe_confirm_and_receive_an_alert_when_a_step_is_done_and_published(
    client, action, django_capture_on_commit_callbacks
):
    form = client.get(reverse("follow:subscribe", args=[action.pk]))
    assert form.status_code == 200
    assert "Créer un conseil citoyen" in form.text
    assert "Votre adresse électronique" in form.text

    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, action)
    assert response.status_code == 200
    assert "Consultez votre boîte mail" in response.text
    [confirmation] = mail.outbox
    assert confirmation.to == [CITIZEN.lower()]
    assert "Confirmez votre abonnement" in confirmation.subject
    html = confirmation.alternatives[0].content
    assert 'lang="fr"' in html and "Confirmer mon abonnement" in html
    # A link back to the page followed, in both parts.
    assert action.full_url in confirmation.body and action.full_url in html
    subscription = Subscription.objects.get()
    assert not subscription.is_confirmed

    # Opening the link (a person, or a mail filter checking it) confirms nothing yet.
    [link] = links_in(confirmation, "/suivre/confirmer/")
    opened = client.get(path_of(link))
    assert opened.status_code == 200
    subscription.refresh_from_db()
    assert not subscription.is_confirmed
    confirmed = client.post(path_of(link))
    assert "Abonnement confirmé" in confirmed.text
    subscription.refresh_from_db()
    assert subscription.is_confirmed
    mail.outbox.clear()

    # The team saves a draft marking the step done: nothing is sent.
    draft = mark_step_done(action, "Définir le rôle du conseil")
    with django_capture_on_commit_callbacks(execute=True):
        revision = draft.save_revision()
    assert mail.outbox == []

    # Published: the follower is told, once.
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()
    [alert] = mail.outbox
    assert alert.to == [CITIZEN.lower()]
    assert "Créer un conseil citoyen" in alert.subject
    assert "Étape réalisée : Définir le rôle du conseil." in alert.body
    assert "Tirer au sort" not in alert.body
    html = alert.alternatives[0].content
    assert "Étape réalisée : Définir le rôle du conseil." in html
    assert action.full_url in html

    # RFC 8058: the one-click unsubscribe address and the POST it expects.
    unsubscribe = alert.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/suivre/desabonnement/" in unsubscribe
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in alert.body

    # Published again without any change: nothing more.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        action.get_latest_revision().publish()
    assert mail.outbox == []


def test_nothing_is_sent_to_an_address_that_has_not_confirmed(
    client, action, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, action)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mark_step_done(action, "Définir le rôle du conseil").save_revision().publish()
    assert mail.outbox == []


def test_a_translation_published_late_alerts_nobody_and_followers_read_their_language(
    client, action, english, django_capture_on_commit_callbacks
):
    translation = action.copy_for_translation(english, copy_parents=True).specific
    translation.title = "Create a citizens' council"
    # Translated as wagtail-localize does: the same blocks (the same ids), other words.
    for block, title in zip(
        translation.steps, ["Define the council's role", "Draw the members by lot"], strict=True
    ):
        block.value["title"] = title
    assert [block.id for block in translation.steps] == [block.id for block in action.steps]
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_revision().publish()
    french_follower = Subscription.objects.create(
        email=CITIZEN.lower(), page=action, target=Target.ACTION
    )
    english_follower = Subscription.objects.create(
        email="sam@example.org", page=translation, target=Target.ACTION, language="en"
    )
    for subscription in (french_follower, english_follower):
        subscription.confirm()

    with django_capture_on_commit_callbacks(execute=True):
        mark_step_done(action, "Définir le rôle du conseil").save_revision().publish()
    alerts = {message.to[0]: message for message in mail.outbox}
    assert set(alerts) == {CITIZEN.lower(), "sam@example.org"}
    assert "Étape réalisée : Définir le rôle du conseil." in alerts[CITIZEN.lower()].body
    in_english = alerts["sam@example.org"]
    assert in_english.subject == "News of the action: Create a citizens' council"
    assert "Step done: Define the council's role." in in_english.body
    assert "Définir" not in in_english.body
    assert translation.full_url in in_english.body

    # The English page, not yet synchronised (its step still in progress), published
    # again: it tells nobody that the step was undone, and the French page published
    # again unchanged tells nobody that it was done again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_revision().publish()
        action.get_latest_revision().publish()
    assert mail.outbox == []
