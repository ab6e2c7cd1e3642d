"""The plan d'actions as citizens and the communication team meet it."""

import csv
import io
import json
import re

from django.core.management import call_command

from wagtail.models import Page

import pytest

from actions.blocks import StepStatus
from actions.models import ActionPage, Theme
from actions.plan import PLAN_FILE, load_plan, load_themes
from home.models import Commune
from tests.factories.actions import (
    ActionIndexPageFactory,
    ActionPageFactory,
    ThemeFactory,
    indicator,
    steps,
)

pytestmark = pytest.mark.django_db

PLAN_TEXT = PLAN_FILE.with_name("plan-d-actions-2022.txt")


def import_plan():
    call_command("import_plan", stdout=io.StringIO())


@pytest.fixture
def imported(home):
    import_plan()
    return ActionPage.objects.filter(locale__language_code="fr")


# The data file and the import -------------------------------------------------


def test_the_data_file_holds_the_31_actions_in_order():
    plan = load_plan()
    assert [action["number"] for action in plan] == list(range(1, 32))
    themed = sorted(number for theme in load_themes() for number in theme["actions"])
    assert themed == list(range(1, 32))  # every action in exactly one default theme


def plan_section(number):
    """An action's section of the plan, read from the document itself."""
    text = PLAN_TEXT.read_text(encoding="utf-8")
    start = text.index(f"\nACTION {number} :")
    end = text.find("\nACTION ", start + 1)
    return text[start : end if end != -1 else len(text)]


def listed_items(section, heading, next_heading):
    body = section.split(f"\n{heading}")[1].split(f"\n{next_heading}")[0]
    return [line for line in body.splitlines() if line.strip()]


@pytest.mark.parametrize("number", [1, 4, 5, 10, 21, 27])
def test_the_data_file_matches_the_plan_document(number):
    """Counted from the document's own text: objectives, steps (whatever their
    printed numbers), and indicators other than the blank `_____` ones."""
    action = next(action for action in load_plan() if action["number"] == number)
    section = plan_section(number)
    objectives = listed_items(section, "OBJECTIFS", "MODALITES")
    steps_ = listed_items(section, "MODALITES", "ECHEANCE")
    indicators = [
        line
        for line in listed_items(section, "INDICATEURS DE SUIVI", "\n\n\n")
        if not re.fullmatch(r"[-\s\d]*_+\s*", line.replace("-", " "))
    ]
    assert len(action["objectives"]) == len(objectives)
    assert len(action["steps"]) == len(steps_)
    assert len(action["indicators"]) == len(indicators)
    assert action["steps"][0] in steps_[0]


def test_import_creates_the_31_actions_as_the_data_file_says(imported):
    plan = {action["number"]: action for action in load_plan()}
    assert imported.count() == 31
    for page in imported:
        action = plan[page.number]
        assert page.title == action["title"]
        assert [block.value for block in page.objectives] == action["objectives"]
        assert [block.value["title"] for block in page.steps] == action["steps"]
        assert [block.value["name"] for block in page.indicators] == action["indicators"]
        assert page.live
    assert Theme.objects.count() == len(load_themes())


def test_import_keeps_the_documents_flaws_faithfully(imported):
    # Two steps numbered 4 in actions 5 and 21: both kept, in the document's order.
    action_5 = imported.get(number=5)
    assert [block.value["title"] for block in action_5.steps][3:] == [
        "Définir le fonctionnement",
        "Analyser l'appropriation des outils par les citoyens",
    ]
    assert action_5.deadline_note == "Report à 2024 car refonte site web puis appli citoyenne"
    assert action_5.status == StepStatus.POSTPONED
    assert imported.get(number=6).deadline_note == "Reporté à 2023 : recrutement en 2022"
    assert len(imported.get(number=10).steps) == 4  # the plan skips its step 3
    action_18 = imported.get(number=18)
    assert action_18.details_to_come
    assert (
        action_18.title
        == "Proposer aux associations un outil de planification et communication événementielle"
    )
    assert [a.number for a in action_5.related_actions.all()] == [28]  # "cf. action n°28"


def test_import_is_idempotent_and_leaves_edited_pages_alone(imported):
    page = imported.get(number=2)
    page.title = "Un comité de pilotage ouvert aux habitants"
    page.steps = steps(StepStatus.DONE, StepStatus.DONE, StepStatus.IN_PROGRESS)
    page.save_revision().publish()
    pages_before = Page.objects.count()

    import_plan()

    assert Page.objects.count() == pages_before
    page = ActionPage.objects.get(pk=page.pk)
    assert page.title == "Un comité de pilotage ouvert aux habitants"
    assert page.steps_done == 2


def test_no_page_shows_a_blank_indicator_and_action_18_renders(client, imported):
    for page in imported:
        response = client.get(page.url)
        assert response.status_code == 200
        assert "_____" not in response.text
    html = client.get(imported.get(number=18).url).text
    assert "Les détails de cette action sont à venir" in html
    html = client.get(imported.get(number=1).url).text
    assert "Aucun indicateur de suivi n'est encore défini pour cette action." in html


# Progress ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], StepStatus.TODO),
        ([StepStatus.TODO, StepStatus.TODO], StepStatus.TODO),
        ([StepStatus.DONE, StepStatus.TODO], StepStatus.IN_PROGRESS),
        ([StepStatus.TODO, StepStatus.IN_PROGRESS], StepStatus.IN_PROGRESS),
        ([StepStatus.DONE, StepStatus.ABANDONED], StepStatus.DONE),
        ([StepStatus.POSTPONED, StepStatus.TODO], StepStatus.POSTPONED),
        ([StepStatus.ABANDONED, StepStatus.ABANDONED], StepStatus.ABANDONED),
    ],
)
def test_an_actions_status_follows_its_steps(statuses, expected):
    assert ActionPage.status_from_steps(statuses) == expected


def test_progress_figures_for_a_hand_built_plan(client, home):
    index = ActionIndexPageFactory(parent=home)
    ActionPageFactory(
        parent=index, number=1, steps=steps(StepStatus.DONE, StepStatus.DONE, StepStatus.TODO)
    )
    ActionPageFactory(
        parent=index,
        number=2,
        steps=steps(StepStatus.DONE, StepStatus.ABANDONED, StepStatus.IN_PROGRESS),
    )
    ActionPageFactory(
        parent=index, number=3, steps=steps(StepStatus.TODO), status_override=StepStatus.POSTPONED
    )
    ActionPageFactory(parent=index, number=4, steps=steps(StepStatus.DONE))

    pages = {page.number: page for page in ActionPage.objects.all()}
    assert (pages[1].steps_done, pages[1].steps_total, pages[1].progress) == (2, 3, 67)
    assert (pages[2].steps_done, pages[2].steps_total, pages[2].progress) == (1, 2, 50)
    assert pages[3].status == StepStatus.POSTPONED  # set by the team, whatever the steps
    assert pages[4].status == StepStatus.DONE

    html = client.get(index.url).text
    # 4 of the 7 steps that count are done: 57 %.
    assert "4 étapes réalisées sur 7 (57 %)." in html
    overview = html.split('class="plan-overview__counts"')[1].split("</ul>")[0]
    assert re.search(r"En cours</span>\s*2 actions", overview)
    assert re.search(r"Réalisée</span>\s*1 action\b", overview)
    assert re.search(r"Reportée</span>\s*1 action\b", overview)


def test_the_team_cannot_give_two_actions_the_same_number(home):
    from django.core.exceptions import ValidationError

    index = ActionIndexPageFactory(parent=home)
    ActionPageFactory(parent=index, number=7)
    duplicate = ActionPage(title="Doublon", slug="doublon", number=7, locale=index.locale)
    with pytest.raises(ValidationError) as error:
        duplicate.clean()
    assert "numéro 7" in str(error.value)


def test_a_step_cannot_end_before_it_starts():
    import datetime

    from wagtail.blocks import StructBlockValidationError

    from actions.blocks import StepBlock

    block = StepBlock()
    value = block.to_python(
        {
            "title": "Étape",
            "status": "todo",
            "start_date": "2025-05-01",
            "end_date": "2025-04-01",
            "note": "",
        }
    )
    with pytest.raises(StructBlockValidationError):
        block.clean(value)
    value["end_date"] = datetime.date(2025, 6, 1)
    assert block.clean(value)


# Filters ---------------------------------------------------------------------


@pytest.fixture
def filtered_plan(home):
    index = ActionIndexPageFactory(parent=home)
    youth = ThemeFactory(name="Enfance et jeunesse", slug="enfance-jeunesse")
    ecology = ThemeFactory(name="Transition", slug="transition")
    corne = Commune.objects.get(slug="corne")
    andard = Commune.objects.get(slug="andard")
    conseil = ActionPageFactory(
        parent=index, number=13, title="Conseil municipal Enfants", steps=steps("done")
    )
    conseil.themes.set([youth])
    conseil.communes.set([corne, andard])
    conseil.save_revision().publish()
    transition = ActionPageFactory(parent=index, number=27, title="Territoire de la transition")
    transition.themes.set([ecology])
    transition.communes.set([andard])
    transition.save_revision().publish()
    ActionPageFactory(
        parent=index, number=30, title="Police municipale", steps=steps("in_progress")
    )
    return index


def listed_numbers(html):
    return [int(n) for n in re.findall(r'class="action-card__number">Action (\d+)<', html)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", [13, 27, 30]),
        ("?theme=enfance-jeunesse", [13]),
        ("?statut=done", [13]),
        ("?statut=in_progress", [30]),
        ("?commune=andard", [13, 27, 30]),  # 30 names no commune: it is for all of them
        ("?commune=corne&theme=transition", []),
        ("?theme=inconnu&statut=%3Cscript%3E&commune=x", [13, 27, 30]),  # unknown values ignored
    ],
)
def test_filters_return_the_right_actions(client, filtered_plan, query, expected):
    response = client.get(filtered_plan.url + query)
    assert response.status_code == 200
    assert listed_numbers(response.text) == expected


def test_filter_links_keep_the_other_filters_and_need_no_javascript(client, filtered_plan):
    html = client.get(filtered_plan.url + "?commune=andard").text
    assert 'href="?theme=enfance-jeunesse&amp;commune=andard"' in html
    assert '<a href="?commune=andard" aria-current="true">Andard</a>' in html
    assert "<script" not in html.split("<main")[1]


# Open data -------------------------------------------------------------------


def test_csv_and_json_exports_hold_every_action(client, imported):
    index = imported.first().get_parent().specific
    response = client.get(index.url + "donnees/csv/")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 31
    assert list(rows[0]) == [
        "numero", "titre", "statut", "avancement_pourcent", "etapes_realisees",
        "etapes_total", "echeance", "note_echeance", "service_pilote", "themes", "communes", "url",
    ]  # fmt: skip
    assert rows[4]["note_echeance"] == "Report à 2024 car refonte site web puis appli citoyenne"
    assert rows[4]["statut"] == "postponed"

    data = json.loads(client.get(index.url + "donnees/json/").content)
    assert [action["numero"] for action in data["actions"]] == list(range(1, 32))
    assert data["actions"][0]["url"].endswith("/plan-d-actions/action-1/")


def test_action_pages_are_exposed_read_only_through_the_api(client, imported):
    response = client.get(
        "/api/v2/pages/",
        {"type": "actions.ActionPage", "fields": "number,status,progress", "limit": 50},
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 31
    assert {"number", "status", "progress"} <= set(items[0])
    detail = client.get(f"/api/v2/pages/{items[0]['id']}/").json()
    assert detail["steps"][0]["type"] == "step"
    assert client.post("/api/v2/pages/", {}).status_code == 405


# The action page -------------------------------------------------------------


def test_action_page_shows_steps_indicators_and_accessible_chart_data(client, home):
    index = ActionIndexPageFactory(parent=home)
    page = ActionPageFactory(
        parent=index,
        number=2,
        title="Mettre en place un comité de pilotage",
        steps=steps(StepStatus.DONE, StepStatus.IN_PROGRESS),
        indicators=[
            indicator("Participants réguliers", "participants", target=25, values=[12, 18, 21])
        ],
        deadline="2023",
        deadline_note="Premier comité au printemps",
    )
    html = client.get(page.url).text
    assert "1 étape réalisée sur 2 (50 %)" in html
    assert 'class="timeline__step timeline__step--done"' in html
    assert "<svg" in html and 'role="img"' in html
    assert "<caption><span>Participants réguliers (participants)</span></caption>" in html
    assert "<td>21</td>" in html
    assert "Objectif : 25 participants" in html
    assert "Premier comité au printemps" in html


def test_query_counts_do_not_grow_with_the_plan(client, home, rendered_each_time):
    index = ActionIndexPageFactory(parent=home)
    theme = ThemeFactory()
    commune = Commune.objects.first()

    def add_actions(first, count, measurements):
        for number in range(first, first + count):
            page = ActionPageFactory(
                parent=index,
                number=number,
                steps=steps(*["done", "todo", "in_progress"] * 4),
                indicators=[indicator(values=list(range(measurements)))] * 3,
            )
            page.themes.set([theme])
            page.communes.set([commune])
            page.related_actions.set(ActionPage.objects.all()[:3])
            page.save_revision().publish()
        return page

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        client.get(url)  # warm the per-process caches (site, locales)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small_page = add_actions(1, 3, 2)
    small = (count(index.url), count(index.url + "?theme=" + theme.slug), count(small_page.url))
    large_page = add_actions(4, 40, 24)
    large = (count(index.url), count(index.url + "?theme=" + theme.slug), count(large_page.url))
    assert large == small
    # Wagtail's routing, the menu, the language switcher and the footer settings
    # cost a fixed dozen; issue 7's full-page cache takes the rest off hot pages.
    assert max(large) <= 30


def test_home_page_highlights_the_latest_actions(client, home):
    index = ActionIndexPageFactory(parent=home)
    ActionPageFactory(
        parent=index,
        number=17,
        title="Créer un espace ressources bénévolat",
        steps=steps("done", "todo"),
    )
    html = client.get("/").text
    assert "Le plan d&#x27;actions" in html or "Le plan d'actions" in html
    assert "Créer un espace ressources bénévolat" in html


def test_an_action_page_shows_its_next_events_and_open_missions(client, home):
    from tests.factories.benevolat import association_mission
    from tests.factories.events import EventPageFactory, agenda

    index = ActionIndexPageFactory(parent=home)
    action = ActionPageFactory(
        parent=index, number=17, title="Créer un espace ressources bénévolat"
    )
    other = ActionPageFactory(parent=index, number=18, title="Un outil pour les associations")

    event = EventPageFactory(parent=agenda(home), title="Forum des bénévoles")
    event.related_actions.set([action])
    event.save_revision().publish()
    mission = association_mission(home, title="Tenir la buvette du forum")
    mission.related_actions.set([action])
    mission.save_revision().publish()
    closed = association_mission(home, title="Mission close", status="closed")
    closed.related_actions.set([action])
    closed.save_revision().publish()

    html = client.get(action.url).text
    assert "Prochains rendez-vous" in html and "Forum des bénévoles" in html
    assert "Missions de bénévolat" in html and "Tenir la buvette du forum" in html
    assert "Mission close" not in html
    other_html = client.get(other.url).text
    assert "Forum des bénévoles" not in other_html


def test_numbers_and_statuses_stay_in_step_across_languages_while_texts_are_translated(
    home, english
):
    from wagtail_localize.models import StringTranslation, TranslationSource

    index = ActionIndexPageFactory(parent=home)
    index.copy_for_translation(english, copy_parents=True, alias=True)
    page = ActionPageFactory(
        parent=index, number=9, title="Recueillir l'avis des habitants", steps=steps("todo")
    )
    source, _created = TranslationSource.get_or_create_from_instance(page)
    source.create_or_update_translation(english, fallback=True)
    string = next(
        segment.string
        for segment in source.stringsegment_set.all()
        if segment.string.data == page.title
    )
    StringTranslation.objects.create(
        translation_of=string,
        locale=english,
        context=source.stringsegment_set.get(string=string).context,
        data="Collect the residents' opinion",
    )

    # The French page moves on: new number, the team sets its status.
    page.number = 10
    page.status_override = StepStatus.ABANDONED
    page.save_revision().publish()
    source.update_from_db()
    source.create_or_update_translation(english, fallback=True)

    english_page = page.get_translation(english)
    assert english_page.title == "Collect the residents' opinion"
    assert english_page.number == 10
    assert english_page.status == StepStatus.ABANDONED


def test_an_action_page_shows_the_citizens_published_questions_and_nothing_personal(client, home):
    from tests.factories.expression import (
        PublishedSubmissionFactory,
        SubmissionFactory,
        expression_page,
    )

    index = ActionIndexPageFactory(parent=home)
    action = ActionPageFactory(parent=index, number=8, title="Co-gérer les espaces publics")
    expression_page(home)
    PublishedSubmissionFactory(public_title="Des bacs potagers partagés", action=action)
    SubmissionFactory(subject="Pas encore répondu", action=action)

    html = client.get(action.url).text
    assert "Vos questions et idées sur cette action" in html
    assert "Des bacs potagers partagés" in html
    assert "Pas encore répondu" not in html


def test_a_theme_translated_into_english_is_named_in_english_and_not_marked_french(
    client, home, english
):
    from bs4 import BeautifulSoup

    translated = ThemeFactory(name="Enfance et jeunesse", slug="enfance-jeunesse")
    english_theme = translated.copy_for_translation(english)
    english_theme.name = "Children and young people"
    english_theme.save()
    untranslated = ThemeFactory(name="Vivre ensemble", slug="vivre-ensemble")
    index = ActionIndexPageFactory(parent=home)
    action = ActionPageFactory(parent=index, number=1)
    action.themes.add(translated, untranslated)
    action.save_revision().publish()
    index.copy_for_translation(english, copy_parents=True, alias=True)
    english_action = action.copy_for_translation(english, alias=True)

    def lang_of(html, selector, text):
        element = next(
            e for e in BeautifulSoup(html, "html.parser").select(selector) if e.get_text() == text
        )
        return element.get("lang") or element.find_parent(attrs={"lang": True}).get("lang")

    page_html = client.get(english_action.url).text
    assert lang_of(page_html, "dd a", "Children and young people") == "en"
    assert lang_of(page_html, "dd a", "Vivre ensemble") == "fr"
    assert "Enfance et jeunesse" not in page_html
    # The English plan's filters and cards: English themes too (the plan is an alias).
    plan_html = client.get("/en" + index.url).text
    assert lang_of(plan_html, ".filters a, nav a, li a", "Children and young people") == "en"
    assert lang_of(plan_html, ".action-card__themes span", "Children and young people") == "en"
    # The French site keeps its French names.
    french_html = client.get(action.url).text
    assert lang_of(french_html, "dd a", "Enfance et jeunesse") == "fr"
