"""The staff's spreadsheets, in one format across the admin (UTF-8 with a byte order
mark, `;`, local time JJ/MM/AAAA HH:MM, "oui"/"non"), where what a citizen typed is
never run as a formula."""

import datetime
import io

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.contrib.forms.models import FormSubmission

import pytest
from openpyxl import load_workbook

from events.models import CeremonyRegistration
from home.exports import csv_cell, neutralised
from tests import factories
from tests.factories import benevolat as bf
from tests.factories import events as ef
from tests.factories import expression as xf
from tests.factories import fonds as ff

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("https://example.org/vol","Cliquez")'
SENT_AT = timezone.make_aware(datetime.datetime(2026, 7, 14, 9, 5), datetime.UTC)  # 11:05 in Paris


@pytest.fixture
def staff(db):
    client = Client()
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


def ceremony_export(home):
    registration = CeremonyRegistration.objects.create(
        ceremony=ef.CeremonyPageFactory(parent=ef.agenda(home)),
        name=HOSTILE,
        email="lea@example.org",
        guests=2,
    )
    CeremonyRegistration.objects.filter(pk=registration.pk).update(created_at=SENT_AT)
    return "/admin/inscriptions-ceremonies/"


def messages_export(home):
    submission = xf.SubmissionFactory(subject=HOSTILE)
    type(submission).objects.filter(pk=submission.pk).update(created_at=SENT_AT)
    return reverse("submission:index")


def form_answers_export(home):
    survey = xf.form_page_with_fields(home)
    answer = FormSubmission.objects.create(page=survey, form_data={"votre_avis": HOSTILE})
    FormSubmission.objects.filter(pk=answer.pk).update(submit_time=SENT_AT)
    return reverse("wagtailforms:list_submissions", args=[survey.pk])


def volunteer_requests_export(home):
    request = bf.VolunteerRequestFactory(name=HOSTILE, mission=bf.association_mission(home))
    type(request).objects.filter(pk=request.pk).update(created_at=SENT_AT)
    return reverse("benevolat_requests:index")


def fund_applications_export(home):
    application = ff.ApplicationFactory(title=HOSTILE)
    type(application).objects.filter(pk=application.pk).update(created_at=SENT_AT)
    return reverse("fund_application:index")


EXPORTS = [
    ceremony_export,
    messages_export,
    form_answers_export,
    volunteer_requests_export,
    fund_applications_export,
]


@pytest.mark.parametrize("export", EXPORTS)
def test_a_csv_export_opens_in_a_french_spreadsheet_with_no_formula(staff, home, export):
    url = export(home)

    response = staff.get(url, {"export": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    heading, *rows = text.splitlines()
    assert ";" in heading
    assert "14/07/2026 11:05" in text  # local time, French order
    assert '"=HYPERLINK' not in text and ";=HYPERLINK" not in text
    assert "'=HYPERLINK" in text


@pytest.mark.parametrize("export", EXPORTS)
def test_an_xlsx_export_keeps_texts_as_texts_and_dates_in_local_time(staff, home, export):
    url = export(home)

    response = staff.get(url, {"export": "xlsx"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert any(cell.value == "'" + HOSTILE and cell.data_type == "s" for cell in cells)
    assert datetime.datetime(2026, 7, 14, 11, 5) in [cell.value for cell in cells]


@pytest.mark.parametrize("export", [ceremony_export, fund_applications_export])
def test_a_status_is_exported_as_the_staff_read_it(staff, home, export):
    url = export(home)

    text = b"".join(staff.get(url, {"export": "csv"}).streaming_content).decode("utf-8-sig")

    heading, row = text.splitlines()
    cells = dict(zip(heading.split(";"), row.split(";"), strict=True))
    assert cells["Statut"] in {"reçue", "Reçue"}


def test_the_fund_applications_export_leaves_the_applicants_contact_in_the_admin(staff, home):
    text = b"".join(
        staff.get(fund_applications_export(home), {"export": "csv"}).streaming_content
    ).decode("utf-8-sig")

    assert "Martine Dupuis" not in text and "martine.dupuis@example.org" not in text
    assert "06 12 34 56 78" not in text
    assert "Les voisins de la rue des Écoles" in text and "200,00" in text


def test_hours_and_their_yearly_totals_use_the_same_format(staff, home):
    mission = bf.association_mission(home)
    bf.VolunteerHoursFactory(
        volunteer_name=HOSTILE,
        mission=mission,
        date=datetime.date(2026, 3, 8),
        hours=2.5,
        validated=True,
    )

    listing = staff.get(reverse("benevolat_hours:index"), {"export": "csv"})
    totals = staff.get(reverse("benevolat_hours:yearly_totals"))

    text = b"".join(listing.streaming_content).decode("utf-8-sig")
    assert "08/03/2026" in text and "2,50" in text or "2,5" in text
    assert "'=HYPERLINK" in text
    assert totals.content.startswith("\ufeff".encode())
    lines = totals.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[0] == "Année"
    assert lines[1].split(";")[0] == "2026" and lines[1].endswith(";2,50")


def test_cells_are_written_as_french_readers_expect():
    assert csv_cell(None) == ""
    assert csv_cell(True) == "oui" and csv_cell(False) == "non"
    assert csv_cell(datetime.date(2026, 1, 5)) == "05/01/2026"
    assert csv_cell(2.5) == "2,5"
    assert csv_cell(-3) == "-3"  # a number is no formula
    for start in "=+-@":
        assert neutralised(f"{start}1+1") == f"'{start}1+1"
    assert neutralised("Bonjour = salut") == "Bonjour = salut"
