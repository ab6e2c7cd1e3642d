"""The admin side of bénévolat: association accounts, what each one may see and do,
the "Validation communication" workflow with its emails, processing requests,
exports and hours."""

import csv
import datetime
import io
from decimal import Decimal
from html.parser import HTMLParser

from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page, Workflow

import pytest

from bénévolat.accounts import ensure_members_group
from bénévolat.models import MissionPage, VolunteerHours, VolunteerRequest
from tests.factories import UserFactory
from tests.factories import benevolat as bf
from tests.factories import translate as factories_translate

pytestmark = pytest.mark.django_db

MODERATORS = "Communication — modérateurs"
EDITORS = "Communication — rédacteurs"


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


@pytest.fixture
def world(home):
    """Two associations with their members, a mission each, requests for both; the
    communication team (a moderator and an editor); a citizen with no role."""
    directory = bf.association_directory(home)
    listing = bf.missions_listing(home)
    comite = bf.AssociationPageFactory(parent=directory, title="Comité des fêtes d'Andard")
    foot = bf.AssociationPageFactory(parent=directory, title="US Loire-Authion football")
    mission_a = bf.MissionPageFactory(parent=comite, title="Buvette du marché de Noël")
    mission_b = bf.MissionPageFactory(parent=foot, title="Encadrer les U9")
    mission_ccas = bf.MissionPageFactory(parent=listing, title="Colis du CCAS", structure="ccas")
    member_a = UserFactory(username="claire", email="claire@comite.example.org")
    member_a.groups.add(ensure_members_group(comite))
    member_b = UserFactory(username="karim", email="karim@foot.example.org")
    member_b.groups.add(ensure_members_group(foot))
    moderator = UserFactory(
        username="moderatrice", email="com@loire-authion.example.org", groups=[MODERATORS]
    )
    editor = UserFactory(username="redacteur", groups=[EDITORS])
    citizen = UserFactory(username="habitant")
    request_a = bf.VolunteerRequestFactory(mission=mission_a, name="Jeanne pour le comité")
    request_b = bf.VolunteerRequestFactory(mission=mission_b, name="Paul pour le foot")
    request_ccas = bf.VolunteerRequestFactory(mission=mission_ccas, name="Léa pour le CCAS")
    general = bf.VolunteerRequestFactory(mission=None, name="Offre générale de Zoé")
    return locals()


def login(client, user):
    client.force_login(user)
    return client


# Association accounts ------------------------------------------------------------


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


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("member_a", {"request_a"}),
        ("member_b", {"request_b"}),
        ("moderator", {"request_a", "request_b", "request_ccas", "general"}),
        ("editor", {"request_a", "request_b", "request_ccas", "general"}),
    ],
)
def test_requests_listing_shows_each_user_only_what_they_may_see(client, world, who, visible):
    login(client, world[who])
    response = client.get(reverse("benevolat_requests:index"))
    assert response.status_code == 200
    for name in ("request_a", "request_b", "request_ccas", "general"):
        assert (world[name].name in response.text) == (name in visible), name
    export = client.get(reverse("benevolat_requests:index") + "?export=csv")
    assert export.status_code == 200
    exported = export.getvalue().decode("utf-8-sig")
    for name in ("request_a", "request_b", "request_ccas", "general"):
        assert (world[name].email in exported) == (name in visible), name


def test_member_cannot_open_or_change_another_associations_request(client, world):
    login(client, world["member_a"])
    menu = client.get(reverse("wagtailadmin_home")).text  # the sidebar's menu items
    assert reverse("benevolat_requests:index") in menu
    assert reverse("benevolat_hours:index") in menu
    hours_b = bf.VolunteerHoursFactory(mission=world["mission_b"], volunteer_name="Paul Martin")
    assert "Paul Martin" not in client.get(reverse("benevolat_hours:index")).text
    assert client.get(reverse("benevolat_hours:edit", args=[hours_b.pk])).status_code in {302, 403}
    client.post(reverse("benevolat_hours:delete", args=[hours_b.pk]))
    assert VolunteerHours.objects.filter(pk=hours_b.pk).exists()
    for name in ("request_b", "request_ccas", "general"):
        request = world[name]
        edit_url = reverse("benevolat_requests:edit", args=[request.pk])
        denied = client.get(edit_url)
        assert denied.status_code in {302, 403}  # the admin redirects with a message
        assert request.email not in denied.text
        response = client.post(edit_url, {"status": "archived", "internal_notes": "piraté"})
        assert response.status_code in {302, 403}
        request.refresh_from_db()
        assert request.status == VolunteerRequest.Status.NEW
        client.post(reverse("benevolat_requests:delete", args=[request.pk]))
    assert VolunteerRequest.objects.count() == 4


def test_people_without_a_role_see_nothing(client, world):
    login(client, world["citizen"])
    assert client.get(reverse("benevolat_requests:index")).status_code in {302, 403}
    client.logout()
    response = client.get(reverse("benevolat_requests:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    edit = client.get(reverse("benevolat_requests:edit", args=[world["request_a"].pk]))
    assert edit.status_code == 302


def test_member_processes_its_request_declines_with_a_reason_and_records_hours(
    client, world, django_capture_on_commit_callbacks
):
    login(client, world["member_a"])
    request = world["request_a"]
    edit_url = reverse("benevolat_requests:edit", args=[request.pk])
    page = client.get(edit_url)
    assert request.email in page.text  # the volunteer's details, read only

    # Declining needs a reason, which the volunteer receives.
    response = client.post(edit_url, {"status": "declined", "decline_reason": ""})
    assert response.status_code == 200
    assert "Choisissez le motif donné au bénévole." in response.text
    request.refresh_from_db()
    assert request.status == VolunteerRequest.Status.NEW
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit_url,
            {"status": "declined", "decline_reason": "filled", "internal_notes": "Déjà 6."},
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.internal_notes == "Déjà 6."
    [email] = mail.outbox
    assert email.to == [request.email]
    assert email.subject == "À propos de votre demande de bénévolat"
    assert "la mission a trouvé ses bénévoles" in email.body
    assert "Déjà 6." not in email.body  # internal notes stay internal

    # Accepted volunteers take the mission's places.
    other = bf.VolunteerRequestFactory(mission=world["mission_a"])
    client.post(reverse("benevolat_requests:edit", args=[other.pk]), {"status": "accepted"})
    assert MissionPage.objects.get(pk=world["mission_a"].pk).places_left == 2

    # Hours: only its own missions are offered; the yearly totals are its own.
    add_url = reverse("benevolat_hours:add")
    form = client.get(add_url).text
    assert "Buvette du marché de Noël" in form and "Encadrer les U9" not in form
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        add_url,
        {
            "mission": world["mission_a"].pk,
            "volunteer_request": other.pk,
            "volunteer_name": "",
            "date": yesterday.isoformat(),
            "hours": "3.5",
            "note": "Montage des stands",
        },
    )
    assert response.status_code == 302
    hours = VolunteerHours.objects.get()
    assert hours.volunteer_name == other.name and hours.association_id == world["comite"].pk
    refused = client.post(
        add_url,
        {"mission": world["mission_b"].pk, "volunteer_name": "X", "date": yesterday, "hours": "1"},
    )
    assert refused.status_code == 200 and VolunteerHours.objects.count() == 1


def test_export_columns_of_the_requests(client, world):
    login(client, world["moderator"])
    response = client.get(reverse("benevolat_requests:index") + "?export=csv")
    assert response["Content-Disposition"].startswith('attachment; filename="demandes-benevolat')
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0] == [
        "Reçue le",
        "Statut",
        "Mission",
        "Structure",
        "Nom",
        "Adresse électronique",
        "Téléphone",
        "Commune déléguée",
        "Centres d'intérêt",
        "Disponibilités",
        "Message",
        "Motif du refus",
        "Notes internes",
    ]
    by_name = {row[4]: row for row in rows[1:]}
    assert by_name["Jeanne pour le comité"][3] == "Comité des fêtes d'Andard"
    assert by_name["Léa pour le CCAS"][3] == "CCAS de Loire-Authion"
    assert by_name["Offre générale de Zoé"][3] == "Équipe communication"
    assert by_name["Jeanne pour le comité"][1] == "nouvelle"


def test_requests_listing_filters_by_status_structure_and_mission(client, world, english):
    login(client, world["moderator"])
    world["request_b"].status = VolunteerRequest.Status.IN_CONTACT
    world["request_b"].save()
    index = reverse("benevolat_requests:index")

    def names(query):
        response = client.get(index + query)
        assert response.status_code == 200
        return {request.name for request in response.context["object_list"]}

    assert names("?status=in_contact") == {"Paul pour le foot"}
    assert names("?structure=ccas") == {"Léa pour le CCAS"}
    assert names("?structure=general") == {"Offre générale de Zoé"}
    assert names(f"?mission={world['mission_a'].pk}") == {"Jeanne pour le comité"}
    today = timezone.localdate().isoformat()
    assert len(names(f"?created_at_from={today}")) == 4
    assert names("?created_at_to=2020-01-01") == set()
    # A member's filters offer only its own missions, in the site's language.
    factories_translate(world["mission_a"])
    login(client, world["member_a"])
    form = client.get(index).context["filters"].form
    assert [m.title for m in form.fields["mission"].queryset] == ["Buvette du marché de Noël"]
    assert [a.title for a in form.fields["association"].queryset] == ["Comité des fêtes d'Andard"]


def test_yearly_totals_per_structure(client, world):
    mission_a, mission_b = world["mission_a"], world["mission_b"]
    last_year = timezone.localdate().year - 1
    for mission, name, day, hours in [
        (mission_a, "Jeanne", datetime.date(last_year, 3, 1), "2.5"),
        (mission_a, "Jeanne", datetime.date(last_year, 4, 1), "3"),
        (mission_a, "Marc", datetime.date(last_year, 4, 1), "1"),
        (mission_b, "Paul", datetime.date(last_year, 5, 1), "4"),
        (mission_a, "Jeanne", datetime.date(last_year - 1, 5, 1), "7"),
    ]:
        bf.VolunteerHoursFactory(mission=mission, volunteer_name=name, date=day, hours=hours)

    login(client, world["member_a"])
    hours_index = client.get(reverse("benevolat_hours:index")).text
    assert reverse("benevolat_hours:yearly_totals") in hours_index  # the header button
    assert "Paul" not in hours_index
    response = client.get(reverse("benevolat_hours:yearly_totals") + f"?annee={last_year}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Année", "Structure", "Missions", "Bénévoles", "Saisies", "Heures"],
        [str(last_year), "Comité des fêtes d'Andard", "1", "2", "3", "6,50"],
    ]
    login(client, world["moderator"])
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("benevolat_hours:yearly_totals")).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert [row[1] for row in rows[1:]] == [
        "Comité des fêtes d'Andard",
        "US Loire-Authion football",
        "Comité des fêtes d'Andard",
    ]
    login(client, world["citizen"])
    denied = client.get(reverse("benevolat_hours:yearly_totals"))
    assert denied.status_code in {302, 403} and b"Comit" not in denied.content
    assert sum(Decimal(row[5].replace(",", ".")) for row in rows[1:]) == Decimal("17.5")


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
    [rejected] = mail.outbox
    assert rejected.to == [member.email]
    assert "rejeté" in rejected.subject
    assert "Merci d'ajouter vos horaires." in rejected.body
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
    assert approved and "approuvé" in approved[0].subject


def test_member_creates_a_mission_which_waits_for_the_teams_approval(client, world):
    comite = world["comite"]
    login(client, world["member_a"])
    add_url = reverse("wagtailadmin_pages:add", args=["benevolat", "missionpage", comite.pk])
    html = client.get(add_url).text
    assert 'name="structure"' not in html  # under an association, it is the association's
    data = EditFormData.of(html)
    data.update(
        title="Ranger la salle après la fête",
        slug="ranger-la-salle",
        summary="Une heure de rangement le dimanche matin.",
        description='{"blocks": [{"key": "a", "type": "unstyled", "text": "Balais fournis.", '
        '"depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
        start_date="2030-12-15",
        volunteers_needed="4",
    )
    data["action-submit"] = "action-submit"

    response = client.post(add_url, data)

    assert response.status_code == 302
    mission = MissionPage.objects.get(slug="ranger-la-salle")
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


def test_nobody_adds_a_request_in_the_admin_not_even_a_superuser(client, world):
    admin = UserFactory(username="super", is_superuser=True, is_staff=True)
    login(client, admin)
    assert client.get(reverse("benevolat_requests:add")).status_code in {302, 403}
    assert (
        reverse("benevolat_requests:add")
        not in client.get(reverse("benevolat_requests:index")).text
    )
