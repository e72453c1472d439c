"""One portfolio row as HTML, built in Python.

The portfolio shows up to 250 rows of nine cells: through Django's template engine they
cost most of the page's time (about 60 ms at 250 rows on the benchmark machine), through
`format_html` a fraction of it. Every value is escaped by `format_html`; the markup is
the same as the rest of templates/coaching/portfolio.html would write.
"""

from django import template
from django.urls import reverse
from django.utils import dateformat, formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext

register = template.Library()

DASH = "—"


def _time(value):
    if value is None:
        return gettext("none yet")
    value = localtime(value)
    return format_html(
        '<time datetime="{}">{}</time>',
        dateformat.format(value, "c"),
        formats.date_format(value, "SHORT_DATE_FORMAT"),
    )


@register.simple_tag
def portfolio_row(row, *, selectable, show_counsellor, review_url):
    """The <tr> of `row` (an overview.Row)."""
    user, profile = row.user, row.profile
    name = user.get_full_name() or user.email
    cells = []
    if selectable:
        cells.append(
            format_html(
                '<td><input type="checkbox" name="assign-seekers" value="{}" id="select-{}" aria-label="{}"></td>',
                user.pk,
                user.pk,
                gettext("Select %(name)s") % {"name": name},
            )
        )
    counsellor = ""
    if show_counsellor and profile.counsellor:
        counsellor = format_html("<br><small>{}</small>", profile.counsellor.get_full_name())
    cells.append(
        format_html(
            '<th scope="row"><a href="{}">{}</a>{}</th>',
            reverse("coaching:seeker", args=[user.pk]),
            name,
            counsellor,
        )
    )
    web = ""
    if profile.is_web:
        web = format_html(' · <abbr title="{}">web</abbr>', gettext("100 % web follow-up"))
    elif profile.web_volunteered_at:
        web = format_html(" · {}", gettext("volunteer"))
    cells.append(format_html("<td>{}{}</td>", profile.get_modality_display(), web))
    cells.append(format_html("<td>{}</td>", _time(row.last_activity)))
    cells.append(format_html("<td>{}</td>", _time(row.last_contact)))
    statuses = format_html_join(
        "",
        '<span class="tag tag--{}">{} {}</span> ',
        ((s, count, label.lower()) for s, label, count in row.status_counts),
    )
    cells.append(format_html("<td>{}</td>", statuses or DASH))
    cells.append(format_html("<td>{}</td>", f"{row.progress} %" if row.progress is not None else DASH))
    reviews = format_html('<a href="{}">{}</a>', review_url, len(row.reviews)) if row.reviews else "0"
    cells.append(format_html("<td>{}</td>", reviews))
    alerts = format_html_join(
        "", '<span class="badge badge--alert">{}</span> ', ((label,) for _a, label in row.alert_labels)
    )
    cells.append(format_html("<td>{}</td>", alerts or DASH))
    return format_html("<tr>{}</tr>", mark_safe("".join(cells)))  # noqa: S308 - every cell is built by format_html
