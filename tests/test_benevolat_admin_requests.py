"""An association processes its volunteers' requests in the admin: each account sees and
changes only its own, declines with a reason the volunteer receives, accepts, records
hours; the communication team filters and exports the requests and the yearly totals."""

import csv
import datetime
import io
from decimal import Decimal

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from bénévolat.models import MissionPage, VolunteerHours, VolunteerRequest
from tests.factories import UserFactory
from tests.factories import benevolat as bf
from tests.factories import translate as factories_translate
from tests.factories.home import login

pytestmark = pytest.mark.django_db


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
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
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
        bf.VolunteerHoursFactory(
            mission=mission, volunteer_name=name, date=day, hours=hours, validated=True
        )
    # Hours the team has not validated yet are left out of the totals.
    bf.VolunteerHoursFactory(
        mission=mission_a, volunteer_name="Lucie", date=datetime.date(last_year, 3, 2), hours="9"
    )

    login(client, world["member_a"])
    hours_index = client.get(reverse("benevolat_hours:index")).text
    assert reverse("benevolat_hours:yearly_totals") in hours_index  # the header button
    assert "Totaux annuels des heures validées (CSV)" in hours_index
    assert "Paul" not in hours_index
    response = client.get(reverse("benevolat_hours:yearly_totals") + f"?annee={last_year}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Année", "Structure", "Missions", "Bénévoles", "Saisies", "Heures validées"],
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


def test_nobody_adds_a_request_in_the_admin_not_even_a_superuser(client, world):
    admin = UserFactory(username="super", is_superuser=True, is_staff=True)
    login(client, admin)
    assert client.get(reverse("benevolat_requests:add")).status_code in {302, 403}
    assert (
        reverse("benevolat_requests:add")
        not in client.get(reverse("benevolat_requests:index")).text
    )
