"""The admin offers the French page (issue 13): each chooser, choice field and listing
shows a translated page once, as its French copy; the English copy is reached through
the translation tools. Hours and form answers given on an English copy count for the
French page. Actions are listed and found by their number, and revision comparisons
read as the editor wrote."""

import datetime
import re
from html import unescape

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from wagtail.contrib.forms.models import FormSubmission

import pytest

from actions.blocks import StepStatus
from bénévolat.models import VolunteerHours
from tests import factories
from tests.factories import benevolat as bf
from tests.factories.actions import ActionPageFactory, action_plan
from tests.factories.events import EventPageFactory, agenda
from tests.factories.expression import FormFieldFactory, FormPageFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

MODERATORS = "Communication — modérateurs"


@pytest.fixture
def moderator(client):
    user = factories.UserFactory(username="moderatrice", groups=[MODERATORS])
    client.force_login(user)
    return user


@pytest.fixture
def plan(home):
    """Three actions of the plan, each with its English copy."""
    plan = action_plan(home)
    actions = [
        ActionPageFactory(parent=plan, number=number, title=title)
        for number, title in [
            (2, "Mettre en place un comité de pilotage"),
            (5, "Développer des outils d'interpellation"),
            (1, "Instituer une commission Participation citoyenne"),
        ]
    ]
    copies = [factories.translate(action) for action in actions]
    return {"page": plan, "actions": actions, "copies": copies}


def visible_text(html):
    """The text of a page as a person reads it (tags dropped, spaces collapsed)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def choices_named(html, title):
    """How many checkboxes or options of a form carry `title`."""
    return len(re.findall(rf">\s*{re.escape(escape(title))}\s*</(?:label|option)>", html))


# Choice fields of the editors' forms --------------------------------------------------


def test_an_event_form_offers_each_action_of_the_plan_once(client, moderator, home, plan):
    event = EventPageFactory(parent=agenda(home), title="Atelier participation")

    form = client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).text

    assert choices_named(form, "Développer des outils d'interpellation") == 1
    assert f'value="{plan["copies"][1].pk}"' not in form


def test_a_mission_form_offers_each_action_of_the_plan_once(client, moderator, home, plan):
    mission = bf.MissionPageFactory(parent=bf.missions_listing(home), structure="ccas")

    form = client.get(reverse("wagtailadmin_pages:edit", args=[mission.pk])).text

    assert choices_named(form, "Développer des outils d'interpellation") == 1
    assert f'value="{plan["copies"][1].pk}"' not in form


def test_an_action_form_offers_each_related_action_once(client, moderator, plan):
    action = plan["actions"][0]

    form = client.get(reverse("wagtailadmin_pages:edit", args=[action.pk])).text

    assert choices_named(form, "Instituer une commission Participation citoyenne") == 1


def test_a_choice_made_before_stays_valid(moderator, home, plan):
    """An English copy chosen before this rule stays in the form's choices: saving the
    page again does not refuse its own content."""
    from events.models import EventPage

    event = EventPageFactory(parent=agenda(home))
    event.related_actions.set([plan["copies"][0]])
    form_class = EventPage.get_edit_handler().get_form_class()

    form = form_class(instance=event, for_user=moderator)

    offered = set(form.fields["related_actions"].queryset)
    assert plan["copies"][0] in offered and plan["copies"][1] not in offered


# Choosers and listings -----------------------------------------------------------------


def test_the_page_chooser_opens_on_the_french_home_page(client, moderator, home, plan):
    english_home = home.get_translation(factories.english())

    response = client.get(reverse("wagtailadmin_choose_page"), {"page_type": "actions.actionpage"})

    html = response.json()["html"]
    assert reverse("wagtailadmin_choose_page_child", args=[home.pk]) in html
    assert reverse("wagtailadmin_choose_page_child", args=[english_home.pk]) not in html


def test_below_the_french_home_the_chooser_reaches_the_english_copy(client, moderator, home, plan):
    english_home = home.get_translation(factories.english())

    french = client.get(reverse("wagtailadmin_choose_page_child", args=[home.pk])).json()
    english = client.get(reverse("wagtailadmin_choose_page_child", args=[english_home.pk])).json()

    assert reverse("wagtailadmin_choose_page_child", args=[english_home.pk]) in french["html"]
    assert reverse("wagtailadmin_choose_page_child", args=[plan["page"].pk]) in french["html"]
    plan_copy = plan["page"].get_translation(factories.english())
    assert reverse("wagtailadmin_choose_page_child", args=[plan_copy.pk]) in english["html"]


def test_the_page_chooser_search_finds_the_french_copy(client, moderator, plan):
    response = client.get(
        reverse("wagtailadmin_choose_page_search"),
        {"q": "interpellation", "page_type": "actions.actionpage"},
    )

    assert f'data-id="{plan["actions"][1].pk}"' in response.text
    assert f'data-id="{plan["copies"][1].pk}"' not in response.text


def test_the_admin_search_lists_the_french_page_once(client, moderator, plan):
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "interpellation"})

    assert reverse("wagtailadmin_pages:edit", args=[plan["actions"][1].pk]) in response.text
    assert reverse("wagtailadmin_pages:edit", args=[plan["copies"][1].pk]) not in response.text
    text = visible_text(response.text)
    assert " 1 page " in text and "None" not in text  # one page found, counted in words


def test_the_admin_search_still_reaches_the_english_copy_when_asked(client, moderator, plan):
    response = client.get(
        reverse("wagtailadmin_pages:search"), {"q": "interpellation", "locale": "en"}
    )

    assert reverse("wagtailadmin_pages:edit", args=[plan["copies"][1].pk]) in response.text


def test_the_messages_filter_offers_each_action_once_and_finds_both_copies(client, plan):
    client.force_login(
        factories.UserFactory(username="agent", groups=["Participation citoyenne — agents"])
    )
    action, copy = plan["actions"][1], plan["copies"][1]
    SubmissionFactory(subject="Question posée en français", action=action)
    SubmissionFactory(subject="Question asked in English", action=copy)

    listing = client.get(reverse("submission:index")).text
    filtered = client.get(reverse("submission:index"), {"action": action.pk}).text

    assert choices_named(listing, "Développer des outils d'interpellation") == 1
    assert "Question posée en français" in filtered and "Question asked in English" in filtered


# Volunteering hours --------------------------------------------------------------------


def test_the_hours_form_offers_the_french_mission_where_english_hours_count_too(
    client, moderator, home
):
    mission = bf.MissionPageFactory(parent=bf.missions_listing(home), structure="ccas")
    copy = factories.translate(mission)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    form = client.get(reverse("benevolat_hours:add")).text
    # A plain list of missions, each once: the French one, never its English copy.
    assert f'<option value="{mission.pk}">' in form
    assert f'value="{copy.pk}"' not in form
    response = client.post(
        reverse("benevolat_hours:add"),
        {"mission": mission.pk, "volunteer_name": "Léa", "date": yesterday, "hours": "2"},
    )
    assert response.status_code == 302
    # Hours recorded on the English copy by other means are the French mission's.
    other = VolunteerHours.objects.create(mission=copy, volunteer_name="Marc", hours=1)
    assert other.mission_id == mission.pk

    filtered = client.get(reverse("benevolat_hours:index"), {"mission": mission.pk}).text
    assert "Léa" in filtered and "Marc" in filtered


# Forms built by the team ---------------------------------------------------------------


@pytest.fixture
def survey(home):
    page = FormPageFactory(parent=home, title="Votre avis sur l'accueil", slug="avis")
    FormFieldFactory(
        page=page, label="Votre avis", field_type="radio", choices="Satisfait\nPas satisfait"
    )
    copy = factories.translate(page)
    for given_on, opinion in [(page, "Satisfait"), (copy, "Satisfait"), (copy, "Pas satisfait")]:
        FormSubmission.objects.create(page=given_on, form_data={"votre_avis": opinion})
    return {"page": page, "copy": copy}


def test_the_forms_list_shows_each_form_once(client, moderator, survey):
    listing = client.get(reverse("wagtailforms:index")).text

    assert reverse("wagtailforms:list_submissions", args=[survey["page"].pk]) in listing
    assert reverse("wagtailforms:list_submissions", args=[survey["copy"].pk]) not in listing


def test_the_answers_of_both_languages_are_listed_summarised_and_exported_together(
    client, moderator, survey
):
    answers_url = reverse("wagtailforms:list_submissions", args=[survey["page"].pk])

    listing = client.get(answers_url)
    summary = client.get(reverse("expression_form_summary", args=[survey["page"].pk]))
    export = client.get(answers_url, {"export": "csv"})

    cells = re.findall(r"<td>\s*([^<]*?)\s*</td>", listing.text)
    assert sorted(cell for cell in cells if "satisfait" in cell.lower()) == [
        "Pas satisfait",
        "Satisfait",
        "Satisfait",
    ]
    [opinion] = summary.context["summary"]["fields"]
    assert [(row["label"], row["count"]) for row in opinion["choices"]] == [
        ("Satisfait", 2),
        ("Pas satisfait", 1),
    ]
    rows = b"".join(export.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(rows) == 1 + 3  # the headings and the three answers


def test_the_english_copy_leads_to_the_french_page_answers(client, moderator, survey):
    french_answers = reverse("wagtailforms:list_submissions", args=[survey["page"].pk])

    listing = client.get(reverse("wagtailforms:list_submissions", args=[survey["copy"].pk]))
    summary = client.get(reverse("expression_form_summary", args=[survey["copy"].pk]))
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[survey["page"].pk]))

    assert listing.status_code == 302 and listing["Location"] == french_answers
    assert summary.context["summary"]["total"] == 3
    assert "Nombre total de soumissions 3" in visible_text(editor.text)


# Actions by their number ----------------------------------------------------------------


def test_the_plan_lists_its_actions_by_number(client, moderator, plan):
    listing = visible_text(client.get(reverse("wagtailadmin_explore", args=[plan["page"].pk])).text)

    titles = [action.title for action in sorted(plan["actions"], key=lambda a: a.number)]
    positions = [listing.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "N°" in listing


def test_searching_a_number_in_the_plan_finds_that_action(client, moderator, plan):
    response = client.get(reverse("wagtailadmin_explore", args=[plan["page"].pk]), {"q": "5"})

    found = visible_text(response.text)
    assert "Développer des outils d'interpellation" in found
    assert "Mettre en place un comité de pilotage" not in found


def test_the_admin_search_finds_an_action_by_its_number(client, moderator, plan):
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "5"})

    assert reverse("wagtailadmin_pages:edit", args=[plan["actions"][1].pk]) in response.text
    assert reverse("wagtailadmin_pages:edit", args=[plan["actions"][0].pk]) not in response.text


# Revision comparisons -------------------------------------------------------------------


def test_a_revision_comparison_shows_labels_and_french_dates(client, moderator, plan):
    action = plan["actions"][0]
    before = action.save_revision()
    action.steps = [
        (
            "step",
            {"title": "Définir le rôle", "status": StepStatus.DONE, "end_date": "2026-11-30"},
        )
    ]
    action.deadline_date = datetime.date(2027, 6, 30)
    after = action.save_revision()

    response = client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=[action.pk, before.pk, after.pk])
    )

    comparison = response.text[response.text.index('<table class="listing') :]
    diff = visible_text(comparison[: comparison.index("</table>")])
    assert "à venir" in diff and "réalisée" in diff
    assert "30 novembre 2026" in diff and "30 juin 2027" in diff
    for raw in ("todo", "done", "None", "2026-11-30"):
        assert raw not in diff
