"""Personal data (RGPD): the register of processings and its public page, the links
from every form, the nightly purge of each kind of data, and the staff's export and
erasure of everything held about one email address."""

import io
import json
from datetime import timedelta
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import ModelLogEntry, Site

import pytest
from PIL import Image

from bénévolat.models import VolunteerHours, VolunteerRequest
from events.models import CeremonyKind, CeremonyRegistration
from expression.models import FormPage, Submission
from follow.models import Subscription, Target
from fonds.models import PERSONAL_DATA_RETENTION as FUND_RETENTION
from fonds.models import Application
from home import rgpd
from home.models import CommuneSettings, FailedLogin
from notifications.models import OutgoingEmail
from tests import factories
from tests.factories import benevolat as bf
from tests.factories import events as ef
from tests.factories import expression as xf
from tests.factories import fonds as ff

pytestmark = pytest.mark.django_db

PERSON = "Lou.Personne@Example.org"
OTHER = "sam.voisin@example.org"


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="trou.jpg")


def ceremony(home):
    return ef.CeremonyPageFactory(
        parent=ef.agenda(home),
        kind=CeremonyKind.VOLUNTEERS,
        occurrences=ef.dates(timezone.now() + timedelta(days=30)),
    )


# The register and its page ---------------------------------------------------------


def test_every_model_that_purges_personal_data_declares_its_processing():
    purging = {model for model in apps.get_models() if hasattr(model, "purge_personal_data")}
    assert purging == set(rgpd.processing_models())
    for model in purging:
        assert callable(model.personal_data_of) and callable(model.erase_personal_data)
    # The page states the very periods the purge applies.
    assert VolunteerRequest.personal_data.retention == VolunteerRequest.RETENTION
    assert VolunteerHours.personal_data.retention == VolunteerHours.NAME_RETENTION
    assert CeremonyRegistration.personal_data.retention == CeremonyRegistration.RETENTION
    assert OutgoingEmail.personal_data.retention == OutgoingEmail.RETENTION
    assert FailedLogin.personal_data.retention == settings.AXES_COOLOFF_TIME
    # Periods read as a citizen would say them, down to a lockout's minutes.
    assert rgpd.duration_display(timedelta(minutes=30)) == "30 minutes"
    assert rgpd.duration_display(timedelta(hours=2)) == "2 heures"
    assert rgpd.duration_display(timedelta(days=90)) == "90 jours"
    assert rgpd.duration_display(timedelta(days=730)) == "2 ans"


def test_the_personal_data_page_lists_every_processing_in_french_and_english(client, home):
    page = factories.PersonalDataPageFactory(parent=home)
    factories.translate(page)

    french = client.get(page.url).text
    for heading in [
        "Messages envoyés par la boîte à idées",
        "Demandes de bénévolat",
        "Heures de bénévolat",
        "Inscriptions aux cérémonies et propositions",
        "Courriels envoyés par le site",
        "Réponses aux formulaires créés par la commune",
    ]:
        assert heading in french
    assert "90 jours" in french  # the email queue's retention
    assert "2 ans" in french  # volunteers' names on recorded hours
    english = client.get("/en" + page.url).text
    assert "Volunteer requests" in english and "Emails sent by the site" in english
    assert "90 days" in english


def form_pages(home):
    """Each public form of the site: its page's URL."""
    return {
        "expression": xf.expression_page(home).url,
        "form page": xf.form_page_with_fields(home).url,
        "mission": bf.association_mission(home).url,
        "ceremony": ceremony(home).url,
        "fund": ff.fund_page(home).url,
    }


def test_every_public_form_links_to_the_personal_data_page(client, home):
    page = factories.PersonalDataPageFactory(parent=home)
    commune_settings = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    commune_settings.privacy_page = page
    commune_settings.save()
    for name, url in form_pages(home).items():
        html = client.get(url).text
        assert f'href="{page.url}"' in html, name


# The nightly purge, kind by kind ----------------------------------------------------


def old_and_recent_message(now):
    old = xf.SubmissionFactory(kind=Submission.Kind.REPORT, created_at=now - timedelta(days=400))
    old.photo.save("trou.jpg", jpeg())
    photo = Path(old.photo.path)
    recent = xf.SubmissionFactory(created_at=now - timedelta(days=300))

    def check():
        old.refresh_from_db()
        assert (old.name, old.email, old.photo.name) == ("", "", "")
        assert not photo.exists()
        recent.refresh_from_db()
        assert recent.email == "camille.martin@example.org"

    return check


def old_and_recent_unpublished_message(now):
    xf.SubmissionFactory(created_at=now - timedelta(days=3 * 365 + 1))
    recent = xf.SubmissionFactory(created_at=now - timedelta(days=3 * 365 - 1))

    def check():
        assert list(Submission.objects.values_list("pk", flat=True)) == [recent.pk]

    return check


def old_and_recent_form_answers(now, home):
    page = xf.form_page_with_fields(home, retention_days=30)
    old = FormSubmission.objects.create(page=page, form_data={"votre_avis": "Bon"})
    FormSubmission.objects.filter(pk=old.pk).update(submit_time=now - timedelta(days=31))
    recent = FormSubmission.objects.create(page=page, form_data={"votre_avis": "Moyen"})
    FormSubmission.objects.filter(pk=recent.pk).update(submit_time=now - timedelta(days=29))

    def check():
        assert list(FormSubmission.objects.values_list("pk", flat=True)) == [recent.pk]

    return check


def old_and_recent_volunteer_requests(now, home):
    mission = bf.association_mission(home)
    old = bf.VolunteerRequestFactory(mission=mission)
    recent = bf.VolunteerRequestFactory(mission=mission)
    VolunteerRequest.objects.filter(pk=old.pk).update(updated_at=now - timedelta(days=366))
    VolunteerRequest.objects.filter(pk=recent.pk).update(updated_at=now - timedelta(days=364))

    def check():
        assert list(VolunteerRequest.objects.values_list("pk", flat=True)) == [recent.pk]

    return check


def old_and_recent_hours(now, home):
    mission = bf.association_mission(home)
    old = bf.VolunteerHoursFactory(mission=mission, date=(now - timedelta(days=731)).date())
    recent = bf.VolunteerHoursFactory(mission=mission, date=(now - timedelta(days=700)).date())

    def check():
        old.refresh_from_db()
        assert old.volunteer_name == "" and old.hours  # the hours stay, anonymous
        recent.refresh_from_db()
        assert recent.volunteer_name

    return check


def old_and_recent_sign_ups(now, home):
    page = ceremony(home)
    old = CeremonyRegistration.objects.create(ceremony=page, name="Ancien", email=OTHER)
    recent = CeremonyRegistration.objects.create(ceremony=page, name="Récent", email=OTHER)
    CeremonyRegistration.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=366))
    CeremonyRegistration.objects.filter(pk=recent.pk).update(created_at=now - timedelta(days=364))

    def check():
        assert list(CeremonyRegistration.objects.values_list("pk", flat=True)) == [recent.pk]

    return check


def old_and_recent_emails(now, home):
    old = OutgoingEmail.objects.create(to=OTHER, subject="Ancien", body="Bonjour")
    recent = OutgoingEmail.objects.create(to=OTHER, subject="Récent", body="Bonjour")
    OutgoingEmail.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=91))
    OutgoingEmail.objects.filter(pk=recent.pk).update(created_at=now - timedelta(days=89))

    def check():
        assert list(OutgoingEmail.objects.values_list("pk", flat=True)) == [recent.pk]

    return check


def failed_login(username):
    """A wrong password typed at the admin's login form, as django-axes records it."""
    response = Client().post(reverse("wagtailadmin_login"), {"username": username, "password": "x"})
    assert response.status_code == 200  # the form again, with its error


def old_and_recent_failed_logins(now, home):
    failed_login("ancien.agent")
    failed_login("agent.recent")
    FailedLogin.objects.filter(username="ancien.agent").update(
        attempt_time=now - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )

    def check():
        assert list(FailedLogin.objects.values_list("username", flat=True)) == ["agent.recent"]

    return check


def old_and_recent_fund_applications(now, home):
    """Two years on: an application not granted is deleted, a granted project keeps
    only what was published; a recent one keeps everything."""
    old_refused = ff.ApplicationFactory(status=Application.Status.REFUSED, email=OTHER)
    old_granted = ff.granted(now.year - 3, "150", email=OTHER, contact_name="Ancien porteur")
    old_granted.attachment.save("plan.pdf", ContentFile(b"%PDF-1.4 plan"))
    old_file = Path(old_granted.attachment.path)
    recent = ff.ApplicationFactory(email=OTHER, contact_name="Porteuse récente")
    past = now - FUND_RETENTION - timedelta(days=1)
    Application.objects.filter(pk__in=[old_refused.pk, old_granted.pk]).update(created_at=past)

    def check():
        assert not Application.objects.filter(pk=old_refused.pk).exists()
        kept = Application.objects.get(pk=old_granted.pk)
        assert (kept.contact_name, kept.email, kept.phone, kept.summary) == ("", "", "", "")
        assert kept.public_summary and not kept.attachment and not old_file.exists()
        recent.refresh_from_db()
        assert recent.contact_name == "Porteuse récente" and recent.email == OTHER

    return check


@pytest.mark.parametrize(
    "seed",
    [
        lambda now, home: old_and_recent_message(now),
        lambda now, home: old_and_recent_unpublished_message(now),
        old_and_recent_form_answers,
        old_and_recent_volunteer_requests,
        old_and_recent_hours,
        old_and_recent_sign_ups,
        old_and_recent_emails,
        old_and_recent_failed_logins,
        old_and_recent_fund_applications,
    ],
    ids=[
        "message name email photo",
        "unpublished message",
        "form answers",
        "volunteer request",
        "volunteer hours",
        "ceremony sign-up",
        "outgoing email",
        "failed login",
        "fund application",
    ],
)
def test_the_purge_removes_data_past_its_period_and_keeps_the_rest(home, seed):
    check = seed(timezone.now(), home)
    call_command("purge_personal_data", stdout=StringIO())
    check()


# Export and erasure by email -------------------------------------------------------


def seed_everything(home, email, marker):
    """One person's data in every table that holds personal data."""
    mission = bf.association_mission(home)
    xf.PublishedSubmissionFactory(email=email, name=f"{marker} publiée", message=f"{marker} publié")
    unpublished = xf.SubmissionFactory(
        kind=Submission.Kind.REPORT, email=email, name=f"{marker} reçue"
    )
    unpublished.photo.save("trou.jpg", jpeg())
    page = FormPage.objects.first() or xf.form_page_with_fields(home)
    FormSubmission.objects.create(
        page=page, form_data={"votre_avis": "Bon", "courriel": email, "note": marker}
    )
    request = bf.VolunteerRequestFactory(mission=mission, email=email, name=marker)
    bf.VolunteerHoursFactory(mission=mission, volunteer_request=request, volunteer_name=marker)
    sign_up_page = CeremonyRegistration.objects.first()
    CeremonyRegistration.objects.create(
        ceremony=sign_up_page.ceremony if sign_up_page else ceremony(home),
        name=marker,
        email=email,
        reason=f"{marker} propose",
    )
    OutgoingEmail.objects.create(to=email, subject=f"{marker} accusé", body="Bonjour")
    OutgoingEmail.objects.create(
        to="participation@loire-authion.fr",
        reply_to=email,
        subject="Nouveau message",
        body=f"Message de {marker} <{email}>",
    )
    failed_login(email)  # staff often log in with their address
    ff.ApplicationFactory(email=email, contact_name=marker, summary=f"{marker} demande")
    ff.granted(2025, "100", email=email, contact_name=marker, summary=f"{marker} projet")

    Subscription.objects.create(email=email.lower(), page=home, target=Target.PLAN)
    return Path(unpublished.photo.path)


def text_columns(model):
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField, models.JSONField))
    ]


def rows_mentioning(text):
    """Every row of the project's apps and Wagtail's form answers whose text or JSON
    columns contain `text`, whatever the case: no table can be forgotten."""
    found = []
    project = {
        "home",
        "actions",
        "events",
        "benevolat",
        "expression",
        "fonds",
        "notifications",
        "follow",
    }
    for model in apps.get_models():
        if model._meta.app_label not in project and model is not FormSubmission:
            continue
        for name in text_columns(model):
            field = model._meta.get_field(name)
            if isinstance(field, models.JSONField):
                rows = [
                    row
                    for row in model.objects.all()
                    if text.lower() in json.dumps(getattr(row, name)).lower()
                ]
            else:
                rows = list(model.objects.filter(**{f"{name}__icontains": text}))
            found += [(model._meta.label, name, row.pk) for row in rows]
    return found


@pytest.fixture
def dpo_client(db):
    client = Client()
    client.force_login(factories.UserFactory(username="dpo", is_staff=True, is_superuser=True))
    return client


def test_staff_export_then_erase_everything_held_about_one_address(dpo_client, home):
    photo = seed_everything(home, PERSON, "Lou-Personne")
    other_photo = seed_everything(home, OTHER, "Sam-Voisin")
    other_rows_before = rows_mentioning("Sam-Voisin")

    assert dpo_client.get(reverse("personal_data")).status_code == 200
    assert reverse("personal_data") in dpo_client.get(reverse("wagtailadmin_home")).text

    # The search is case-insensitive and lists every processing.
    response = dpo_client.post(reverse("personal_data"), {"email": PERSON.upper()})
    assert response.status_code == 200
    assert "Demandes de bénévolat" in response.text
    # Not an address: said in French, nothing looked up.
    typo = dpo_client.post(reverse("personal_data"), {"email": "lou.personne@"})
    assert typo.status_code == 400
    assert "adresse" in typo.text and "valide" in typo.text
    assert "Demandes de bénévolat" not in typo.text

    exported = dpo_client.post(reverse("personal_data_export"), {"email": PERSON.lower()})
    assert exported["Content-Disposition"].startswith("attachment;")
    data = json.loads(exported.content)
    counts = {item["processing"]: len(item["rows"]) for item in data["processings"]}
    assert all(counts.values()), counts  # something in every table
    assert counts[str(OutgoingEmail.personal_data.name)] == 2
    text = exported.content.decode()
    assert "Lou-Personne" in text and "Sam-Voisin" not in text and OTHER not in text

    refused = dpo_client.post(reverse("personal_data_erase"), {"email": PERSON})
    assert refused.status_code == 400  # not confirmed: nothing erased
    assert "Demandes de bénévolat" in refused.text  # what would go is shown again
    assert rows_mentioning(PERSON)

    erased = dpo_client.post(reverse("personal_data_erase"), {"email": PERSON, "confirm": "on"})
    assert erased.status_code == 302

    assert rows_mentioning(PERSON) == []
    assert rows_mentioning("Lou-Personne") == []
    assert not photo.exists()
    assert other_photo.exists()
    assert rows_mentioning("Sam-Voisin") == other_rows_before
    # The hours and the published answer stay, anonymous.
    assert VolunteerHours.objects.filter(volunteer_name="").count() == 1
    assert Submission.objects.filter(is_published=True, email="").count() == 1
    # The granted project stays in the gallery, without its applicant.
    assert Application.objects.filter(email="", is_published=True).count() == 1
    entry = ModelLogEntry.objects.get(action="home.personal_data_erased")
    assert PERSON.lower() not in json.dumps(entry.data).lower() + entry.label.lower()
    assert entry.data["email_hash"] == rgpd.email_hash(PERSON)


def test_only_superusers_reach_the_personal_data_tool(client, home):
    OutgoingEmail.objects.create(to=PERSON, subject="Accusé", body="Bonjour")
    moderator = factories.UserFactory(username="moderatrice", is_staff=True)
    moderator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(moderator)
    assert client.get(reverse("personal_data")).status_code in (302, 403)
    response = client.post(reverse("personal_data_erase"), {"email": PERSON, "confirm": "on"})
    assert response.status_code in (302, 403)
    assert OutgoingEmail.objects.filter(to=PERSON).exists()
    assert "donnees-personnelles" not in client.get(reverse("wagtailadmin_home")).text
