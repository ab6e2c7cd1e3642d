"""Journey 6 of issue 13, in a real browser: a moderator of the town hall reads a
ceremony sign-up in full (name, email, the child's birth date, the number of people),
confirms it, the citizen is told by email, and the headcount of the ceremony follows."""

import re
import time

from django.core import mail

import pytest
from playwright.sync_api import expect

from events.models import CeremonyKind, CeremonyRegistration
from tests import factories
from tests.factories.events import CeremonyPageFactory, agenda, dates, paris

MODERATORS = "Communication — modérateurs"
PASSWORD = "correct horse battery"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR"}


@pytest.fixture
def sign_up(home):
    ceremony = CeremonyPageFactory(
        parent=agenda(home),
        title="Accueil des nouveau-nés 2027",
        slug="naissances",
        kind=CeremonyKind.BIRTH,
        occurrences=dates(paris(2027, 6, 19, 11)),
        place_name="Salle du conseil",
        address="1 place de la Mairie",
    )
    return CeremonyRegistration.objects.create(
        ceremony=ceremony,
        name="Léa Martin",
        email="lea@example.org",
        phone="06 11 22 33 44",
        child_name="Jules",
        child_birth_date="2026-09-03",
        guests=4,
    )


def wait_until(condition, seconds=10):
    """The server answers in its own thread: the test waits for what it wrote."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the server did not do it in time"
        time.sleep(0.2)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_moderator_reads_a_sign_up_confirms_it_and_sees_the_headcount(live_server, page, sign_up):
    from axes.utils import reset

    reset()  # failed logins of earlier tests must not lock this account out
    factories.UserFactory(username="moderateur", groups=[MODERATORS])
    base = live_server.url
    mail.outbox.clear()

    page.goto(base + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("moderateur")
    page.get_by_placeholder("Entrez un mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(base + "/admin/")

    # The listing counts who is coming: nobody confirmed yet, one sign-up of 4 people.
    page.get_by_role("link", name="Inscriptions aux cérémonies").click()
    headcount = page.locator("#ceremony-headcount")
    expect(headcount).to_contain_text("Accueil des nouveau-nés 2027")
    expect(headcount.locator("td")).to_have_text(["0", "0", "1", "4"])
    page.get_by_role("link", name="Léa Martin").click()

    # Everything the citizen sent, in French, above what the staff decide.
    sent = page.locator("dl.ceremony-sign-up")
    expect(page.get_by_text("Ce que la personne a envoyé")).to_be_visible()
    for shown in [
        "Accueil des nouveau-nés 2027",
        "Léa Martin",
        "lea@example.org",
        "06 11 22 33 44",
        "Jules",
        "3 septembre 2026",
        "Nombre de personnes",
    ]:
        expect(sent).to_contain_text(shown)
    expect(sent.locator("dd", has_text=re.compile(r"^\s*4\s*$"))).to_have_count(1)
    expect(sent).not_to_contain_text("None")

    page.get_by_role("combobox", name="Statut").select_option(label="confirmée")
    page.get_by_role("button", name="Enregistrer").click()

    # Back on the listing: the sign-up is confirmed, and counted so.
    expect(page.get_by_text("Inscriptions aux cérémonies").first).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Léa Martin.*confirmée"))).to_be_visible()
    expect(headcount.locator("td")).to_have_text(["1", "4", "0", "0"])

    # Léa is told, once, in French, with the date, the place and how many are expected.
    wait_until(lambda: any(email.to == ["lea@example.org"] for email in mail.outbox))
    [email] = [email for email in mail.outbox if email.to == ["lea@example.org"]]
    assert "Accueil des nouveau-nés 2027" in email.subject and "confirmée" in email.subject
    assert "samedi 19 juin 2027 à 11\u00a0h" in email.body
    assert "Salle du conseil, 1 place de la Mairie" in email.body
    assert "Pour : 4 personnes" in email.body
    sign_up.refresh_from_db()
    assert sign_up.status == CeremonyRegistration.Status.CONFIRMED
