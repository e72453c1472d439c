"""The portfolio at a glance: one row per seeker with their activity, contacts,
assignments (status derived from each module), progress, waiting reviews and alerts.

Built in a fixed number of queries whatever the portfolio's size: the seekers with
their last activity and last contact (one query), their counsellors (one), their active
assignments and module pages (two), the progress of those assignments (a few per module
type), their work waiting for review (one per module type with reviews) and the state
of their conversations (one, through core.conversations). Filtering and sorting happen
on these rows.
"""

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.models import Page

from accounts.models import Modality, SeekerProfile, User
from activity.models import ActivityEntry
from core import conversations
from core.modules import NOT_STARTED, ModuleProgress, ModuleStatus, module_page_models, module_pages

from .models import Assignment, AssignmentStatus, Contact, ContactOutcome, SeekerRequest


class Alert(models.TextChoices):
    """Why a seeker needs the counsellor's attention. Labels that name a threshold are
    written by `Alert.current_labels()`, which reads the thresholds from the settings."""

    INACTIVE = "inactive", _("Inactive")
    OVERDUE = "overdue", _("Overdue assignment")
    NO_CONTACT = "no_contact", _("No contact for a while")
    REVIEW_WAITING = "review_waiting", _("Work waiting for review")
    REQUEST = "request", _("Request to handle")

    @classmethod
    def current_labels(cls):
        """{alert: label}, in the order the portfolio lists them."""
        days = thresholds()["renforce_contact_days"]
        labels = dict(cls.choices)
        labels[cls.NO_CONTACT] = ngettext(
            "No contact for %(days)s day", "No contact for %(days)s days", days
        ) % {"days": days}
        return labels


def thresholds():
    """Alert thresholds in days, from settings.COACHING_ALERTS."""
    return {
        "inactive_days": 14,
        "renforce_contact_days": 15,
        "review_waiting_days": 5,
        **settings.COACHING_ALERTS,
    }


@dataclass(slots=True)
class AssignmentView:
    """An active assignment as the workspace shows it, its status derived from the
    module's progress. Read from plain values: a full portfolio holds thousands."""

    pk: int
    seeker_id: int
    module: Page
    due_date: datetime.date | None
    message: str
    progress: ModuleProgress
    status: str

    @property
    def status_label(self):
        return AssignmentStatus(self.status).label

    @property
    def is_active(self):
        return self.status != AssignmentStatus.COMPLETED


#: The statuses of active assignments, most urgent first, and their labels.
URGENCY = [AssignmentStatus.OVERDUE, AssignmentStatus.SUBMITTED, AssignmentStatus.REVIEWED,
           AssignmentStatus.IN_PROGRESS, AssignmentStatus.NOT_STARTED]  # fmt: skip
STATUS_LABELS = dict(AssignmentStatus.choices)


@dataclass
class Row:
    profile: object
    last_activity: datetime.datetime | None
    last_contact: datetime.datetime | None
    open_requests: int
    assignments: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    alerts: list = field(default_factory=list)
    #: The seeker's conversation (core.conversations.ConversationState).
    conversation: conversations.ConversationState = conversations.NO_CONVERSATION

    @property
    def user(self):
        return self.profile.user

    @property
    def active_assignments(self):
        return [view for view in self.assignments if view.is_active]

    @property
    def progress(self):
        """Mean progress of the seeker's assignments, in percent (None without any)."""
        if not self.assignments:
            return None
        return round(sum(view.progress.percent for view in self.assignments) / len(self.assignments))

    @property
    def status_counts(self):
        """[(status, label, count)] of the active assignments, most urgent first."""
        counts = Counter(view.status for view in self.assignments if view.is_active)
        return [(status, STATUS_LABELS[status], counts[status]) for status in URGENCY if status in counts]

    @property
    def alert_labels(self):
        labels = Alert.current_labels()
        return [(alert, labels[alert]) for alert in self.alerts]

    def has_status(self, status):
        return any(view.status == status for view in self.assignments)


def due_order(view):
    """Sort key of AssignmentViews: the soonest due first, those without a due date
    last, then in the order they were assigned."""
    return (view.due_date is None, view.due_date or datetime.date.min, view.pk)


def module_progress(pairs_by_model):
    """{(seeker_id, page_id): ModuleProgress} for assignments grouped by page model."""
    found = {}
    for model, pairs in pairs_by_model.items():
        found.update(model.progress_for_many(pairs))
    return found


def attach_counsellors(profiles):
    """Give each SeekerProfile its counsellor, one shared User per counsellor (a
    portfolio's 250 rows have one): one query, none if the caller selected them."""
    missing = [
        profile
        for profile in profiles
        if profile.counsellor_id and not SeekerProfile.counsellor.is_cached(profile)
    ]
    counsellors = User.objects.in_bulk({profile.counsellor_id for profile in missing})
    for profile in missing:
        profile.counsellor = counsellors[profile.counsellor_id]


def assignment_views(assignments, today):
    """AssignmentViews of the Assignment queryset `assignments`, in its order: the
    assignments (one query), their modules (one) and their progress (a few queries per
    module type)."""
    values = list(assignments.values_list("pk", "seeker_id", "module_id", "due_date", "message"))
    modules = module_pages({module_id for _pk, _seeker, module_id, *_rest in values})
    types = {ContentType.objects.get_for_model(model).pk: model for model in module_page_models()}
    by_model = defaultdict(set)
    for _pk, seeker_id, module_id, *_rest in values:
        model = types.get(modules[module_id].content_type_id)
        if model is not None:
            by_model[model].add((seeker_id, module_id))
    progress = module_progress(by_model)
    status_from = Assignment.status_from
    views = []
    for pk, seeker_id, module_id, due_date, message in values:
        found = progress.get((seeker_id, module_id), NOT_STARTED)
        views.append(
            AssignmentView(
                pk,
                seeker_id,
                modules[module_id],
                due_date,
                message,
                found,
                status_from(found, due_date, today),
            )
        )
    return views


def waiting_reviews(seeker_ids):
    """{seeker_id: [ReviewItem]} from every module type, oldest first."""
    found = defaultdict(list)
    for model in module_page_models():
        for item in model.waiting_for_review(seeker_ids):
            found[item.seeker_id].append(item)
    for items in found.values():
        items.sort(key=lambda item: item.submitted_at)
    return found


def feedback_for(seeker):
    """Reviews `seeker` received, from every module type, newest first."""
    items = [item for model in module_page_models() for item in model.feedback_for(seeker)]
    return sorted(items, key=lambda item: item.reviewed_at, reverse=True)


def module_summaries(seeker):
    """The modules `seeker` has joined, from every module type (Mon parcours)."""
    return [summary for model in module_page_models() for summary in model.summaries_for(seeker)]


def build(profiles, *, now=None):
    """Rows for the SeekerProfile queryset `profiles` (already filtered by permission)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    limits = thresholds()
    last_activity = (
        ActivityEntry.objects.by_seeker_themselves()
        .filter(seeker=OuterRef("user"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    last_contact = (
        Contact.objects.filter(seeker=OuterRef("user"), outcome=ContactOutcome.REACHED)
        .order_by("-happened_at")
        .values("happened_at")[:1]
    )
    open_requests = (
        SeekerRequest.objects.filter(seeker=OuterRef("user"), handled_at__isnull=True)
        .order_by()
        .values("seeker")
        .annotate(n=Count("pk"))
        .values("n")
    )
    profiles = list(
        profiles.select_related("user").annotate(
            last_activity=Subquery(last_activity),
            last_contact=Subquery(last_contact),
            open_requests=Subquery(open_requests),
        )
    )
    attach_counsellors(profiles)
    rows = {
        profile.user_id: Row(profile, profile.last_activity, profile.last_contact, profile.open_requests or 0)
        for profile in profiles
    }
    # In no order: each seeker's are sorted below, which costs a fifth of PostgreSQL
    # sorting a portfolio's 3,000 together.
    assignments = Assignment.objects.active().filter(seeker_id__in_ids=list(rows)).order_by()
    for view in assignment_views(assignments, today):
        rows[view.seeker_id].assignments.append(view)
    for row in rows.values():
        row.assignments.sort(key=due_order)
    for seeker_id, items in waiting_reviews(list(rows)).items():
        rows[seeker_id].reviews = items
    for seeker_id, state in conversations.states_for(list(rows)).items():
        rows[seeker_id].conversation = state

    inactive_since = now - datetime.timedelta(days=limits["inactive_days"])
    contact_since = now - datetime.timedelta(days=limits["renforce_contact_days"])
    review_since = now - datetime.timedelta(days=limits["review_waiting_days"])
    for row in rows.values():
        seen = row.last_activity or row.user.date_joined
        if seen < inactive_since:
            row.alerts.append(Alert.INACTIVE)
        if row.has_status(AssignmentStatus.OVERDUE):
            row.alerts.append(Alert.OVERDUE)
        if (
            row.profile.modality == Modality.RENFORCE
            and (row.last_contact or row.user.date_joined) < contact_since
        ):
            row.alerts.append(Alert.NO_CONTACT)
        if any(item.submitted_at < review_since for item in row.reviews):
            row.alerts.append(Alert.REVIEW_WAITING)
        if row.open_requests:
            row.alerts.append(Alert.REQUEST)
    return list(rows.values())


# Sorting keys of the portfolio: (value, label, key function, reverse).
SORTS = {
    "name": (_("Name"), lambda row: (row.user.last_name.lower(), row.user.first_name.lower()), False),
    "activity": (
        _("Oldest activity first"),
        lambda row: row.last_activity or datetime.datetime.min.replace(tzinfo=datetime.UTC),
        False,
    ),
    "contact": (
        _("Oldest contact first"),
        lambda row: row.last_contact or datetime.datetime.min.replace(tzinfo=datetime.UTC),
        False,
    ),
    "alerts": (_("Most alerts first"), lambda row: (-len(row.alerts), row.user.last_name.lower()), False),
    "progress": (
        _("Least progress first"),
        lambda row: row.progress if row.progress is not None else -1,
        False,
    ),
}


#: The portfolio's "Messages" filter: seekers whose last messages wait for an answer.
UNANSWERED = "unanswered"


def filter_rows(rows, *, alert="", status="", messages=""):
    if messages == UNANSWERED:
        rows = [row for row in rows if row.conversation.unanswered]
    if alert == "any":
        rows = [row for row in rows if row.alerts]
    elif alert:
        rows = [row for row in rows if alert in row.alerts]
    if status:
        rows = [row for row in rows if row.has_status(status)]
    return rows


def sort_rows(rows, sort):
    _label, key, reverse = SORTS.get(sort, SORTS["name"])
    return sorted(rows, key=key, reverse=reverse)


def summary_by_module(rows):
    """Per assigned module: assignees, completed, completion rate and median days to
    complete (from assignment to completion)."""
    stats = {}
    completed = []
    for row in rows:
        for view in row.assignments:
            entry = stats.setdefault(
                view.module.pk, {"module": view.module, "assigned": 0, "completed": 0, "days": []}
            )
            entry["assigned"] += 1
            if view.progress.status == ModuleStatus.COMPLETED:
                entry["completed"] += 1
                if view.progress.completed_at:
                    completed.append(view)
    # The assignment dates, only for the completed ones (the rows leave them out).
    assigned_on = dict(
        Assignment.objects.filter(pk__in=[view.pk for view in completed]).values_list("pk", "created_at")
    )
    for view in completed:
        delta = view.progress.completed_at - assigned_on[view.pk]
        stats[view.module.pk]["days"].append(max(delta.total_seconds() / 86400, 0))
    result = []
    for entry in stats.values():
        entry["rate"] = round(100 * entry["completed"] / entry["assigned"]) if entry["assigned"] else 0
        entry["median_days"] = statistics.median(entry["days"]) if entry["days"] else None
        result.append(entry)
    return sorted(result, key=lambda entry: entry["module"].title)
