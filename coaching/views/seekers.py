"""One seeker's file, for their counsellor and the counsellor's team manager: profile and
follow-up history, alerts, progress in the assigned modules, the activity timeline,
private notes and the contact log, with the actions that go with them.

Every view first applies the one permission policy (coaching.permissions): anonymous
visitors are sent to log in, seekers and editors get 403, and a seeker outside the
caller's reach is a 404, whatever the HTTP method, before anything else is looked at.
Forms post to their own URL; a valid form redirects back to the page (post/redirect/
get), an invalid one renders the page again with its errors next to the fields.

The page is built in a fixed number of queries whatever the size of the file: the row
of coaching.overview (profile, alerts, assignments with their progress), then one query
each for the follow-up periods, open requests, timeline, notes and contacts.
"""

import datetime
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import staff_required
from activity import log
from activity.models import ActivityEntry
from core import conversations
from core.modules import reviewable_by

from .. import assigning, capacity, overview
from ..forms import AssignmentForm, ContactForm, NoteForm, ReassignForm
from ..models import Assignment, Contact, ContactChannel, ContactOutcome, FollowUp, Note, SeekerRequest
from ..permissions import (
    assignable_counsellors,
    can_assign,
    can_reassign,
    can_validate_web,
    holds_portfolio,
    seeker_or_404,
    visible_seekers,
)

TIMELINE_LENGTH = 50

# Form prefixes: the page holds several forms, their fields must not share ids.
NOTE, CONTACT, ASSIGN, REASSIGN = "note", "contact", "assign", "reassign"


def _with_seeker(view):
    """Staff only; then the SeekerProfile of `seeker_id` if the user may see it, else
    404 (checked before the HTTP method, so an outsider learns nothing). The view gets
    the profile instead of the id."""

    @wraps(view)
    @never_cache
    @staff_required
    def wrapper(request, seeker_id, **kwargs):
        profile = seeker_or_404(request.user, seeker_id)
        return view(request, profile, **kwargs)

    return wrapper


def _require(allowed):
    """403 unless the policy allows the action (the seeker is already known to be
    within the user's reach: this is about the role, not the person)."""
    if not allowed:
        raise PermissionDenied


def _back(profile):
    return redirect("coaching:seeker", seeker_id=profile.user_id)


# --- The page ---------------------------------------------------------------------------


@never_cache
@staff_required
def seeker(request, seeker_id):
    return _render_page(request, seeker_id)


def _render_page(request, seeker_id, **bound_forms):
    """The seeker page; `bound_forms` (note_form=…, …) replace the empty forms, to show
    a submitted form with its errors."""
    user = request.user
    profiles = (
        visible_seekers(user).filter(user_id=seeker_id).select_related("counsellor", "web_validated_by")
    )
    rows = overview.build(profiles)
    if not rows:
        raise Http404
    row = rows[0]
    profile = row.profile
    person = profile.user
    assigns = can_assign(user)
    reassigns = can_reassign(user)

    feedback = overview.feedback_for(person)
    reviewable = set(reviewable_by(user, [*row.reviews, *feedback]))
    timeline = list(ActivityEntry.objects.for_seeker(person).timeline()[:TIMELINE_LENGTH])
    for entry in timeline:
        entry.by_someone_else = entry.actor_id != person.pk
        entry.details = _details(entry)

    forms = {
        "note_form": NoteForm(prefix=NOTE),
        "contact_form": ContactForm(prefix=CONTACT),
        "assign_form": AssignmentForm(prefix=ASSIGN) if assigns else None,
        "reassign_form": ReassignForm(
            prefix=REASSIGN,
            counsellors=assignable_counsellors(user),
            initial={"counsellor": profile.counsellor_id},
        )
        if reassigns
        else None,
    }
    forms.update(bound_forms)
    context = {
        "row": row,
        "profile": profile,
        "person": person,
        "can_assign": assigns,
        "can_validate_web": can_validate_web(user)
        and profile.web_volunteered_at is not None
        and not profile.is_web,
        "follow_ups": list(FollowUp.objects.filter(seeker=person).select_related("counsellor", "changed_by")),
        "open_requests": list(SeekerRequest.objects.filter(seeker=person, handled_at__isnull=True)),
        "timeline": timeline,
        # (item, whether the user opens its review page): a manager does not open an
        # interview's (core.modules.LearningModule.may_review).
        "waiting_work": [(item, item in reviewable) for item in row.reviews],
        "reviewed_work": [(item, item in reviewable) for item in feedback],
        "notes": list(Note.objects.filter(seeker=person).select_related("author")),
        "contacts": list(Contact.objects.filter(seeker=person).select_related("counsellor")),
        # The conversation is the seeker's and their counsellor's (not the manager's).
        "messages_url": source.counsellor_url(person.pk)
        if (source := conversations.source()) is not None and holds_portfolio(user)
        else "",
        **forms,
    }
    return render(request, "coaching/seeker.html", context)


def _details(entry):
    """A short, plain-text complement to an entry's label, from its data (no query)."""
    data = entry.data or {}
    if entry.verb == "contact.logged":
        parts = []
        if data.get("channel") in ContactChannel.values:
            parts.append(str(ContactChannel(data["channel"]).label))
        if data.get("outcome") in ContactOutcome.values:
            parts.append(str(ContactOutcome(data["outcome"]).label))
        return " · ".join(parts)
    if entry.verb == "follow_up.counsellor_changed":
        return data.get("counsellor") or ""
    if entry.verb == "assignment.created" and data.get("due_date"):
        try:
            due = datetime.date.fromisoformat(data["due_date"])
        except (TypeError, ValueError):
            return ""
        return _("to do by %(date)s") % {"date": date_format(due)}
    return ""


# --- Notes and contacts ----------------------------------------------------------------


@_with_seeker
@require_POST
def add_note(request, profile):
    form = NoteForm(request.POST, prefix=NOTE)
    if not form.is_valid():
        messages.error(request, _("The note was not saved: please correct the form below."))
        return _render_page(request, profile.user_id, note_form=form)
    note = form.save(commit=False)
    note.seeker = profile.user
    note.author = request.user
    note.save()
    messages.success(request, _("Note saved."))
    return _back(profile)


@_with_seeker
@require_POST
def add_contact(request, profile):
    form = ContactForm(request.POST, prefix=CONTACT)
    if not form.is_valid():
        messages.error(request, _("The contact was not logged: please correct the form below."))
        return _render_page(request, profile.user_id, contact_form=form)
    contact = form.save(commit=False)
    contact.seeker = profile.user
    contact.counsellor = request.user
    contact.save()
    log.record(
        profile.user,
        "contact.logged",
        target=contact,
        actor=request.user,
        when=contact.happened_at,
        channel=contact.channel,
        outcome=contact.outcome,
    )
    messages.success(request, _("Contact logged."))
    return _back(profile)


# --- Assignments -----------------------------------------------------------------------


@_with_seeker
@require_POST
def assign(request, profile):
    """The counsellor assigns a module to this seeker (a MOOC enrols them)."""
    _require(can_assign(request.user))
    form = AssignmentForm(request.POST, prefix=ASSIGN)
    if not form.is_valid():
        messages.error(request, _("The module was not assigned: please correct the form below."))
        return _render_page(request, profile.user_id, assign_form=form)
    data = form.cleaned_data
    result = assigning.assign(
        data["module"],
        [profile.user],
        by=request.user,
        due_date=data["due_date"],
        message=data["message"],
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    if result.created:
        messages.success(
            request,
            _("“%(module)s” assigned to %(name)s; they will get an e-mail.")
            % {"module": data["module"].title, "name": profile.user},
        )
    else:
        messages.info(
            request,
            _("“%(module)s” was already assigned, left unchanged.") % {"module": data["module"].title},
        )
    return _back(profile)


@_with_seeker
@require_POST
def cancel_assignment(request, profile, assignment_id):
    _require(can_assign(request.user))
    assignment = get_object_or_404(
        Assignment.objects.active().select_related("seeker", "module"), pk=assignment_id, seeker=profile.user
    )
    assigning.cancel(assignment, by=request.user)
    messages.success(
        request, _("Assignment of “%(module)s” cancelled.") % {"module": assignment.module.title}
    )
    return _back(profile)


# --- Follow-up -------------------------------------------------------------------------


@_with_seeker
@require_POST
def validate_web(request, profile):
    """The counsellor validates the 100 % web follow-up the seeker volunteered for,
    within their web cap."""
    _require(can_validate_web(request.user))
    if profile.is_web:
        messages.info(request, _("The 100 % web follow-up is already validated."))
    elif profile.web_volunteered_at is None:
        messages.error(request, _("The seeker has not volunteered for 100 % web follow-up."))
    else:
        try:
            capacity.validate_web(profile, request.user)
        except capacity.CapacityError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("100 % web follow-up validated."))
    return _back(profile)


@_with_seeker
@require_POST
def reassign(request, profile):
    """A team manager moves the seeker to another counsellor of their team, within that
    counsellor's caps; the follow-up history keeps both periods."""
    if not can_reassign(request.user):
        raise PermissionDenied
    form = ReassignForm(request.POST, prefix=REASSIGN, counsellors=assignable_counsellors(request.user))
    if not form.is_valid():
        messages.error(request, _("The counsellor was not changed: please correct the form below."))
        return _render_page(request, profile.user_id, reassign_form=form)
    counsellor = form.cleaned_data["counsellor"]
    if counsellor.pk == profile.counsellor_id:
        messages.info(request, _("%(name)s already follows this seeker.") % {"name": counsellor})
        return _back(profile)
    try:
        capacity.assign_counsellor(profile, counsellor, actor=request.user)
    except capacity.CapacityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s now follows this seeker.") % {"name": counsellor})
    return _back(profile)


@_with_seeker
@require_POST
def handle_request(request, profile, request_id):
    """Mark one of the seeker's open requests as handled."""
    asked = get_object_or_404(SeekerRequest, pk=request_id, seeker=profile.user, handled_at__isnull=True)
    asked.handled_at = timezone.now()
    asked.handled_by = request.user
    asked.save(update_fields=["handled_at", "handled_by"])
    log.record(profile.user, "request.handled", target=asked, actor=request.user, when=asked.handled_at)
    messages.success(request, _("Request marked as handled."))
    return _back(profile)
