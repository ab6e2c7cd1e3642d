"""An association's volunteer in the admin, and the communication team moderating
what it sends (issue 13, journeys 1 and 2), in a real browser, in French.

Claire, of the Comité des fêtes d'Andard, logs in through the login page, finds her
association on her dashboard, edits its page, adds a weekly event and a mission and
sends them to the communication team; she never sees the football club's things.
The moderator asks for changes with a comment: Claire gets a kind French email and
sees the comment in the editor, makes the change and sends it again; approved, the
event is on the public agenda and in its calendar feed."""

import re
import time

from django.core import mail
from django.urls import reverse

from wagtail.models import GroupCollectionPermission, Workflow

import pytest
import wagtail_factories
from playwright.sync_api import expect

from bénévolat.accounts import ensure_members_group
from events.models import EventPage, Repeat
from tests import factories
from tests.factories import benevolat as bf
from tests.factories.events import EventPageFactory, agenda, in_days

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery"
MODERATORS = "Communication — modérateurs"
SEND = "Envoyer à l'équipe communication pour validation"
SEND_AGAIN = "Renvoyer à l'équipe communication"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR"}


@pytest.fixture
def town(db):
    """Two associations, each with a member, a mission, a draft event and an image of
    its own; the agenda; a moderator."""
    from axes.utils import reset

    reset()  # failed logins of earlier tests must not lock these accounts out
    home = factories.make_site_home()
    agenda(home).save_revision().publish()
    directory = bf.association_directory(home)
    comite = bf.AssociationPageFactory(parent=directory, title="Comité des fêtes d'Andard")
    foot = bf.AssociationPageFactory(parent=directory, title="US Loire-Authion football")
    claire = factories.UserFactory(
        username="claire", first_name="Claire", email="claire@comite.example.org"
    )
    claire.groups.add(ensure_members_group(comite))
    karim = factories.UserFactory(username="karim", email="karim@foot.example.org")
    karim.groups.add(ensure_members_group(foot))
    moderator = factories.UserFactory(
        username="moderatrice", email="com@loire-authion.example.org", groups=[MODERATORS]
    )
    buvette = bf.MissionPageFactory(parent=comite, title="Tenir la buvette du marché de Noël")
    u9 = bf.MissionPageFactory(parent=foot, title="Encadrer les U9")
    foot_event = EventPageFactory(parent=foot, title="Tournoi des U9 (brouillon)", live=False)
    bf.VolunteerRequestFactory(mission=buvette, name="Jeanne Dupuis")
    bf.VolunteerRequestFactory(mission=u9, name="Paul Martin")
    for association, title in ((comite, "Affiche du loto"), (foot, "Maillot du club")):
        collection = (
            GroupCollectionPermission.objects.filter(
                group=ensure_members_group(association), permission__codename="add_image"
            )
            .first()
            .collection
        )
        wagtail_factories.ImageFactory(title=title, collection=collection)
    return {
        "home": home,
        "comite": comite,
        "foot": foot,
        "claire": claire,
        "moderator": moderator,
        "foot_event": foot_event,
    }


def log_in(page, base_url, username):
    page.context.clear_cookies()
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_placeholder("Entrez un mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(base_url + "/admin/")


def send_to_the_team(page, label=SEND):
    # Wagtail 8 autosaves the draft half a second after the last change: let it
    # finish before the last click (SQLite allows one writer at a time).
    page.get_by_role("tab", name="Contenu").click()  # closes a date picker left open
    page.wait_for_timeout(800)
    expect(page.locator("#w-autosave-indicator")).not_to_have_attribute(
        "data-w-autosave-state-value", "saving", timeout=15_000
    )
    page.get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name=label).click()
    # Sent: Wagtail goes back to the listing of the association's pages.
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))


def wait_until(condition, seconds=10):
    """The server answers in its own thread: the test waits for what it wrote."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the server did not do it in time"
        time.sleep(0.2)


def test_a_member_edits_their_association_adds_a_weekly_event_and_a_mission(
    live_server, page, town, axe_violations
):
    """Journey 1."""
    url = live_server.url
    log_in(page, url, "claire")

    # The dashboard is her association's; no site-wide counts nor technical reports.
    expect(
        page.get_by_role("heading", name="Votre association : Comité des fêtes d'Andard")
    ).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile(r"1\s+Nouvelles demandes de bénévoles"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Rapports")).to_have_count(0)
    expect(page.get_by_text(re.compile(r"^\d+ Pages?$"))).to_have_count(0)
    assert axe_violations(page) == []

    # Her association's page: what she writes, no address nor search-engine tab.
    page.get_by_role("link", name="Modifier la page de l'association").click()
    expect(page.get_by_role("tab", name="Contenu")).to_be_visible()
    expect(page.get_by_role("tab", name="Promotion")).to_have_count(0)
    page.locator("#id_meeting_times").fill("Le premier lundi du mois à 20 h 30")
    send_to_the_team(page)
    expect(
        page.get_by_text("soumise pour modération").or_(page.get_by_text("a été soumise"))
    ).to_be_visible()

    # A weekly event: no municipal service to choose, only her own images.
    page.goto(url + "/admin/")
    page.get_by_role("link", name="Ajouter un événement ou une mission").click()
    page.get_by_role("link", name="Événement", exact=True).click()
    expect(page.get_by_text("Service municipal")).to_have_count(0)
    expect(page.get_by_role("tab", name="Promotion")).to_have_count(0)
    assert axe_violations(page) == []
    page.get_by_placeholder("Titre de la page*").fill("Atelier couture du mardi")
    page.get_by_role("textbox", name="Résumé").fill("Couture et tricot, tous niveaux.")
    start = in_days(14, hour=18)
    page.locator("#id_occurrences-0-start").fill(f"{start:%Y-%m-%d} 18:00")
    page.keyboard.press("Tab")
    page.locator("#id_occurrences-0-end").fill(f"{start:%Y-%m-%d} 20:00")
    page.keyboard.press("Tab")
    page.get_by_role("combobox", name="Répétition").select_option(label="Chaque semaine")
    until = in_days(14 + 7 * 5)
    page.locator("#id_repeat_until").fill(f"{until:%Y-%m-%d}")
    page.keyboard.press("Tab")
    page.locator("#id_place_name").fill("Salle des fêtes d'Andard")
    page.get_by_role("combobox", name="Commune déléguée").select_option(label="Andard")
    send_to_the_team(page)
    expect(page.get_by_text("Atelier couture du mardi").first).to_be_visible()

    event = EventPage.objects.get(title="Atelier couture du mardi")
    assert event.association_id == town["comite"].pk and not event.live
    assert event.workflow_in_progress
    assert event.repeat == Repeat.WEEKLY and event.occurrences.count() == 6
    assert event.slug == "atelier-couture-du-mardi" and not event.municipal_service

    # A mission, under her association.
    page.goto(url + "/admin/")
    page.get_by_role("link", name="Ajouter un événement ou une mission").click()
    page.get_by_role("link", name="Mission de bénévolat", exact=True).click()
    page.get_by_placeholder("Titre de la page*").fill("Installer les tables du loto")
    page.get_by_role("textbox", name="Résumé").fill("Une heure le samedi matin.")
    page.locator("#id_description").locator("..").get_by_role("textbox").fill(
        "Installer les tables et les chaises avec l'équipe."
    )
    page.locator("#id_start_date").fill(f"{in_days(20):%Y-%m-%d}")
    page.keyboard.press("Tab")
    page.locator("#id_volunteers_needed").fill("4")
    send_to_the_team(page)
    expect(page.get_by_text("Installer les tables du loto").first).to_be_visible()

    # Her dashboard: three pages waiting for the team, her coming event.
    page.goto(url + "/admin/")
    waiting = page.get_by_role(
        "heading", name="En attente de validation par l'équipe communication"
    )
    expect(waiting).to_be_visible()
    association = page.get_by_role("region", name=re.compile("Votre association"))
    for title in (
        "Comité des fêtes d'Andard",
        "Atelier couture du mardi",
        "Installer les tables du loto",
    ):
        expect(association.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile(r"3\s+Pages en attente de validation"))
    ).to_be_visible()
    expect(
        page.get_by_role(
            "row", name=re.compile("Atelier couture du mardi.*en attente de validation")
        )
    ).to_be_visible()

    # Nothing of the football club, in the listings nor the requests.
    page.get_by_role("link", name=re.compile(r"Nouvelles demandes de bénévoles")).click()
    expect(page.get_by_text("Jeanne Dupuis")).to_be_visible()
    expect(page.get_by_text("Paul Martin")).to_have_count(0)
    page.goto(url + reverse("wagtailadmin_pages:search") + "?q=U9")
    expect(page.get_by_text("Encadrer les U9")).to_have_count(0)
    expect(page.get_by_text("Tournoi des U9")).to_have_count(0)
    page.goto(url + reverse("wagtailadmin_explore", args=[town["foot"].pk]))
    expect(page.get_by_text("Tournoi des U9")).to_have_count(0)
    page.get_by_role("link", name="Images").click()
    expect(page.get_by_text("Affiche du loto")).to_be_visible()
    expect(page.get_by_text("Maillot du club")).to_have_count(0)


def test_the_moderator_asks_for_changes_then_approves_the_event(live_server, page, town):
    """Journey 2."""
    url = live_server.url
    comite, claire = town["comite"], town["claire"]
    event = EventPageFactory(
        parent=comite,
        title="Grand loto du comité",
        live=False,
        place_name="Salle des fêtes",
        occurrences=factories.events.dates(in_days(10)),
    )
    revision = event.save_revision(user=claire)
    Workflow.objects.get(name="Validation communication").start(event, claire)
    assert revision and event.workflow_in_progress
    mail.outbox.clear()

    # The moderator sees the page waiting for her on her dashboard, and asks for
    # changes with a comment.
    log_in(page, url, "moderatrice")
    expect(page.get_by_role("link", name=re.compile(r"1\s+Pages à valider"))).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Grand loto du comité"))
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Demander des modifications").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("textbox").fill("Merci de préciser l'adresse de la salle.")
    dialog.get_by_role("button", name="Demander des modifications").click()
    wait_until(lambda: any(email.to == [claire.email] for email in mail.outbox))
    # Back on her dashboard, nothing waits for her any more.
    expect(page.get_by_role("row", name=re.compile("Grand loto du comité"))).to_have_count(0)
    page.wait_for_load_state()

    # Claire's email: kind, French, the page, the comment, what to do next.
    [email] = [email for email in mail.outbox if email.to == [claire.email]]
    assert email.subject == (
        "Modifications demandées avant la mise en ligne de « Grand loto du comité »"
    )
    assert "Bonjour Claire," in email.body
    assert "« Grand loto du comité » (événement)" in email.body
    assert "« Merci de préciser l'adresse de la salle. »" in email.body
    assert f"/admin/pages/{event.pk}/edit/" in email.body
    assert "rejet" not in (email.subject + email.body).lower()

    # In the editor, Claire reads the comment, makes the change and sends it again.
    log_in(page, url, "claire")
    expect(
        page.get_by_role("heading", name="Modifications demandées par l'équipe communication")
    ).to_be_visible()
    expect(page.get_by_text("« Merci de préciser l'adresse de la salle. »")).to_be_visible()
    page.goto(url + reverse("wagtailadmin_pages:edit", args=[event.pk]))
    changes_asked = "L'équipe communication demande des modifications : « Merci de préciser"
    expect(page.get_by_text(re.compile(changes_asked))).to_be_visible()
    page.locator("#id_address").fill("12 rue de la Mairie, Andard")
    send_to_the_team(page, SEND_AGAIN)
    expect(page.get_by_text("Grand loto du comité").first).to_be_visible()
    mail.outbox.clear()

    # The moderator approves: published, Claire told, on the agenda and in its feed.
    log_in(page, url, "moderatrice")
    row = page.get_by_role("row", name=re.compile("Grand loto du comité"))
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approuver", exact=True).click()
    wait_until(lambda: any(email.to == [claire.email] for email in mail.outbox))
    event.refresh_from_db()
    assert event.live and event.address == "12 rue de la Mairie, Andard"
    [approved] = [email for email in mail.outbox if email.to == [claire.email]]
    assert approved.subject == "« Grand loto du comité » est validé et en ligne"

    page.goto(url + "/agenda/")
    expect(page.get_by_role("link", name="Grand loto du comité")).to_be_visible()
    feed = page.request.get(url + "/agenda/ical/")
    assert feed.ok and "SUMMARY:Grand loto du comité" in feed.text().replace("\r\n ", "")
