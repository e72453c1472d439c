"""Exports of the portfolio: the CSV file a counsellor opens in a spreadsheet, and the
summary figures per module (completion rate, median time to complete)."""

import csv

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.permissions import staff_required
from core.modules import kind_label

from .. import overview
from ..permissions import visible_seekers
from .portfolio import portfolio_rows

# A French spreadsheet (Excel, LibreOffice) reads a BOM-prefixed UTF-8 file with
# semicolons as its columns, and these dates as dates.
BOM = "\ufeff"
DELIMITER = ";"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
# A cell starting with one of these is read as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Echo:
    """A pseudo-buffer: `write` hands back what it is given, for csv.writer."""

    def write(self, value):
        return value


def safe_cell(value):
    """`value` as text a spreadsheet never runs as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def format_datetime(value):
    return timezone.localtime(value).strftime(DATETIME_FORMAT) if value else ""


def header():
    return [
        _("Last name"),
        _("First name"),
        _("E-mail"),
        _("Modality"),
        _("100 % web"),
        _("Counsellor"),
        _("Last activity"),
        _("Last contact"),
        _("Active assignments"),
        _("Overall progress (%)"),
        _("Submissions waiting for review"),
        _("Alerts"),
        _("Assignments"),
    ]


def csv_cells(row):
    """The cells of one portfolio row (an overview.Row, its counsellor selected)."""
    user, profile = row.user, row.profile
    counsellor = profile.counsellor
    assignments = " | ".join(
        _("%(title)s (%(status)s, %(percent)s %%)")
        % {"title": view.module.title, "status": view.status_label, "percent": view.progress.percent}
        for view in row.assignments
    )
    return [
        user.last_name,
        user.first_name,
        user.email,
        profile.get_modality_display(),
        _("Yes") if profile.is_web else _("No"),
        (str(counsellor)) if counsellor else "",
        format_datetime(row.last_activity),
        format_datetime(row.last_contact),
        len(row.active_assignments),
        "" if row.progress is None else row.progress,
        len(row.reviews),
        ", ".join(str(label) for _alert, label in row.alert_labels),
        assignments,
    ]


def csv_lines(rows, language):
    """The file, line by line: the BOM, the header, then one line per seeker."""
    writer = csv.writer(Echo(), delimiter=DELIMITER)

    def line(cells):
        # The response is iterated after the view has returned: keep its language,
        # without holding it across a `yield`.
        with translation.override(language):
            return writer.writerow([safe_cell(cell) for cell in cells()])

    yield BOM
    yield line(header)
    for row in rows:
        yield line(lambda row=row: csv_cells(row))


@never_cache
@staff_required
def portfolio_csv(request):
    """The portfolio as shown for the same query string (filters, sort), as CSV."""
    rows, _filters, _counts = portfolio_rows(request)
    response = StreamingHttpResponse(
        csv_lines(rows, translation.get_language()), content_type="text/csv; charset=utf-8"
    )
    filename = f"portefeuille-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@staff_required
def module_summary(request):
    """Per module assigned to the visible seekers: assignees, completions, completion
    rate and median days from assignment to completion."""
    rows = overview.build(visible_seekers(request.user))
    modules = overview.summary_by_module(rows)
    for entry in modules:
        entry["kind"] = kind_label(entry["module"])
    return render(request, "coaching/module_summary.html", {"modules": modules, "seeker_count": len(rows)})
