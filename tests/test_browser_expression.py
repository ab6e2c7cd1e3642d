"""The idea box in a real browser (Chromium): a citizen makes a mistake, corrects it,
sends a question and reads the questions and answers; axe-core checks each state."""

import pytest

from expression.models import Submission
from tests import factories
from tests.factories import expression as expression_factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def idea_box(db):
    home = factories.make_site_home()
    expression_page = expression_factories.expression_page(home)
    qa_page = expression_factories.questions_answers_page(home)
    expression_factories.PublishedSubmissionFactory(
        kind="idea",
        public_title="Des bacs potagers près de l'école",
        public_question="Pourquoi ne pas installer des bacs potagers partagés ?",
        answer="Les services espaces verts proposeront un emplacement au printemps.",
    )
    return expression_page, qa_page


def test_a_citizen_corrects_the_form_sends_a_question_and_reads_the_answers(
    live_server, page, idea_box, axe_violations
):
    expression_page, qa_page = idea_box
    page.set_viewport_size({"width": 375, "height": 800})

    # Sent empty: the errors are listed at the top and tied to their fields.
    page.goto(live_server.url + expression_page.url)
    page.get_by_role("button", name="Envoyer mon message").click()
    errors = page.locator("#form-errors")
    errors.wait_for()
    assert "Le formulaire contient des erreurs" in errors.inner_text()
    assert page.title().startswith("Erreur")
    assert axe_violations(page) == []

    # Corrected and sent.
    page.get_by_label("Question", exact=True).check()
    page.get_by_role("textbox", name="Objet").fill("Horaires de la médiathèque")
    page.get_by_role("textbox", name="Message").fill(
        "La médiathèque de Corné ouvre-t-elle le dimanche ?"
    )
    page.get_by_label("Commune déléguée concernée").select_option(label="Corné")
    page.get_by_label("Votre nom").fill("Dominique Bernard")
    page.get_by_label("Votre adresse électronique").fill("dominique@example.org")
    page.get_by_label("J'accepte que la commune conserve ce message").check()
    page.get_by_role("button", name="Envoyer mon message").click()

    page.wait_for_url("**/boite-a-idees/confirmation/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Merci, votre message a bien été envoyé"
    assert "par courriel sous 15 jours" in page.locator("main").inner_text()
    assert Submission.objects.filter(
        subject="Horaires de la médiathèque", name="Dominique Bernard"
    ).exists()
    assert axe_violations(page) == []

    # The questions and answers, filtered with the keyboard-usable GET form.
    page.get_by_role("link", name="Lire les questions et réponses publiées").click()
    page.wait_for_url("**/questions-reponses/")
    # On a phone the filters wait behind their button.
    page.get_by_text("Filtrer les questions et réponses").click()
    page.get_by_label("Type").select_option(label="Idée")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/questions-reponses/?*type=idea*")
    assert page.get_by_role("heading", name="Des bacs potagers près de l'école").is_visible()
    assert axe_violations(page) == []
