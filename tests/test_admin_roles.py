"""Each role's admin shows what that role does (issue 13): an association member's
menus, dashboard and editor; the staff's dashboard counts; an abandoned new page
left behind by Wagtail 8's autosave."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

import pytest

from bénévolat.models import VolunteerRequest
from events.models import CeremonyRegistration, EventPage
from expression.models import Submission
from tests.factories import expression as ef
from tests.factories.events import CeremonyPageFactory, EventPageFactory, agenda
from tests.factories.home import login

pytestmark = pytest.mark.django_db


def test_a_member_sees_no_reports_no_site_summary_and_no_promotion_tab(client, world):
    login(client, world["member_a"])
    dashboard = client.get(reverse("wagtailadmin_home")).text
    assert "Votre association\u00a0: Comité des fêtes d&#x27;Andard" in dashboard
    assert "Rapports" not in dashboard and "Pages vieillissantes" not in dashboard
    assert "Traductions" not in dashboard
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[world["comite"].pk])).text
    assert 'name="slug"' not in edit and 'name="seo_title"' not in edit
    assert 'name="show_in_menus"' not in edit and "Promotion" not in edit

    # The team keeps everything.
    login(client, world["editor"])
    dashboard = client.get(reverse("wagtailadmin_home")).text
    assert "Rapports" in dashboard
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[world["comite"].pk])).text
    assert 'name="slug"' in edit and 'name="seo_title"' in edit and "Promotion" in edit


def test_an_abandoned_new_event_neither_blocks_the_next_try_nor_hides(client, world):
    """Wagtail 8 autosaves a new page as soon as its editor types: the page is a draft
    the editor may have forgotten. The next try gets its own address (the member has
    no slug field to clash on), and the draft is offered to go on with."""
    comite, member = world["comite"], world["member_a"]
    login(client, member)
    add_url = reverse("wagtailadmin_pages:add", args=["events", "eventpage", comite.pk])
    draft = EventPageFactory(parent=comite, title="Loto de printemps", live=False, owner=member)
    draft.save_revision(user=member)

    page = client.get(add_url)

    assert "Vous avez déjà commencé « Loto de printemps » ici, sans l&#x27;envoyer." in page.text
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in page.text
    # What the member's form saves: no slug, so Wagtail makes a free one.
    again = EventPage(title="Loto de printemps", place_name="Salle", commune=draft.commune)
    comite.add_child(instance=again)
    assert again.slug == "loto-de-printemps-2"


def test_staff_see_what_waits_for_them_with_counts_and_links(client, world, home):
    moderator = world["moderator"]
    moderator.groups.add(Group.objects.get(name="Participation citoyenne — agents"))
    voirie = ef.ServiceFactory(name="Voirie")
    ef.SubmissionFactory(service=voirie)
    ef.SubmissionFactory(service=None)
    ef.SubmissionFactory(service=None, status=Submission.Status.ANSWERED)
    ceremony = CeremonyPageFactory(parent=agenda(home))
    CeremonyRegistration.objects.create(ceremony=ceremony, name="Léa Martin", email="l@x.org")
    login(client, moderator)

    dashboard = client.get(reverse("wagtailadmin_home")).text

    new_requests = VolunteerRequest.objects.filter(status="new").count()
    assert new_requests == 4
    for count, label, link in [
        (1, "Nouveaux messages pas encore attribués", "?status=received&amp;service=null"),
        (1, "Nouveaux messages pour Voirie", f"?status=received&amp;service={voirie.pk}"),
        (4, "Nouvelles demandes de bénévolat", "?status=new"),
        (1, "Inscriptions à confirmer", "?status=recue"),
        (0, "Pages à valider", "?reviewable=true&amp;status=in_progress"),
    ]:
        row = dashboard[dashboard.index(link) : dashboard.index(label) + len(label)]
        assert f">{count}</span>" in row, label


def test_publishing_a_new_page_its_autosave_already_created_publishes_it_once(client, world, home):
    """Wagtail 8's first autosave creates the new page; Publish clicked before the
    browser moves the form to that page's address posts the form to "add" again. The
    moderator's page is published, once, with no slug error."""
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    from home.models import StandardPage

    moderator = world["moderator"]
    login(client, moderator)
    add_url = reverse("wagtailadmin_pages:add", args=["home", "standardpage", home.pk])
    form = {"title": "Travaux rue de la Loire", "slug": "travaux-rue-de-la-loire"}
    form.update(intro="Les travaux commencent lundi.", body=streamfield([]))
    data = nested_form_data(form)

    # The autosave: the same form, asking for JSON, creates the page as a draft.
    autosave = client.post(add_url, data, HTTP_ACCEPT="application/json")
    assert autosave.json()["success"] is True
    assert StandardPage.objects.filter(slug="travaux-rue-de-la-loire", live=False).exists()

    # Publish, posted to "add" before the browser switched to the edit address.
    published = client.post(add_url, {**data, "action-publish": "publish"})

    assert published.status_code == 302, published.content.decode()[:2000]
    pages = StandardPage.objects.filter(slug="travaux-rue-de-la-loire")
    assert [(page.title, page.live) for page in pages] == [("Travaux rue de la Loire", True)]


def test_an_older_draft_is_never_taken_for_an_autosave(client, world, home):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    from home.models import StandardPage

    moderator = world["moderator"]
    login(client, moderator)
    older = StandardPage(title="Travaux", slug="travaux", owner=moderator, live=False)
    home.add_child(instance=older)
    older.save_revision(user=moderator)
    StandardPage.objects.filter(pk=older.pk).update(
        latest_revision_created_at=timezone.now() - timedelta(days=2)
    )
    add_url = reverse("wagtailadmin_pages:add", args=["home", "standardpage", home.pk])
    data = nested_form_data({"title": "Travaux", "slug": "travaux", "body": streamfield([])})

    answer = client.post(add_url, {**data, "action-publish": "publish"})

    # A draft of two days ago is not this form's autosave: kept, and the slug refused.
    assert answer.status_code == 200
    assert StandardPage.objects.filter(pk=older.pk).exists()
    assert "travaux" in answer.content.decode()
