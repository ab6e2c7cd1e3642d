"""Associations post their events from their own accounts: an event goes through the
communication team's validation before it is public, and an association edits only its
own events. The group and its rights are built here as the bénévolat accounts give them:
add and change (no publish) on the association's page."""

from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

import pytest

from events.models import EventPage
from home.models import Commune
from tests import factories
from tests.factories.benevolat import AssociationPageFactory, association_directory
from tests.factories.events import EventPageFactory, agenda, dates, paris

pytestmark = pytest.mark.django_db

MODERATORS = "Communication — modérateurs"


def association_account(association, username):
    group = Group.objects.create(name=f"Association — {association.title}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ["add_page", "change_page"]:
        GroupPagePermission.objects.create(
            group=group,
            page=association,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    user = factories.UserFactory(username=username)
    user.groups.add(group)
    return user


@pytest.fixture
def world(home):
    directory = association_directory(home)
    petanque = AssociationPageFactory(parent=directory, title="Pétanque de Brain", slug="petanque")
    theatre = AssociationPageFactory(parent=directory, title="Théâtre de Bauné", slug="theatre")
    index = agenda(home)
    return {
        "index": index,
        "petanque": petanque,
        "theatre": theatre,
        "petanque_member": association_account(petanque, "membre-petanque"),
        "theatre_member": association_account(theatre, "membre-theatre"),
        "theatre_event": EventPageFactory(parent=theatre, title="Représentation de printemps"),
        "commune_event": EventPageFactory(parent=index, title="Vœux du maire"),
        "moderator": factories.UserFactory(username="moderatrice", groups=[MODERATORS]),
    }


def event_form(title, start, **overrides):
    end = start + timedelta(hours=4)
    return nested_form_data(
        {
            "title": title,
            "slug": slugify(title),
            "intro": "Concours ouvert à tous, en doublettes.",
            "occurrences": inline_formset(
                [{"start": f"{start:%Y-%m-%d %H:%M}", "end": f"{end:%Y-%m-%d %H:%M}"}]
            ),
            "repeat": "",
            "repeat_until": "",
            "place_name": "Boulodrome",
            "address": "Rue du Stade",
            "commune": Commune.objects.get(slug="brain-sur-l-authion").pk,
            "municipal_service": "",
            "category": "",
            "audience": "tout-public",
            "is_free": "on",
            "price": "",
            "registration": "aucune",
            "registration_url": "",
            "places": "",
            "registration_details": "",
            "accessibility": "",
            "status": "prevu",
            "status_note": "",
            "image": "",
            "image_alt": "",
            "body": streamfield([]),
            "comments": inline_formset([]),
            "action-submit": "Soumettre",
            **overrides,
        }
    )


def next_saturday():
    day = timezone.localdate() + timedelta(days=10)
    return paris(day.year, day.month, day.day, 14)


def test_a_member_posts_an_event_that_appears_once_the_communication_team_approves(client, world):
    petanque = world["petanque"]
    client.force_login(world["petanque_member"])

    response = client.post(
        f"/admin/pages/add/events/eventpage/{petanque.pk}/",
        event_form("Concours de pétanque", next_saturday()),
    )

    assert response.status_code == 302, response.content.decode()[-3000:]
    event = EventPage.objects.get(title="Concours de pétanque")
    assert event.get_parent().pk == petanque.pk
    assert event.association_id == petanque.pk
    assert not event.live
    assert event.workflow_in_progress
    assert event.get_workflow().name in {"Validation communication", "Moderators approval"}
    assert "Concours de pétanque" not in client.get(world["index"].url).text

    # The communication team approves: the event is published, in the agenda and its feed.
    task_state = event.current_workflow_task_state
    client.force_login(world["moderator"])
    response = client.post(
        f"/admin/pages/workflow/action/{event.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.live
    assert event.association_id == petanque.pk
    assert event.occurrences.count() == 1
    agenda_html = client.get(world["index"].url, {"organisateur": "petanque"}).text
    assert "Concours de pétanque" in agenda_html
    assert "par <span>Pétanque de Brain</span>" in agenda_html
    assert "Concours de pétanque" in client.get(world["index"].url + "ical/").text


def test_a_change_to_a_published_event_waits_for_approval_too(client, world):
    event = EventPageFactory(parent=world["petanque"], title="Fête du club")
    client.force_login(world["petanque_member"])
    form = event_form("Fête du club — annulée", next_saturday(), slug=event.slug)
    form.update(
        {"status": "annule", "status_note": "Terrain inondé.", "action-submit": "Soumettre"}
    )

    response = client.post(f"/admin/pages/{event.pk}/edit/", form)

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.live
    assert event.title == "Fête du club"  # the public still sees the approved version
    assert event.has_unpublished_changes
    assert event.workflow_in_progress


@pytest.mark.parametrize(
    "target, can_edit",
    [("own_event", True), ("theatre_event", False), ("commune_event", False)],
)
def test_an_association_edits_only_its_own_events(client, world, target, can_edit):
    own_event = EventPageFactory(parent=world["petanque"], title="Concours d'été")
    page = own_event if target == "own_event" else world[target]
    member = world["petanque_member"]

    permissions = page.permissions_for_user(member)
    assert permissions.can_edit() is can_edit
    assert permissions.can_publish() is False
    assert permissions.can_delete() is False

    client.force_login(member)
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    if can_edit:
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)
        before = page.title
        client.post(
            f"/admin/pages/{page.pk}/edit/",
            event_form("Piraté", next_saturday(), slug=page.slug, **{"action-publish": "1"}),
        )
        page.refresh_from_db()
        assert page.title == before
        assert not page.has_unpublished_changes


def test_an_association_adds_events_only_under_its_own_page(client, world):
    member = world["petanque_member"]
    client.force_login(member)
    add_own = client.get(f"/admin/pages/add/events/eventpage/{world['petanque'].pk}/")
    assert add_own.status_code == 200
    assert "Catégorie" in add_own.text and "Dates" in add_own.text
    assert world["petanque"].permissions_for_user(member).can_add_subpage()
    assert not world["theatre"].permissions_for_user(member).can_add_subpage()
    assert not world["index"].permissions_for_user(member).can_add_subpage()

    for parent in [world["theatre"], world["index"]]:
        response = client.post(
            f"/admin/pages/add/events/eventpage/{parent.pk}/",
            event_form("Intrusion", next_saturday()),
        )
        assert response.status_code in (302, 403)
    assert not EventPage.objects.filter(title="Intrusion").exists()


def test_a_member_cannot_publish_directly(client, world):
    client.force_login(world["petanque_member"])
    client.post(
        f"/admin/pages/add/events/eventpage/{world['petanque'].pk}/",
        event_form("Publié sans validation", next_saturday(), **{"action-publish": "1"}),
    )
    assert not EventPage.objects.filter(title="Publié sans validation", live=True).exists()


def test_events_of_an_association_are_listed_on_the_agenda_with_their_dates(client, world):
    start = next_saturday()
    EventPageFactory(parent=world["petanque"], title="Tournoi", occurrences=dates(start))
    html = client.get(world["index"].url).text
    assert "Tournoi" in html
    assert "Pétanque de Brain" in html


def test_an_association_page_can_show_its_next_events_and_its_feed(rf, world):
    from django.template import Context, Template

    EventPageFactory(parent=world["petanque"], title="Concours de printemps")
    EventPageFactory(parent=world["theatre"], title="Pièce du théâtre")
    request = rf.get("/")
    html = Template("{% load events_tags %}{% association_events page %}").render(
        Context({"request": request, "page": world["petanque"]})
    )
    assert "Concours de printemps" in html
    assert "Pièce du théâtre" not in html
    assert 'href="/agenda/ical/?organisateur=petanque"' in html
