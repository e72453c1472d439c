"""The portfolio's table rows as HTML, built in Python.

A full portfolio is 250 rows of nine cells. Through Django's template engine they cost
most of the page's time (about 60 ms on the benchmark machine), and even one
`format_html` per cell costs 40 ms. So `portfolio_rows` works out once per page what
every row shares (translated labels, escaped once) and writes each row as one string,
escaping every value that comes from a person (with `html.escape`, which Django's
`escape` calls after checking for lazy strings: a thousand calls a page). The markup
is what the rest of templates/coaching/portfolio.html would write.
"""

from html import escape

from django import template
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone
from django.utils.translation import gettext, ngettext

from accounts.models import Modality
from core import conversations
from core.bulk_urls import url_maker

from ..models import AssignmentStatus
from ..overview import Alert

register = template.Library()

DASH = "—"


class RowWriter:
    """Writes the <tr> of an overview.Row; one writer per page."""

    def __init__(self, *, selectable, show_counsellor, ticked=(), invalid=False, show_messages=False):
        self.selectable = selectable
        self.show_counsellor = show_counsellor
        self.source = conversations.source() if show_messages else None
        self.unread = {}
        self.unanswered = escape(gettext("to answer"))
        self.ticked = set(ticked)
        # Each checkbox: one Tab stop for the whole column (static/js/portfolio.js), the
        # hint that says so, and the error when none was ticked.
        described = "select-hint assign-seekers-error" if invalid else "select-hint"
        self.checkbox_attrs = f' aria-describedby="{described}"' + (' aria-invalid="true"' if invalid else "")
        self.none_yet = escape(gettext("none yet"))
        self.modalities = {value: escape(str(label)) for value, label in Modality.choices}
        self.web = f' · <abbr title="{escape(gettext("100 % web follow-up"))}">web</abbr>'
        self.volunteer = f" · {escape(gettext('volunteer'))}"
        self.statuses = {value: escape(str(label).lower()) for value, label in AssignmentStatus.choices}
        self.alerts = {alert: escape(str(label)) for alert, label in Alert.current_labels().items()}
        self.select_label = gettext("Select %(name)s")
        self.zone = get_current_timezone()
        self.dates = {}
        self.seeker_url = url_maker("coaching:seeker")
        self.conversation_url = url_maker(self.source.counsellor_url) if self.source else None

    def time(self, value):
        if value is None:
            return self.none_yet
        value = value.astimezone(self.zone)
        day = value.date()
        if day not in self.dates:
            self.dates[day] = escape(formats.date_format(day, "SHORT_DATE_FORMAT"))
        return f'<time datetime="{value.isoformat()}">{self.dates[day]}</time>'

    def messages(self, seeker_id, state):
        """The "Messages" cell: unread messages, or that the seeker waits for an answer."""
        if not state.unanswered and not state.unread:
            return DASH
        url = escape(self.conversation_url(seeker_id))
        if state.unread:
            if state.unread not in self.unread:
                label = ngettext("%(counter)s unread", "%(counter)s unread", state.unread)
                self.unread[state.unread] = escape(label % {"counter": state.unread})
            label = self.unread[state.unread]
            return f'<a class="badge badge--alert" href="{url}">{label}</a>'
        return f'<a class="badge" href="{url}">{self.unanswered}</a>'

    def row(self, row):
        user, profile = row.user, row.profile
        name = escape(str(user))
        cells = []
        if self.selectable:
            label = escape(self.select_label % {"name": str(user)})
            checked = " checked" if user.pk in self.ticked else ""
            cells.append(
                f'<td><input type="checkbox" name="assign-seekers" value="{user.pk}"'
                f' id="select-{user.pk}" aria-label="{label}"{self.checkbox_attrs}{checked}></td>'
            )
        counsellor = ""
        if self.show_counsellor and profile.counsellor:
            counsellor = f"<br><small>{escape(profile.counsellor.get_full_name())}</small>"
        url = escape(self.seeker_url(user.pk))
        cells.append(f'<th scope="row"><a href="{url}">{name}</a>{counsellor}</th>')
        web = self.web if profile.is_web else self.volunteer if profile.web_volunteered_at else ""
        cells.append(f"<td>{self.modalities.get(profile.modality, '')}{web}</td>")
        cells.append(f"<td>{self.time(row.last_activity)}</td>")
        cells.append(f"<td>{self.time(row.last_contact)}</td>")
        statuses = "".join(
            f'<span class="tag tag--{status}">{count} {self.statuses[status]}</span> '
            for status, _label, count in row.status_counts
        )
        cells.append(f"<td>{statuses or DASH}</td>")
        progress = row.progress
        cells.append(f"<td>{DASH if progress is None else f'{progress} %'}</td>")
        # A count, not a link: the review queue is linked once, above the table.
        cells.append(f"<td>{len(row.reviews)}</td>")
        alerts = "".join(
            f'<span class="badge badge--alert">{self.alerts[alert]}</span> ' for alert in row.alerts
        )
        cells.append(f"<td>{alerts or DASH}</td>")
        if self.source is not None:
            cells.append(f"<td>{self.messages(user.pk, row.conversation)}</td>")
        return f"<tr>{''.join(cells)}</tr>\n"


@register.simple_tag
def portfolio_rows(rows, *, selectable, show_counsellor, ticked=(), invalid=False, show_messages=False):
    """The <tr>s of `rows` (overview.Rows): one Tab stop each (the seeker's name), and
    one more in the "Messages" column for a seeker with messages."""
    writer = RowWriter(
        selectable=bool(selectable),
        show_counsellor=show_counsellor,
        ticked=ticked,
        invalid=invalid,
        show_messages=show_messages,
    )
    # Every value from a person is escaped by RowWriter, every label once per page.
    return mark_safe("".join(writer.row(row) for row in rows))  # noqa: S308
