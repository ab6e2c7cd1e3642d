"""An association edits its page and its missions in the admin, and the communication
team approves them: the account tied to the association's page, what it may edit and
never publish, the "Validation communication" workflow with its French emails, who
offers a mission, member accounts made from the association's page."""

import io
from html.parser import HTMLParser

from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from wagtail.models import Page, Workflow

import pytest

from bénévolat.models import MissionPage
from tests.factories import UserFactory
from tests.factories import benevolat as bf
from tests.factories.home import login

pytestmark = pytest.mark.django_db


MODERATORS = "Communication — modérateurs"


class EditFormData(HTMLParser):
    """The values a browser would send for the form `form_id` of an admin page."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if kind in {"checkbox", "radio"} else ""
            self.data.setdefault(attrs["name"], []).append(attrs.get("value") or default)
        elif tag == "select":
            self.select = attrs["name"]
            self.data.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select].append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.data[self.textarea] = [""]

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            if self.textarea:
                self.data[self.textarea][0] = self.data[self.textarea][0].removeprefix("\n")
            self.textarea = None
        elif tag == "form":
            self.inside = False

    @classmethod
    def of(cls, html, form_id="page-edit-form"):
        parser = cls(form_id)
        parser.feed(html)
        return {
            name: values if len(values) != 1 else values[0] for name, values in parser.data.items()
        }


def test_command_creates_an_association_account_tied_to_its_page(home):
    comite = bf.association(home, title="Comité des fêtes d'Andard", slug="comite")
    out = io.StringIO()
    call_command("create_association_account", "comite", "claire", "claire@example.org", stdout=out)

    group = Group.objects.get(name="Association — Comité des fêtes d'Andard")
    user = group.user_set.get()
    assert user.username == "claire" and not user.is_staff and not user.is_superuser
    assert user.has_perm("wagtailadmin.access_admin")
    assert sorted(group.page_permissions.values_list("permission__codename", flat=True)) == [
        "add_page",
        "change_page",
    ]
    assert group.page_permissions.filter(page=comite).count() == 2
    assert group.collection_permissions.get(permission__codename="add_image").collection.name == (
        group.name
    )
    assert "Mot de passe initial" in out.getvalue()
    password = out.getvalue().split("Mot de passe initial : ")[1].strip()
    assert user.check_password(password)

    # Again: nothing duplicated; an unknown association is a clear error.
    call_command(
        "create_association_account", str(comite.pk), "claire", "c@example.org", stdout=out
    )
    assert group.page_permissions.count() == 2 and group.user_set.count() == 1
    with pytest.raises(CommandError, match="Aucune association"):
        call_command("create_association_account", "inconnue", "x", "x@example.org")


# The permission matrix -------------------------------------------------------------


def test_member_edits_its_own_page_and_missions_but_not_another_association(client, world):
    login(client, world["member_a"])
    comite, foot = world["comite"], world["foot"]
    own = [comite, world["mission_a"]]
    others = [foot, world["mission_b"], world["mission_ccas"]]

    for page in own:
        assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
        permissions = page.permissions_for_user(world["member_a"])
        assert permissions.can_edit()
        assert not permissions.can_publish()
    for page in others:
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code in {302, 403}
        assert not page.permissions_for_user(world["member_a"]).can_edit()
    # It can add missions under its page, not under another one nor a new association.
    assert (
        client.get(
            reverse("wagtailadmin_pages:add", args=["benevolat", "missionpage", comite.pk])
        ).status_code
        == 200
    )
    assert client.get(
        reverse("wagtailadmin_pages:add", args=["benevolat", "missionpage", foot.pk])
    ).status_code in {302, 403}
    assert not comite.get_parent().permissions_for_user(world["member_a"]).can_add_subpage()


def test_member_cannot_publish_even_by_forcing_the_publish_action(client, world):
    login(client, world["member_a"])
    comite = world["comite"]
    edit_url = reverse("wagtailadmin_pages:edit", args=[comite.pk])
    html = client.get(edit_url).text
    assert 'name="action-publish"' not in html
    data = EditFormData.of(html)
    data["title"] = "Comité des fêtes d'Andard (nouveau nom)"
    data["action-publish"] = "action-publish"

    client.post(edit_url, data)

    comite.refresh_from_db()
    assert comite.title == "Comité des fêtes d'Andard"  # the live page is unchanged
    assert comite.has_unpublished_changes
    assert comite.get_latest_revision().content["title"].endswith("(nouveau nom)")


# The "Validation communication" workflow ------------------------------------------------


def test_workflow_is_validation_communication_on_the_whole_site(world):
    workflow = Workflow.objects.get(name="Validation communication")
    [task] = workflow.tasks
    assert [group.name for group in task.specific.groups.all()] == [MODERATORS]
    for page in ("comite", "mission_a", "mission_ccas"):
        assert world[page].get_workflow() == workflow
    assert Page.get_first_root_node().get_workflow() == workflow


def test_submission_approval_and_rejection_with_french_emails(client, world):
    comite = world["comite"]
    member, moderator = world["member_a"], world["moderator"]
    edit_url = reverse("wagtailadmin_pages:edit", args=[comite.pk])

    # The association submits its changes: the moderators are told.
    login(client, member)
    data = EditFormData.of(client.get(edit_url).text)
    data["title"] = "Comité des fêtes d'Andard et de Brain"
    data["action-submit"] = "action-submit"
    assert client.post(edit_url, data).status_code == 302
    comite.refresh_from_db()
    assert comite.workflow_in_progress
    assert comite.title == "Comité des fêtes d'Andard"  # not live yet
    [submitted] = mail.outbox
    assert submitted.to == [moderator.email]
    assert (
        "soumis" in submitted.subject
        and "Comité des fêtes d'Andard et de Brain" in submitted.subject
    )
    mail.outbox.clear()

    # The team rejects with a comment: the association receives it.
    login(client, moderator)
    task_state = comite.current_workflow_task_state
    reject_url = reverse(
        "wagtailadmin_pages:workflow_action", args=[comite.pk, "reject", task_state.pk]
    )
    response = client.post(reject_url, {"comment": "Merci d'ajouter vos horaires."})
    assert response.status_code in {200, 302}
    # In plain, kind words: changes are asked (never "rejeté"), the page named, the
    # comment quoted, and what to do next with the editor's address.
    [rejected] = mail.outbox
    assert rejected.to == [member.email]
    assert rejected.subject == (
        "Modifications demandées avant la mise en ligne de « Comité des fêtes d'Andard et de Brain »"
    )
    assert "« Merci d'ajouter vos horaires. »" in rejected.body
    assert f"http://testserver/admin/pages/{comite.pk}/edit/" in rejected.body
    assert "Renvoyer à l'équipe communication" in rejected.body
    assert "rejet" not in rejected.body + rejected.subject
    mail.outbox.clear()
    comite.refresh_from_db()
    assert not comite.live or comite.title == "Comité des fêtes d'Andard"

    # Resubmitted, then approved: published, and the association is told.
    login(client, member)
    data = EditFormData.of(client.get(edit_url).text)
    data["action-submit"] = "action-submit"
    data["meeting_times"] = "Le premier lundi du mois à 20 h 30"
    client.post(edit_url, data)
    comite.refresh_from_db()
    assert comite.workflow_in_progress
    mail.outbox.clear()
    login(client, moderator)
    task_state = comite.current_workflow_task_state
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action", args=[comite.pk, "approve", task_state.pk]
    )
    client.post(approve_url, {"comment": "Parfait, merci."})
    comite.refresh_from_db()
    assert comite.live and not comite.has_unpublished_changes
    assert comite.title == "Comité des fêtes d'Andard et de Brain"
    assert comite.meeting_times == "Le premier lundi du mois à 20 h 30"
    approved = [email for email in mail.outbox if email.to == [member.email]]
    assert approved and approved[0].subject == (
        "« Comité des fêtes d'Andard et de Brain » est validé et en ligne"
    )
    assert comite.full_url in approved[0].body


def test_member_creates_a_mission_which_waits_for_the_teams_approval(client, world):
    comite = world["comite"]
    login(client, world["member_a"])
    add_url = reverse("wagtailadmin_pages:add", args=["benevolat", "missionpage", comite.pk])
    html = client.get(add_url).text
    assert 'name="structure"' not in html  # under an association, it is the association's
    assert 'name="slug"' not in html  # the address is the team's: made from the title
    data = EditFormData.of(html)
    data.update(
        title="Ranger la salle après la fête",
        summary="Une heure de rangement le dimanche matin.",
        description='{"blocks": [{"key": "a", "type": "unstyled", "text": "Balais fournis.", '
        '"depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
        start_date="2030-12-15",
        volunteers_needed="4",
    )
    data["action-submit"] = "action-submit"

    response = client.post(add_url, data)

    assert response.status_code == 302
    mission = MissionPage.objects.get(slug="ranger-la-salle-apres-la-fete")
    assert not mission.live and mission.workflow_in_progress
    assert mission.association_id == comite.pk and mission.structure == "association"
    assert [email.to for email in mail.outbox] == [[world["moderator"].email]]


def test_team_chooses_ccas_or_mairie_for_a_mission_under_the_listing(client, world):
    login(client, world["moderator"])
    listing = world["listing"]
    html = client.get(
        reverse("wagtailadmin_pages:add", args=["benevolat", "missionpage", listing.pk])
    ).text
    assert 'value="ccas"' in html and 'value="mairie"' in html
    assert 'value="association"' not in html


def test_an_administrator_creates_a_member_account_from_the_association_page(client, world):
    comite = world["comite"]
    url = reverse("benevolat_member_account", args=[comite.pk])
    login(client, world["moderator"])  # moderators do not manage users
    assert client.get(url).status_code in {302, 403}
    admin = UserFactory(username="admin-mairie", is_superuser=True, is_staff=True)
    login(client, admin)
    assert url in client.get(reverse("wagtailadmin_pages:edit", args=[comite.pk])).text

    response = client.post(url, {"username": "bruno", "email": "bruno@comite.example.org"})

    assert response.status_code == 200
    bruno = response.context["member"]
    assert bruno.check_password(response.context["password"])
    assert response.context["password"] in response.text
    assert bruno.groups.get().name == "Association — Comité des fêtes d'Andard"
    refused = client.post(url, {"username": "moderatrice", "email": "x@example.org"})
    assert "compte de l’équipe" in refused.text
    assert not world["moderator"].groups.filter(name__startswith="Association").exists()
