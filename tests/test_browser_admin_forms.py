"""Journey 8 of issue 13, in a real browser: the communication team builds a survey with
the form builder and publishes it; a citizen answers it in French, another on its
English copy; the team reads both answers counted together in the results summary and
exports them with French dates."""

import csv
import io
import re
from pathlib import Path

from django.urls import reverse

import pytest
from playwright.sync_api import expect

from expression.models import FormPage
from tests import factories

MODERATORS = "Communication — modérateurs"
PASSWORD = "correct horse battery"


@pytest.fixture
def browser_context_args(browser_context_args):
    # The team's browsers ask for French: the login page follows them.
    return {**browser_context_args, "locale": "fr-FR"}


@pytest.fixture
def moderator(db):
    from axes.utils import reset

    reset()  # failed logins of earlier tests must not lock the account out
    return factories.UserFactory(username="moderatrice", groups=[MODERATORS])


def log_in(page, base_url, username):
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_placeholder("Entrez un mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(base_url + "/admin/")


def answer(page, url, choice, thanks):
    page.goto(url)
    page.get_by_label(choice, exact=True).check()
    survey = page.locator("form:has(input[name=consent])")
    survey.locator("input[name=consent]").check()
    survey.locator("button[type=submit]").click()
    expect(page.get_by_text(thanks)).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_team_builds_a_survey_and_reads_the_answers_of_both_languages(
    live_server, page, browser, moderator
):
    # Autosave stays on, as the team has it: its copy of the new page, made while the
    # team types, is replaced by the form they publish (home.wagtail_hooks).
    home = factories.make_site_home()
    log_in(page, live_server.url, "moderatrice")

    # The form builder: a title, one question with its choices, then publish.
    page.goto(
        live_server.url
        + reverse("wagtailadmin_pages:add", args=["expression", "formpage", home.pk])
    )
    page.get_by_placeholder("Titre de la page*").fill("Votre avis sur la fête de la Loire")
    page.get_by_role("button", name=re.compile("^Ajouter un champ")).click()
    page.get_by_role("textbox", name="Étiquette*").fill("Avez-vous aimé la fête ?")
    page.get_by_role("combobox", name="Type de champ*").select_option(label="Boutons radio")
    page.get_by_role("textbox", name="Choix").fill("Beaucoup\nUn peu\nPas du tout")
    page.get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("créée et publiée")).to_be_visible()
    survey = FormPage.objects.get(title="Votre avis sur la fête de la Loire")
    english = factories.translate(survey)  # wagtail-localize's copy (journey 7 makes one)

    # Two citizens: one on the French page, one on the English copy.
    citizen = browser.new_context(locale="fr-FR").new_page()
    answer(citizen, live_server.url + survey.url, "Beaucoup", "Merci, vos réponses ont bien")
    answer(citizen, live_server.url + english.url, "Un peu", "Thank you, your answers have")
    citizen.context.close()

    # The team: one entry in the Forms list, both answers under it.
    page.get_by_role("link", name="Formulaires").click()
    entries = page.get_by_role("link", name="Votre avis sur la fête de la Loire")
    expect(entries).to_have_count(1)
    entries.click()
    expect(page.get_by_text("2 Soumissions de formulaire")).to_be_visible()
    page.get_by_role("link", name="Synthèse des résultats").click()
    summary = page.locator("main")
    expect(summary).to_contain_text("Avez-vous aimé la fête ?")
    expect(summary.get_by_role("row", name=re.compile("^Beaucoup\\s+1\\b"))).to_be_visible()
    expect(summary.get_by_role("row", name=re.compile("^Un peu\\s+1\\b"))).to_be_visible()

    # The export opens in a spreadsheet with French dates.
    page.go_back()
    page.get_by_role("button", name=re.compile("Plus d'actions|Actions")).first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("CSV")).click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert len(rows) == 1 + 2
    assert sorted(row[1] for row in rows[1:]) == ["Beaucoup", "Un peu"]
    assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", row[0]) for row in rows[1:])
