"""Following an action from a phone, in Chromium: the citizen subscribes from the
action page, confirms from the email, and the emails themselves render readably
on a phone; axe-core checks every screen."""

import re
from urllib.parse import urlparse

from django.core import mail

import pytest

from actions.blocks import StepStatus
from tests import factories
from tests.factories.actions import ActionPageFactory, action_plan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def action(db):
    home = factories.make_site_home()
    page = ActionPageFactory(
        parent=action_plan(home),
        number=20,
        title="Développer les jardins partagés",
        steps=[
            ("step", {"title": "Trouver les terrains", "status": StepStatus.IN_PROGRESS}),
            ("step", {"title": "Former les jardiniers", "status": StepStatus.TODO}),
        ],
    )
    page.save_revision().publish()
    return page


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def local(live_server, url):
    return live_server.url + urlparse(url).path


def test_a_citizen_follows_an_action_from_a_phone(live_server, page, action, axe_violations):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + action.url)
    page.get_by_role("link", name="Suivre cette action par courriel").click()
    page.wait_for_url("**/suivre/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Suivre par courriel"
    assert axe_violations(page) == []
    assert fits_the_screen(page)

    # Sent without ticking the consent: the summary says why, focused, on screen.
    page.get_by_label("Votre adresse électronique").fill("camille@example.org")
    page.get_by_role("button", name="S'abonner").click()
    summary = page.locator("#form-errors")
    assert summary.is_visible()
    assert "acceptez l'utilisation de vos données" in summary.inner_text()
    assert axe_violations(page) == []

    page.get_by_label("J'accepte que la commune conserve mon adresse").check()
    page.get_by_role("button", name="S'abonner").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Consultez votre boîte mail"
    assert axe_violations(page) == []

    [confirmation] = mail.outbox
    [link] = [url for url in re.findall(r"https?://\S+", confirmation.body) if "/confirmer/" in url]
    page.goto(local(live_server, link))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirmer mon abonnement").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Abonnement confirmé"
    assert axe_violations(page) == []
    assert fits_the_screen(page)


def test_the_emails_render_readably_on_a_phone(live_server, page, action, axe_violations):
    from follow.models import Subscription, Target

    subscription = Subscription.objects.create(
        email="camille@example.org", page=action, target=Target.ACTION
    )
    subscription.ask_confirmation()
    subscription.confirm()
    revision = action.get_latest_revision_as_object()
    revision.steps = [
        ("step", {**block.value, "status": StepStatus.DONE}) for block in revision.steps
    ]
    revision.save_revision().publish()
    confirmation, alert = mail.outbox
    page.set_viewport_size(PHONE)
    for message in (confirmation, alert):
        [(html, mimetype)] = message.alternatives
        assert mimetype == "text/html"
        page.set_content(html)
        assert axe_violations(page) == []
        assert fits_the_screen(page)
        assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Du nouveau pour l'action")
    assert page.get_by_text("Étape réalisée : Trouver les terrains.").is_visible()
    assert page.get_by_role("link", name="Se désabonner en un clic").is_visible()


def test_a_citizen_changes_and_ends_subscriptions_from_the_email_link_on_a_phone(
    live_server, page, action, axe_violations
):
    from follow.digests import send_digests
    from follow.models import Subscription, Target
    from tests.factories.events import EventPageFactory, agenda, dates, in_days

    home = action.get_parent().get_parent()
    index = agenda(home)
    for title, commune in [("Marché de Corné", "corne"), ("Loto d'Andard", "andard")]:
        EventPageFactory(
            parent=index,
            title=title,
            commune=factories.home.commune(commune),
            occurrences=dates(in_days(2)),
        )
    for followed, target, filters in [
        (index, Target.AGENDA, "commune=corne"),
        (action, Target.ACTION, ""),
    ]:
        subscription = Subscription.objects.create(
            email="camille@example.org", page=followed, target=target, filters=filters
        )
        subscription.confirm()
    send_digests()
    [digest] = mail.outbox
    [link] = [url for url in re.findall(r"https?://\S+", digest.body) if "/mes-abonnements/" in url]

    page.set_viewport_size(PHONE)
    page.goto(local(live_server, link))
    assert page.get_by_role("heading", level=1).inner_text() == "Mes abonnements"
    assert axe_violations(page) == []
    agenda_item = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Agenda (Corné)")
    )
    agenda_item.get_by_text("Modifier les événements suivis ou la langue").click()
    assert axe_violations(page) == []
    assert fits_the_screen(page)
    agenda_item.get_by_label("Commune déléguée").select_option(label="Andard")
    agenda_item.get_by_role("button", name="Enregistrer les modifications").click()

    notice = page.get_by_role("status").filter(has_text="Vos modifications sont enregistrées")
    assert notice.is_visible()
    assert page.evaluate("document.activeElement.id") == "follow-done"
    assert page.get_by_role("heading", name="Agenda (Andard)").is_visible()
    assert axe_violations(page) == []

    page.get_by_role(
        "button", name="Arrêter cet abonnement — Développer les jardins partagés"
    ).click()
    assert page.get_by_role("status").filter(has_text="L'abonnement est terminé").is_visible()
    assert page.get_by_role("heading", name="Développer les jardins partagés").count() == 0
    assert axe_violations(page) == []
    assert fits_the_screen(page)
    [left] = Subscription.objects.filter(email="camille@example.org")
    assert (left.target, left.filters) == (Target.AGENDA, "commune=andard")
