"""Journey 3 of issue 13, in a real browser: the plan's follow-up as the communication
team does it. An editor marks a step of action 5 done and adds a measurement to its
indicator, submits for moderation; a moderator previews the update (the inline
panel and a new tab) and publishes it; the action's page and the plan's overview
show the new figures."""

from django.db import connection
from django.urls import reverse

import pytest
from playwright.sync_api import expect

from actions.blocks import StepStatus
from tests import factories
from tests.factories.actions import ActionPageFactory, action_plan, indicator
from tests.test_browser_admin_preview import EDITORS, MODERATORS, log_in


@pytest.fixture
def browser_context_args(browser_context_args):
    # The team's browsers ask for French: the login page follows them.
    return {**browser_context_args, "locale": "fr-FR"}


@pytest.fixture
def team(db):
    from axes.utils import reset

    # Failed logins of earlier tests must not lock these accounts out.
    reset()
    return {
        "editor": factories.UserFactory(username="redacteur", groups=[EDITORS]),
        "moderator": factories.UserFactory(username="moderateur", groups=[MODERATORS]),
    }


@pytest.fixture
def plan(db):
    home = factories.make_site_home()
    plan = action_plan(home)
    ActionPageFactory(
        parent=plan,
        number=5,
        title="Développer des outils d'interpellation et d'expression",
        steps=[
            ("step", {"title": "Identifier les outils", "status": StepStatus.DONE}),
            ("step", {"title": "Concevoir les outils", "status": StepStatus.IN_PROGRESS}),
        ],
        indicators=[indicator(name="Contributions reçues", unit="messages", values=[12])],
    )
    ActionPageFactory(
        parent=plan,
        number=6,
        title="Créer des conseils de quartier",
        steps=[("step", {"title": "Réunir les habitants", "status": StepStatus.TODO})],
    )
    return plan


def action_5(plan):
    return plan.get_children().specific().get(actionpage__number=5)


def open_more_actions(page):
    page.get_by_role("button", name="Plus d'actions").click()


@pytest.mark.django_db
def test_a_preview_shows_the_progress_of_the_draft(client, team, plan):
    """The draft's steps are not saved to the page until it is published: the
    preview counts them itself."""
    action = action_5(plan)
    action.steps = [
        ("step", {"title": "Identifier les outils", "status": StepStatus.DONE}),
        ("step", {"title": "Concevoir les outils", "status": StepStatus.DONE}),
    ]
    action.save_revision(user=team["editor"])
    client.force_login(team["moderator"])

    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=[action.pk])).text
    public = client.get(action.url).text

    assert "2 étapes réalisées sur 2 (100 %)" in preview
    assert "1 étape réalisée sur 2 (50 %)" in public


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_team_updates_action_5_and_the_plan_shows_it(live_server, page, team, plan, settings):
    # On SQLite the live server's threads share one connection: no background
    # request (the editing session's pings, autosave) may run inside the
    # publication's savepoints. PostgreSQL runs the journey with both on.
    if connection.vendor == "sqlite":
        settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 3_600_000
        settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    action = action_5(plan)
    page.goto(live_server.url + plan.url)  # the plan's overview, before
    expect(page.get_by_text("1 étape réalisée sur 3 (33 %).")).to_be_visible()

    # The editor marks the second step done and adds November's measurement.
    log_in(page, live_server.url, "redacteur")
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[action.pk]))
    page.locator("select[name='steps-1-value-status']").select_option(label="réalisée")
    indicators = page.locator("[data-contentpath='indicators']")
    indicators.get_by_role("button", name="Ajouter", exact=True).last.click()
    measurement = "indicators-0-value-measurements-1-value"
    page.locator(f"input[name='{measurement}-date']").fill("2026-11-15")
    page.keyboard.press("Escape")  # the date picker
    page.locator(f"input[name='{measurement}-value']").fill("27")
    page.locator(f"input[name='{measurement}-comment']").fill("Boîte à idées en ligne")
    open_more_actions(page)
    page.get_by_role("button", name="Envoyer à l'équipe communication pour validation").click()
    expect(page.get_by_text("a été soumise pour modération")).to_be_visible()

    # Submitted is not published: the public page still has the old figures.
    page.goto(live_server.url + action.url)
    expect(page.get_by_text("1 étape réalisée sur 2 (50 %)")).to_be_visible()

    # The moderator previews the update in the panel, then in a new tab.
    page.context.clear_cookies()
    log_in(page, live_server.url, "moderateur")
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[action.pk]))
    page.get_by_role("button", name="Afficher/masquer la prévisualisation").click()
    preview = page.frame_locator("iframe[title='Prévisualisation']").last
    # The panel posts the form, then loads the preview: slow on a busy machine.
    expect(preview.get_by_text("2 étapes réalisées sur 2 (100 %)")).to_be_visible(timeout=20_000)
    expect(preview.get_by_text("Boîte à idées en ligne")).to_be_attached()
    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name="Prévisualiser dans un nouvel onglet").click()
    tab = new_tab.value
    expect(tab.get_by_text("2 étapes réalisées sur 2 (100 %)")).to_be_visible(timeout=20_000)
    expect(tab.locator(".status-badge").first).to_have_text("Réalisée")
    tab.close()
    page.get_by_role("button", name="Afficher/masquer la prévisualisation").click()

    open_more_actions(page)
    page.get_by_role("button", name="Approuver et publier", exact=True).click()
    expect(page.get_by_text("a été mise à jour")).to_be_visible()

    # The action's page and the plan's overview follow.
    page.goto(live_server.url + action.url)
    expect(page.get_by_text("2 étapes réalisées sur 2 (100 %)")).to_be_visible()
    expect(page.locator(".status-badge").first).to_have_text("Réalisée")
    # The indicator's figures, in the table under its chart.
    expect(page.locator("tr", has_text="15 novembre 2026")).to_contain_text("27")
    page.goto(live_server.url + plan.url)
    expect(page.get_by_text("2 étapes réalisées sur 3 (67 %).")).to_be_visible()
