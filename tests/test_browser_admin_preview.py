"""The admin as the communication team uses it: previewing every page type, the live
preview panel, and translating a page into English (issue 13)."""

import re

from django.urls import reverse
from django.utils.html import escape

from wagtail.models import Page, get_page_models

import pytest
from playwright.sync_api import expect

from actions.blocks import StepStatus
from tests import factories
from tests.factories.actions import ActionPageFactory, action_plan

MODERATORS = "Communication — modérateurs"
EDITORS = "Communication — rédacteurs"


def concrete_page_models():
    return [model for model in get_page_models() if model is not Page]


@pytest.mark.django_db
@pytest.mark.parametrize("model", concrete_page_models(), ids=lambda model: model.__name__)
def test_a_moderator_previews_every_page_type(client, home, model):
    """The draft view and the revision view rebuild the page from its revision, as
    the preview panel does from the form: many-to-many fields are then in memory
    (modelcluster), not in the database, and the page must still render."""
    page = factories.PAGE_FACTORIES[model](home)
    revision = page.save_revision()
    client.force_login(factories.UserFactory(username="moderateur", groups=[MODERATORS]))

    draft = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    revision_view = client.get(
        reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk])
    )

    assert draft.status_code == 200
    assert revision_view.status_code == 200
    assert escape(page.title) in draft.text


@pytest.mark.django_db
def test_a_preview_shows_the_related_actions_of_the_draft(client, home):
    plan = action_plan(home)
    action = ActionPageFactory(parent=plan, title="Créer un conseil des jeunes")
    related = ActionPageFactory(parent=plan, number=31, title="Ouvrir un local jeunes")
    action.related_actions.set([related])
    action.save_revision()  # chosen in the draft, not yet published
    client.force_login(factories.UserFactory(username="moderateur", groups=[MODERATORS]))

    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=[action.pk]))
    public = client.get(action.url)

    assert "Ouvrir un local jeunes" in preview.text
    assert "Ouvrir un local jeunes" not in public.text


@pytest.mark.django_db
def test_only_the_admin_may_frame_a_preview(client, home):
    """Wagtail makes the preview by running the middleware again on the page's own
    address: the public page's policy must not forbid the admin's preview panel.
    (X-Frame-Options: Wagtail's preview views set SAMEORIGIN themselves; the panel's
    browser test checks the whole.)"""
    page = factories.StandardPageFactory(parent=home)
    client.force_login(factories.UserFactory(username="moderateur", groups=[MODERATORS]))

    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    public = client.get(page.url)

    assert "frame-ancestors 'self'" in preview.headers["Content-Security-Policy"]
    assert "script-src 'self';" in preview.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in public.headers["Content-Security-Policy"]
    assert public.headers["X-Frame-Options"] == "DENY"


# In a real browser -------------------------------------------------------------------

PASSWORD = "correct horse battery"


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


def log_in(page, base_url, username):
    """Through the login page, as a member of the team does it."""
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(base_url + "/admin/")


@pytest.fixture
def action(db):
    home = factories.make_site_home()
    return ActionPageFactory(
        parent=action_plan(home),
        number=13,
        title="Instituer un Conseil municipal Enfants",
        steps=[("step", {"title": "Élire les enfants", "status": StepStatus.DONE})],
    )


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_moderator_sees_the_action_in_the_preview_panel(live_server, page, team, action, width):
    """The panel frames the preview: it stays blank if the preview refuses framing."""
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url, "moderateur")
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[action.pk]))

    page.get_by_role("button", name="Afficher/masquer la prévisualisation").click()

    # Wagtail loads each new preview in a second frame, then swaps it in: the last.
    preview = page.frame_locator("iframe[title='Prévisualisation']").last
    # The panel posts the form, then loads the preview: slow on a busy machine.
    expect(preview.get_by_role("heading", level=1)).to_have_text(
        "Instituer un Conseil municipal Enfants", timeout=20_000
    )
    expect(preview.get_by_text("Élire les enfants")).to_be_visible()
    # The panel refreshes the preview on its own (and the editor pings the server):
    # leave the editor and give the server a moment to answer what was in flight, so
    # no request meets the test's database while it is being taken down.
    page.goto("about:blank")
    page.wait_for_timeout(1000)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_editor_translates_an_action_and_a_moderator_publishes_it(
    live_server, page, team, action
):
    """Journey 7. wagtail-localize's editor saves each translated text as the editor
    goes; an editor cannot publish, so the English page keeps its French title until
    a moderator publishes the translation."""
    english = factories.english()
    for ancestor in action.get_ancestors().filter(depth__gt=1).specific():
        factories.translate(ancestor, english)
    log_in(page, live_server.url, "redacteur")
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[action.pk]))

    page.get_by_role("button", name="Actions", exact=True).click()
    page.get_by_role("link", name="Traduire cette page").click()
    page.get_by_label("English").check()
    page.get_by_role("button", name="Soumettre").click()
    expect(page.get_by_text("a été soumise avec succès pour traduction")).to_be_visible()
    page.get_by_role("button", name="Traduire").first.click()  # the title comes first
    page.locator("textarea").first.fill("Set up a children's town council")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Set up a children's town council")).to_be_visible()
    assert not page.get_by_role("button", name=re.compile("^Publier")).count()
    translation = action.get_translation(english)

    page.context.clear_cookies()
    log_in(page, live_server.url, "moderateur")
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[translation.pk]))
    page.get_by_role("button", name=re.compile(r"^Publier dans\s*English")).click()
    expect(page.get_by_text("a été publié(e) en English")).to_be_visible()

    page.goto(live_server.url + translation.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a children's town council")
