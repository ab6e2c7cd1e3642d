"""The plan d'actions in Chromium: a citizen filters the plan and reads an action
with its charts; axe-core checks both pages."""

import pytest

from actions.blocks import StepStatus
from tests import factories
from tests.factories.actions import (
    ActionIndexPageFactory,
    ActionPageFactory,
    ThemeFactory,
    indicator,
    steps,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def plan(db):
    home = factories.make_site_home()
    index = ActionIndexPageFactory(parent=home)
    youth = ThemeFactory(name="Enfance et jeunesse", slug="enfance-jeunesse")
    council = ActionPageFactory(
        parent=index,
        number=13,
        title="Instituer un Conseil municipal Enfants",
        steps=steps(StepStatus.DONE, StepStatus.IN_PROGRESS, StepStatus.TODO),
        indicators=[indicator("Enfants élus", "enfants", target=28, values=[0, 14, 21, 26])],
    )
    council.themes.set([youth])
    council.save_revision().publish()
    ActionPageFactory(
        parent=index, number=30, title="Créer un service de police municipale de proximité"
    )
    return index


def test_a_citizen_filters_the_plan_and_reads_an_action(live_server, page, plan, axe_violations):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + plan.url)
    assert axe_violations(page) == []

    # On a phone the filters wait behind a button, so that the actions come first.
    page.locator("summary", has_text="Filtrer les actions").click()
    page.get_by_role("link", name="Enfance et jeunesse").click()
    page.wait_for_url("**?theme=enfance-jeunesse")
    assert page.locator(".action-card").count() == 1

    page.get_by_role("link", name="Instituer un Conseil municipal Enfants").click()
    page.wait_for_url("**/instituer-un-conseil-municipal-enfants/")
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Instituer un Conseil municipal Enfants"
    )
    chart = page.get_by_role("img", name="Enfants élus")
    assert chart.is_visible()
    page.get_by_text("Les chiffres (tableau)").click()
    assert page.get_by_role("table").get_by_role("cell", name="26").is_visible()
    assert axe_violations(page) == []
