"""One format for every spreadsheet the staff download from the admin: what a French
spreadsheet opens as it is (UTF-8 with a byte order mark, `;` between cells, local
time as JJ/MM/AAAA HH:MM, "oui"/"non", decimal commas), and never a formula.

A citizen's text starting with = + - or @ would run as a formula in the staff's
spreadsheet (`=HYPERLINK(...)` to a phishing site, or worse): such a cell gets a
leading apostrophe, which spreadsheets read as "this is text" and do not show.
"""

import csv
import datetime
import re
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.encoding import force_str
from django.utils.translation import gettext

from wagtail.admin.views.mixins import Echo

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATETIME_FORMAT = "d/m/Y H:i"
DATE_FORMAT = "d/m/Y"
BYTE_ORDER_MARK = "\ufeff"
DELIMITER = ";"


def neutralised(text):
    """`text` as a cell that no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value):
    """A value as a French reader expects it in a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.datetime):
        return format_date(
            timezone.localtime(value) if timezone.is_aware(value) else value, DATETIME_FORMAT
        )
    if isinstance(value, datetime.date):
        return format_date(value, DATE_FORMAT)
    if isinstance(value, (Decimal, float)):
        return str(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        value = ", ".join(force_str(item) for item in value)
    return neutralised(force_str(value))


def xlsx_cell(value):
    """A value for an XLSX cell: dates stay dates (in local time, which is what the
    staff read), texts stay texts (Wagtail already keeps them from being formulas)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    if isinstance(value, (datetime.date, int, float, Decimal)):
        return value
    if isinstance(value, (list, tuple)):
        value = ", ".join(force_str(item) for item in value)
    return neutralised(force_str(value))


class FrenchSpreadsheetExportMixin:
    """Put before Wagtail's IndexView (or any view with its SpreadsheetExportMixin)."""

    # How a French spreadsheet shows the XLSX's dates and times (Wagtail's follows the
    # admin's long date format, "1 décembre 2026 14:05", which sorts and filters worse).
    XLSX_DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

    def write_xlsx(self, queryset, output):
        """Wagtail's, with the sheet named after the listing rather than "Sheet1"."""
        from openpyxl import Workbook

        workbook = Workbook(write_only=True, iso_dates=True)
        # Excel's rule: at most 31 characters, none of []:*?/\
        title = re.sub(r"[\[\]:*?/\\]", " ", str(self.get_page_title()))[:31]
        worksheet = workbook.create_sheet(title=title)
        worksheet.append(self.get_heading(queryset, field) for field in self.list_export)
        for item in queryset:
            worksheet.append(
                self.generate_xlsx_row(
                    worksheet, self.to_row_dict(item), date_format=self.XLSX_DATETIME_FORMAT
                )
            )
        workbook.save(output)

    def preprocess_field_value(self, field, value, export_format):
        if field in self.custom_field_preprocess:
            value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return csv_cell(value)
        return xlsx_cell(value)

    def stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export, delimiter=DELIMITER)
        yield BYTE_ORDER_MARK.encode()
        yield writer.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(
            self.stream_csv(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response


def csv_writer(response):
    """A csv writer in the same format, for the exports written by hand."""
    response.write(BYTE_ORDER_MARK)
    return csv.writer(response, delimiter=DELIMITER)
