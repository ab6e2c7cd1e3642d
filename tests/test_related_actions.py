"""An event or a mission names the plan's actions it serves; its public page lists
only those a citizen may open (not an action still in draft, nor a private one)."""

import pytest

from tests.factories import actions as af
from tests.factories import benevolat as bf
from tests.factories import events as ef

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("make_page", ["event", "mission"])
def test_a_page_lists_only_the_actions_citizens_may_open(client, home, make_page):
    published = af.action_page(home, number=5)
    draft = af.action_page(home, number=6)
    draft.title = "Brouillon secret"
    draft.save_revision()
    draft.unpublish()
    if make_page == "event":
        page = ef.EventPageFactory(parent=ef.agenda(home))
    else:
        page = bf.association_mission(home)
    page.related_actions.set([published, draft])
    page.save_revision().publish()

    html = client.get(page.url).text

    assert published.title in html
    assert "Brouillon secret" not in html and draft.url not in html
