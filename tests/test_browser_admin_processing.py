"""The staff's processing tools in a real browser (issue 13), each journey logged in
through the login page as the real role:

4. a citizen sends a report with a photo; the participation team assigns it to a
   service from the listing (the service is emailed), answers it from a template (the
   citizen is emailed) and publishes it as a question and answer without personal data;
5. an association declines a volunteer request with a reason (the volunteer is
   emailed), records hours, and downloads the export as a French spreadsheet reads it.
"""

import csv
import datetime
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.core import mail
from django.utils import timezone

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from bénévolat.models import VolunteerHours, VolunteerRequest
from expression.models import Submission
from tests import factories
from tests.factories import benevolat as bf
from tests.factories import expression as expression_factories
from tests.factories.expression import jpeg_with_location, outbox_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AGENTS = "Participation citoyenne — agents"
PASSWORD = "correct horse battery"
SERVICE_EMAIL = "voirie@loire-authion.example.org"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "accept_downloads": True}


def log_in(page, base_url, username):
    from axes.utils import reset

    reset()  # failed logins of earlier tests must not lock this account out
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_placeholder("Entrez un mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(base_url + "/admin/")


def select_row(page, title):
    """Tick a listing row's checkbox, as a person does: hovering the row shows it."""
    row = page.get_by_role("row").filter(has_text=title)
    row.hover()
    row.locator("input[data-bulk-action-checkbox]").check()


@pytest.fixture
def idea_box(db):
    home = factories.make_site_home()
    expression_factories.ServiceFactory(name="Voirie", email=SERVICE_EMAIL)
    expression_factories.AnswerTemplateFactory(
        title="Signalement pris en charge",
        body="Merci pour votre signalement : le service voirie interviendra sous quinze jours.",
    )
    factories.UserFactory(username="agent.participation", groups=[AGENTS])
    return {
        "expression": expression_factories.expression_page(home),
        "qa": expression_factories.questions_answers_page(home),
    }


def test_journey_4_a_report_with_a_photo_is_assigned_answered_and_published(
    live_server, page, idea_box
):
    base = live_server.url
    photo = jpeg_with_location()

    # The citizen reports a pothole, with a photo.
    page.goto(base + idea_box["expression"].url)
    page.get_by_label("Signalement d'un problème dans l'espace public").check()
    page.get_by_role("textbox", name="Objet").fill("Nid-de-poule rue de la Loire")
    page.get_by_role("textbox", name="Message").fill(
        "Je suis Camille Martin, j'habite au 12 rue de la Loire : un trou profond s'est "
        "formé devant chez moi."
    )
    page.get_by_label("Commune déléguée concernée").select_option(label="Andard")
    page.locator("input[name=photo]").set_input_files(
        files=[{"name": photo.name, "mimeType": "image/jpeg", "buffer": photo.read()}]
    )
    page.get_by_label("Votre nom").fill("Camille Martin")
    page.get_by_label("Votre adresse électronique").fill("camille.martin@example.org")
    page.get_by_label("J'accepte que la commune conserve ce message").check()
    page.get_by_role("button", name="Envoyer mon message").click()
    page.wait_for_url("**/boite-a-idees/confirmation/")
    report = Submission.objects.get(subject="Nid-de-poule rue de la Loire")
    assert report.photo
    mail.outbox.clear()  # the acknowledgement and the team's notice

    # The participation team assigns it to the roads service from the listing.
    log_in(page, base, "agent.participation")
    page.get_by_role("button", name="Expression citoyenne").click()
    # The menu's link: the submenu renders after the click, and the dashboard has
    # links whose names begin the same way.
    page.locator("#wagtail-sidebar").get_by_role(
        "link", name="Messages citoyens", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Messages citoyens")
    select_row(page, "Nid-de-poule rue de la Loire")
    # The footer's buttons are named for screen readers by what they do to the selection.
    page.get_by_role("link", name="Confier les messages choisis à un service").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confier à un service")
    expect(page.get_by_role("link", name=re.compile("Nid-de-poule"))).to_be_visible()
    page.get_by_label("Service municipal").select_option(label="Voirie")
    page.get_by_role("button", name="Confier").click()
    expect(page.get_by_text("1 message confié à Voirie.")).to_be_visible()

    [to_service] = outbox_to(SERVICE_EMAIL)
    assert report.reference in to_service.subject
    assert "Signalement d'un problème dans l'espace public" in to_service.body
    assert "Commune déléguée : Andard" in to_service.body
    assert f"/admin/expression/messages/edit/{report.pk}/" in to_service.body
    assert "camille.martin@example.org" not in to_service.body
    # Given to a service, the report is in progress, and its sender is told.
    expect(page.get_by_role("row").filter(has_text="Nid-de-poule")).to_contain_text("en cours")
    report.refresh_from_db()
    assert report.status == Submission.Status.IN_PROGRESS
    [in_progress] = outbox_to("camille.martin@example.org")
    assert f"{report.reference} : En cours" in in_progress.subject
    mail.outbox.clear()

    # It answers from a template and publishes an anonymised version.
    page.get_by_role("link", name="Nid-de-poule rue de la Loire").click()
    expect(page.locator("img[src*='/photo/']")).to_be_visible()
    page.get_by_label("Partir d'une réponse type").select_option(label="Signalement pris en charge")
    # The template's text lands in the answer, to edit.
    expect(page.locator("textarea[name=answer]")).to_have_value(re.compile("quinze jours"))
    page.get_by_label("Envoyer la réponse par courriel à l'habitant").check()
    page.get_by_label("Publié dans les questions et réponses").check()
    page.get_by_label("Question publiée").fill(
        "Un trou profond s'est formé rue de la Loire : quand sera-t-il rebouché ?"
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.get_by_text(re.compile("Nid-de-poule rue de la Loire.{1,3}modifié"))
    ).to_be_visible()

    [answer] = outbox_to("camille.martin@example.org")
    assert "le service voirie interviendra sous quinze jours" in answer.body
    report.refresh_from_db()
    assert report.status == Submission.Status.ANSWERED and report.is_published

    # The history tells who did what.
    page.goto(base + f"/admin/expression/messages/history/{report.pk}/")
    expect(page.get_by_text("Confié à Voirie")).to_be_visible()
    expect(page.get_by_text("Statut : reçue → en cours")).to_be_visible()
    expect(page.get_by_text("Réponse envoyée par courriel à la personne")).to_be_visible()
    expect(page.get_by_text("le service voirie interviendra sous quinze jours")).to_be_visible()
    # The link opens the public page in a new tab (the site's own address: here, the
    # test server's path).
    link = page.get_by_role("link", name="La lire dans les questions et réponses")
    public = urlsplit(link.get_attribute("href"))
    assert public.path == idea_box["qa"].url and public.fragment == f"question-{report.pk}"

    # The public question shows the answer, never who wrote it.
    page.goto(base + public.path)
    main = page.locator("main")
    expect(main).to_contain_text("quand sera-t-il rebouché ?")
    expect(main).to_contain_text("le service voirie interviendra sous quinze jours")
    for personal in ["Camille", "Martin", "camille.martin@example.org", "12 rue de la Loire"]:
        expect(main).not_to_contain_text(personal)


@pytest.fixture
def association(db):
    home = factories.make_site_home()
    from bénévolat.accounts import ensure_members_group

    comite = bf.association(home, title="Comité des fêtes d'Andard")
    mission = bf.MissionPageFactory(parent=comite, title="Buvette du marché de Noël")
    # Its English copy, and another association's mission: neither is the member's to pick.
    factories.translate(mission)
    club = bf.association(home, title="US Loire-Authion football")
    bf.MissionPageFactory(parent=club, title="Encadrer les U9")
    member = factories.UserFactory(username="claire", email="claire@comite.example.org")
    member.groups.add(ensure_members_group(comite))
    volunteer = bf.VolunteerRequestFactory(
        mission=mission, name="Jeanne Dupuis", email="jeanne@example.org"
    )
    return {"mission": mission, "volunteer": volunteer}


def test_journey_5_a_request_is_declined_hours_are_recorded_and_exported(
    live_server, page, association
):
    base = live_server.url
    log_in(page, base, "claire")

    # The association declines the request, with the reason the volunteer receives.
    page.get_by_role("button", name="Bénévolat").click()
    page.get_by_role("link", name="Demandes de bénévolat").click()
    select_row(page, "Jeanne Dupuis")
    page.get_by_role("link", name="Décliner les demandes choisies").click()
    page.get_by_label("Motif donné aux bénévoles").select_option(
        label="la mission a trouvé ses bénévoles"
    )
    page.get_by_role("button", name="Décliner et envoyer le courriel").click()
    expect(page.get_by_text("1 demande déclinée")).to_be_visible()
    assert VolunteerRequest.objects.get().status == VolunteerRequest.Status.DECLINED
    [declined] = outbox_to("jeanne@example.org")
    assert "la mission a trouvé ses bénévoles" in declined.body

    # It records the hours another volunteer gave: the mission is chosen in a list of
    # the association's own missions, in French, each once.
    page.get_by_role("button", name="Bénévolat").click()
    page.get_by_role("link", name="Heures de bénévolat").click()
    page.get_by_role("link", name="Enregistrer des heures de bénévolat").first.click()
    mission = page.get_by_role("combobox", name=re.compile(r"^Mission"))
    expect(mission.locator("option")).to_have_text(
        ["Choisissez la mission", "Buvette du marché de Noël"]
    )
    mission.select_option(label="Buvette du marché de Noël")
    page.get_by_role("textbox", name="Bénévole", exact=True).fill("Louis Martin")
    page.get_by_role("spinbutton", name=re.compile(r"^Heures")).fill("3.5")
    page.get_by_role("button", name="Créer").click()
    expect(page.get_by_role("link", name="Louis Martin")).to_be_visible()
    entry = VolunteerHours.objects.get()
    assert entry.mission == association["mission"] and str(entry.hours) == "3.50"

    # The export opens in a French spreadsheet as it is: the CSV...
    rows = spreadsheet_rows(download(page, "CSV"))
    header, [row] = rows[0], rows[1:]
    assert header == [
        "Date",
        "Structure",
        "Mission",
        "Bénévole",
        "Heures",
        "Note",
        "Saisies le",
        "Validées le",
    ]
    cells = dict(zip(header, row, strict=True))
    assert cells["Structure"] == "Comité des fêtes d'Andard"
    assert cells["Mission"] == "Buvette du marché de Noël"
    assert cells["Bénévole"] == "Louis Martin"
    assert cells["Heures"] == "3,50"
    assert cells["Date"] == f"{timezone.localdate():%d/%m/%Y}"
    # Recorded just now, in the commune's time (not UTC).
    assert cells["Saisies le"] == f"{timezone.localtime(entry.created_at):%d/%m/%Y %H:%M}"
    assert cells["Validées le"] == ""  # the team has not checked them yet

    # ... and the workbook, whose dates are dates, in local time, shown JJ/MM/AAAA HH:MM.
    workbook = load_workbook(io.BytesIO(Path(download(page, "XLSX")).read_bytes()))
    sheet = workbook.active
    assert sheet.title == page.get_by_role("heading", level=1).inner_text().strip()
    header_row, row = list(sheet.iter_rows(max_row=2))
    assert [cell.value for cell in header_row] == header
    cells = {title: cell for title, cell in zip(header, row, strict=True)}
    assert cells["Bénévole"].value == "Louis Martin"
    recorded = timezone.localtime(entry.created_at).replace(tzinfo=None)
    assert abs(cells["Saisies le"].value - recorded) < datetime.timedelta(seconds=1)
    assert cells["Saisies le"].number_format == "dd/mm/yyyy hh:mm"


def download(page, label):
    """Download the listing in this format from its "Actions" menu; the file's path."""
    page.get_by_role("button", name="Actions").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(f"Télécharger.*{label}")).click()
    page.keyboard.press("Escape")  # the menu stays open after a download
    return download_info.value.path()


def spreadsheet_rows(path):
    """The rows of a CSV as a French spreadsheet reads it: UTF-8 with its byte order
    mark, cells between semicolons."""
    content = Path(path).read_bytes()
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
