"""The fund's team runs the committee from the admin: it assigns and annotates an
application, emails the decision (the help granted, or the refusal and its reason),
publishes a granted project in the gallery without personal data and edits the
partners. Associations and editors never read applications unless given the role."""

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from wagtail.models import GroupPagePermission, Page

import pytest

from fonds.models import Application, Partner
from tests import factories
from tests.factories import fonds as ff
from tests.test_fund_applying import FUND_TEAM, admin_form_data

pytestmark = pytest.mark.django_db

MODERATORS = "Communication — modérateurs"
EDITORS = "Communication — rédacteurs"


@pytest.fixture
def fund(home):
    return ff.fund_page(home)


@pytest.fixture
def team_client(db):
    client = Client()
    client.force_login(factories.UserFactory(username="agent.fonds", groups=[FUND_TEAM]))
    return client


def test_a_refusal_is_emailed_with_its_reason(
    team_client, fund, django_capture_on_commit_callbacks
):
    application = ff.ApplicationFactory(fund_page=fund, status=Application.Status.COMMITTEE)
    url = reverse("fund_application:edit", args=[application.pk])

    # No reason, no email: the team is told what is missing.
    missing = team_client.post(
        url, admin_form_data(application, status="refused", send_decision="on")
    )
    assert missing.status_code == 200
    assert "refusal_reason" in missing.context["form"].errors
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = team_client.post(
            url,
            admin_form_data(
                application,
                status="refused",
                refusal_reason="Le projet relève du budget des écoles, pas du fonds.",
                internal_notes="Vu avec l'adjointe le 3 mars.",
                send_decision="on",
            ),
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.REFUSED
    assert application.decided_at is not None
    [email] = mail.outbox
    assert email.to == ["martine.dupuis@example.org"]
    assert "Le projet relève du budget des écoles" in email.body
    assert "Vu avec l'adjointe" not in email.body  # internal notes stay internal
    assert "/suivi/" in email.body
    tracking = Client().get(fund.url + f"suivi/{application.tracking_token}/")
    assert "refusée" in tracking.text and "budget des écoles" in tracking.text


def test_a_grant_is_emailed_then_published_in_the_gallery_without_personal_data(
    client, team_client, fund, django_capture_on_commit_callbacks
):
    partner = ff.PartnerFactory(name="Jardinerie de l'Authion", offers="Graines et plants")
    application = ff.ApplicationFactory(
        fund_page=fund,
        title="Les fleurs de Martine rue des Écoles",
        summary="Martine Dupuis, 12 rue des Écoles, veut semer des fleurs avec ses voisins.",
        status=Application.Status.COMMITTEE,
    )
    application.attachment.save("plan.pdf", ContentFile(b"%PDF-1.4 plan"))
    url = reverse("fund_application:edit", args=[application.pk])
    form = team_client.get(url)
    # The published version starts from the application, for the team to rewrite.
    assert "Martine Dupuis, 12 rue des Écoles" in form.text
    assert reverse("fund_application:attachment", args=[application.pk]) in form.text

    with django_capture_on_commit_callbacks(execute=True):
        team_client.post(
            url,
            admin_form_data(
                application,
                status="granted",
                granted_amount="180",
                granted_materials="Terreau",
                partners=[partner.pk],
                send_decision="on",
            ),
        )
    [email] = mail.outbox
    assert "180 € du fonds" in email.body and "Jardinerie de l'Authion" in email.body

    # Publishing needs a rewritten version.
    refused = team_client.post(
        url,
        admin_form_data(
            application,
            status="granted",
            granted_amount="180",
            partners=[partner.pk],
            is_published="on",
            public_title="",
            public_summary="",
        ),
    )
    assert "public_title" in refused.context["form"].errors
    team_client.post(
        url,
        admin_form_data(
            application,
            status="done",
            granted_amount="180",
            granted_materials="Terreau",
            partners=[partner.pk],
            is_published="on",
            public_title="Des fleurs rue des Écoles",
            public_summary="Des voisins ont semé des fleurs au pied des murs.",
            public_account="Trois rues fleuries en une matinée.",
        ),
    )
    application.refresh_from_db()
    assert application.is_published and application.status == Application.Status.DONE

    gallery = client.get(fund.url + "projets-soutenus/")
    assert gallery.status_code == 200
    assert "Des fleurs rue des Écoles" in gallery.text
    assert "180 € du fonds" in gallery.text and "Jardinerie de l&#x27;Authion" in gallery.text
    assert "Trois rues fleuries" in gallery.text
    for personal in [
        "Martine",
        "Dupuis",
        "12 rue des Écoles",
        "martine.dupuis",
        "06 12 34",
        "plan.pdf",
        "/suivi/",
    ]:
        assert personal not in gallery.text


def test_the_team_reads_the_attachment_through_the_admin_only(client, team_client, fund):
    application = ff.ApplicationFactory(fund_page=fund)
    application.attachment.save("plan.pdf", ContentFile(b"%PDF-1.4 plan"))
    url = reverse("fund_application:attachment", args=[application.pk])
    response = team_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    assert "no-store" in response["Cache-Control"]
    assert client.get(url).status_code in (302, 403)


def test_the_team_edits_the_partners(team_client):
    response = team_client.post(
        reverse("fund_partner:add"),
        {
            "name": "Services techniques",
            "kind": "service",
            "offers": "Prêt de barrières et transport",
            "website": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Partner.objects.get().offers == "Prêt de barrières et transport"
    assert "Services techniques" in team_client.get(reverse("fund_partner:index")).text


def association_member():
    group = Group.objects.create(name="Association — Les Amis de Corné")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=Page.objects.get(depth=1),
        permission=Permission.objects.get(codename="change_page"),
    )
    return factories.UserFactory(username="amis.corne", groups=[group.name])


@pytest.mark.parametrize(
    "make_user",
    [
        association_member,
        lambda: factories.UserFactory(username="redacteur", groups=[EDITORS]),
        lambda: factories.UserFactory(username="moderatrice", groups=[MODERATORS]),
        lambda: factories.UserFactory(
            username="agent.participation", groups=["Participation citoyenne — agents"]
        ),
    ],
    ids=["association", "editor", "moderator", "participation agent"],
)
def test_associations_and_editors_never_read_applications_unless_given_the_fund_role(
    make_user, fund
):
    application = ff.ApplicationFactory(fund_page=fund, title="Projet confidentiel")
    application.attachment.save("plan.pdf", ContentFile(b"%PDF-1.4 plan"))
    user = make_user()
    client = Client()
    client.force_login(user)
    urls = [
        reverse("fund_application:index"),
        reverse("fund_application:edit", args=[application.pk]),
        reverse("fund_application:inspect", args=[application.pk]),
        reverse("fund_application:attachment", args=[application.pk]),
        reverse("fund_partner:index"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Projet confidentiel" not in response.content.decode(errors="ignore")
    assert "fonds/demandes" not in client.get(reverse("wagtailadmin_home")).text

    # Given the fund's role, the same person reads them.
    user.groups.add(Group.objects.get(name=FUND_TEAM))
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert "Projet confidentiel" in client.get(reverse("fund_application:index")).text


def test_the_team_logs_in_and_filters_applications(fund):
    user = factories.UserFactory(username="agent.fonds", groups=[FUND_TEAM])
    user.set_password("mot-de-passe-du-fonds")
    user.save()
    ff.ApplicationFactory(fund_page=fund, title="Boîte à livres", status="in_review")
    ff.ApplicationFactory(fund_page=fund, title="Carnaval", status="received")
    client = Client()
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": "agent.fonds", "password": "mot-de-passe-du-fonds"},
    )
    assert response.status_code == 302
    listing = client.get(reverse("fund_application:index"), {"status": "in_review"})
    assert "Boîte à livres" in listing.text and "Carnaval" not in listing.text
    # Applications come from residents only: no "add" here.
    assert client.get("/admin/fonds/demandes/new/").status_code == 404
