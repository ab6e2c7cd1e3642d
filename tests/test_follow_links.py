"""Leaving and managing without an account, and what the subscription form refuses:
one-click unsubscribe by POST with no session, the signed management page (refused
when tampered with), expiring confirmations, one confirmation a day, hostile input,
the purge, export and erasure, and what the staff see (counts, never addresses)."""

from datetime import timedelta
from urllib.parse import urlparse

from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from follow.models import CONFIRMATION_VALIDITY, Subscription, Target
from home import rgpd
from tests import factories
from tests.factories import actions as af
from tests.factories.events import agenda

from .test_follow_actions import links_in, path_of, subscribe

CITIZEN = "camille@example.org"


@pytest.fixture
def action(home):
    page = af.ActionPageFactory(parent=af.action_plan(home), number=4, title="Jardins partagés")
    page.save_revision().publish()
    return page


def confirmed(page, email=CITIZEN, target=Target.ACTION, **fields):
    return Subscription.objects.create(
        email=email, page=page, target=target, confirmed_at=timezone.now(), **fields
    )


def test_one_click_unsubscribe_by_post_with_no_session_nor_token(action):
    subscription = confirmed(action)
    url = path_of(subscription.unsubscribe_url())
    # What a mail client sends (RFC 8058): a bare POST, no cookie, no CSRF token.
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "Vous êtes désabonné" in response.text
    assert not Subscription.objects.exists()
    # Sent twice (a retry): still a success, nothing else happens.
    assert mail_client.post(url).status_code == 200


def test_the_unsubscribe_link_opened_in_a_browser_asks_before_ending(client, action):
    subscription = confirmed(action)
    page = client.get(path_of(subscription.unsubscribe_url()))
    assert page.status_code == 200
    assert "Ne plus recevoir les courriels sur « Jardins partagés » ?" in page.text
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    client.post(path_of(subscription.unsubscribe_url()))
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_the_management_page_lists_the_address_subscriptions_and_ends_them(client, home, action):
    plan = af.action_plan(home)
    mine = confirmed(action)
    confirmed(plan, target=Target.PLAN)
    theirs = confirmed(action, email="voisin@example.org")
    url = path_of(mine.manage_url())

    page = client.get(url)
    assert page.status_code == 200
    assert CITIZEN in page.text
    assert "Jardins partagés" in page.text and "Le plan d&#x27;actions" in page.text
    assert page.text.count("Les courriels sont écrits en français.") == 2
    assert "voisin@example.org" not in page.text

    # Another address's subscription cannot be ended from this page.
    client.post(url, {"end": str(theirs.key)})
    assert Subscription.objects.filter(pk=theirs.pk).exists()

    assert client.post(url, {"end": str(mine.key)}).status_code == 303
    assert list(Subscription.objects.of_address(CITIZEN).values_list("target", flat=True)) == [
        Target.PLAN
    ]
    client.post(url, {"end": "all"})
    assert not Subscription.objects.of_address(CITIZEN).exists()
    assert Subscription.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        lambda token: "InZvaXNpbkBleGFtcGxlLm9yZyI" + token[token.index(":") :],  # the address
        lambda token: token.split(":")[0],  # no signature at all
        lambda token: "<img src=x onerror=alert(1)>",
    ],
)
def test_a_tampered_management_link_is_refused_in_french(client, action, tamper):
    confirmed(action, email="voisin@example.org")
    subscription = confirmed(action)
    token = urlparse(subscription.manage_url()).path.rstrip("/").rsplit("/", 1)[1]
    url = reverse("follow:manage", args=[tamper(token)])
    response = client.get(url)
    assert response.status_code == 400
    assert "Ce lien n'est pas valide" in response.text
    assert "voisin@example.org" not in response.text
    assert "<img src=x" not in response.text
    client.post(url, {"end": "all"})
    assert Subscription.objects.count() == 2


def test_a_confirmation_link_expires(client, action, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, action, CITIZEN)
    [link] = links_in(mail.outbox[0], "/suivre/confirmer/")
    later = timezone.now() + CONFIRMATION_VALIDITY + timedelta(minutes=1)
    from unittest import mock

    # The clock moves on (signing reads time.time()).
    with mock.patch("time.time", return_value=later.timestamp()):
        response = client.post(path_of(link))
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.text
    assert not Subscription.objects.get().is_confirmed


def test_an_address_gets_at_most_one_confirmation_per_target_a_day(
    client, home, action, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(3):
            assert subscribe(client, action, "Camille@Example.org").status_code == 200
    assert len(mail.outbox) == 1
    assert Subscription.objects.count() == 1

    # Another target: its own confirmation.
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, af.action_plan(home), CITIZEN)
    assert len(mail.outbox) == 2

    # The next day, asking again sends the confirmation again.
    Subscription.objects.filter(page=action).update(
        confirmation_sent_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, action, CITIZEN)
    assert len(mail.outbox) == 3


def test_a_confirmed_address_asking_again_is_told_the_same_and_sent_nothing(
    client, action, django_capture_on_commit_callbacks
):
    confirmed(action)
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, action, CITIZEN)
    assert "Consultez votre boîte mail" in response.text
    assert mail.outbox == []


HOSTILE = [
    ({"email": "pas-une-adresse", "consent": "on"}, "Saisissez une adresse e-mail valide"),
    ({"email": "a\x00b@example.org", "consent": "on"}, "caractère nul"),
    ({"email": "x" * 300 + "@example.org", "consent": "on"}, "254 caractères"),
    ({"email": CITIZEN}, "acceptez l&#x27;utilisation de vos données"),
    ({"email": CITIZEN, "consent": "on", "website": "http://spam.example"}, "automatisé"),
    ({"email": ["a@example.org", "b@example.org"], "consent": "on"}, None),
    ({"email": "<script>alert(1)</script>@example.org", "consent": "on"}, "valide"),
]


@pytest.mark.parametrize(("data", "message"), HOSTILE)
def test_hostile_input_on_the_subscription_form_is_refused_in_french(client, action, data, message):
    response = client.post(reverse("follow:subscribe", args=[action.pk]), data)
    if message is None:  # the last of the values is read, a valid one: no harm
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert message in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert not Subscription.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "address",
    [
        "/suivre/99999999999999999999999/",
        "/suivre/0/",
        "/suivre/confirmer/%00/",
        "/suivre/desabonnement/..%2F..%2Fadmin/",
    ],
)
def test_hostile_addresses_are_answered_in_french_without_error(client, home, address):
    response = client.get(address)
    assert 400 <= response.status_code < 500
    assert 'lang="fr"' in response.text


def test_a_page_that_cannot_be_followed_or_an_unknown_agenda_filter_is_refused(client, home):
    assert client.get(reverse("follow:subscribe", args=[home.pk])).status_code == 404
    index = agenda(home)
    url = reverse("follow:subscribe", args=[index.pk])
    assert client.get(url + "?commune=corne").status_code == 200
    refused = client.post(url + "?commune=atlantide", {"email": CITIZEN, "consent": "on"})
    assert refused.status_code == 400
    assert "Ce lien n'est pas valide" in refused.text
    assert not Subscription.objects.exists()


def test_one_address_subscribing_too_often_is_slowed_down(client, home, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = (2, 3600)
    plan = af.action_plan(home)
    statuses = [
        subscribe(client, plan, f"personne{number}@example.org").status_code for number in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert Subscription.objects.count() == 2


def test_unconfirmed_subscriptions_are_purged_after_seven_days(home, action):
    old = Subscription.objects.create(
        email="oubli@example.org",
        page=action,
        target=Target.ACTION,
        created_at=timezone.now() - timedelta(days=8),
    )
    recent = Subscription.objects.create(
        email="bientot@example.org",
        page=action,
        target=Target.ACTION,
        created_at=timezone.now() - timedelta(days=2),
    )
    kept = confirmed(action)
    Subscription.objects.filter(pk=kept.pk).update(created_at=timezone.now() - timedelta(days=400))
    call_command("purge_personal_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    remaining = set(Subscription.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, kept.pk}
    assert old.pk not in remaining


def test_asking_again_after_the_link_expired_keeps_the_new_link_working(
    client, action, django_capture_on_commit_callbacks
):
    six_days_ago = timezone.now() - timedelta(days=6)
    Subscription.objects.create(
        email=CITIZEN,
        page=action,
        target=Target.ACTION,
        created_at=six_days_ago,
        confirmation_sent_at=six_days_ago,
    )
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, action, CITIZEN)
    [confirmation] = mail.outbox
    # Two days later, the first request is eight days old: the new link still works.
    assert Subscription.purge_personal_data(timezone.now() + timedelta(days=2)) == 0
    [link] = links_in(confirmation, "/suivre/confirmer/")
    client.post(path_of(link))
    assert Subscription.objects.get().is_confirmed


def test_export_and_erase_cover_the_subscriptions(home, action):
    confirmed(action)
    confirmed(action, email="voisin@example.org")
    exported = rgpd.export("CAMILLE@example.org")
    [rows] = [
        item["rows"]
        for item in exported["processings"]
        if item["processing"] == str(Subscription.personal_data.name)
    ]
    assert [row["email"] for row in rows] == [CITIZEN]
    counts = rgpd.erase("Camille@example.org")
    assert counts[str(Subscription.personal_data.name)] == 1
    assert list(Subscription.objects.values_list("email", flat=True)) == ["voisin@example.org"]


def test_the_register_of_processings_states_consent_and_retention(client, home):
    processing = Subscription.personal_data
    assert processing.legal_basis == rgpd.CONSENT
    assert processing.retention_display() == "7 jours"


EDITORS = "Communication — rédacteurs"


def test_the_staff_see_counts_per_followed_page_never_the_addresses(client, home, action):
    confirmed(action)
    confirmed(action, email="voisin@example.org")
    Subscription.objects.create(email="attente@example.org", page=action, target=Target.ACTION)
    index = agenda(home)
    confirmed(index, target=Target.AGENDA, filters="commune=corne")
    client.force_login(factories.UserFactory(username="redactrice", groups=[EDITORS]))

    listing = client.get(reverse("follow_counts"))
    assert listing.status_code == 200
    assert "Jardins partagés" in listing.text
    assert "Agenda (Corné)" in listing.text
    assert "<td>2</td>" in listing.text and "<td>1</td>" in listing.text
    for address in (CITIZEN, "voisin@example.org", "attente@example.org"):
        assert address not in listing.text

    # The page's header in the editor tells how many follow it.
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[action.pk]))
    assert "2 abonnés par courriel" in editor.text


def test_the_staff_preview_the_next_digest(client, home):
    from tests.factories.events import EventPageFactory, dates, in_days

    index = agenda(home)
    EventPageFactory(parent=index, title="Marché de Corné", occurrences=dates(in_days(2)))
    confirmed(index, target=Target.AGENDA, filters="commune=corne")
    client.force_login(factories.UserFactory(username="redactrice", groups=[EDITORS]))
    preview = client.get(reverse("follow_preview", args=[index.pk]) + "?commune=corne")
    assert preview.status_code == 200
    assert "Marché de Corné" in preview.text
    assert "Les événements des sept prochains jours" in preview.text
    assert CITIZEN not in preview.text


def test_other_filters_or_the_other_language_do_not_send_a_second_confirmation(
    client, home, english, django_capture_on_commit_callbacks
):
    index = agenda(home)
    english_agenda = factories.home.translate(index, english)
    with django_capture_on_commit_callbacks(execute=True):
        for query in ("?commune=corne", "?commune=andard", ""):
            url = reverse("follow:subscribe", args=[index.pk]) + query
            assert client.post(url, {"email": CITIZEN, "consent": "on"}).status_code == 200
        url = reverse("follow:subscribe", args=[english_agenda.pk])
        assert client.post(url, {"email": CITIZEN, "consent": "on"}).status_code == 200
    assert len(mail.outbox) == 1
    assert "Corné" in mail.outbox[0].subject
