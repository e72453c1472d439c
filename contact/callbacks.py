"""Callback requests: a seeker asks to be called back, says on which number and which
half-days suit; their counsellor calls and records how it went.

A callback is the workspace's `SeekerRequest` of kind CALLBACK (the portfolio already
counts open requests), with a checked phone number and the half-days. A call that
reached the seeker closes it and is written in the contact log, where the 15-day alert
of "renforcé" seekers sees it; a call without answer is logged too and leaves the
request open for another try.
"""

import datetime
from dataclasses import dataclass

import phonenumbers
from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from activity import log
from coaching.models import Contact, ContactChannel, ContactOutcome, SeekerRequest, SeekerRequestKind

MORNING, AFTERNOON = "am", "pm"
HALVES = {MORNING: _("morning"), AFTERNOON: _("afternoon")}


def working_days(after, count):
    """The `count` working days (Monday to Friday) that follow the date `after`."""
    days, day = [], after
    while len(days) < count:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


def half_day_value(day, half):
    return f"{day.isoformat()}:{half}"


def half_day_label(value):
    """'2026-12-07:am' → 'lundi 7 décembre, matin' (in the active language)."""
    day, half = value.split(":")
    when = formats.date_format(datetime.date.fromisoformat(day), "l j F")
    return f"{when}, {HALVES[half]}"


def half_day_choices(today=None):
    """The half-days a seeker may choose: those of the coming working days."""
    today = today or timezone.localdate()
    return [
        (half_day_value(day, half), half_day_label(half_day_value(day, half)))
        for day in working_days(today, settings.CONTACT_CALLBACK_DAYS)
        for half in HALVES
    ]


class CallbackForm(forms.Form):
    phone = PhoneNumberField(
        label=_("Phone number"),
        help_text=_("A French number (06 12 34 56 78) or an international one (+32 …)."),
        error_messages={"invalid": _("Enter a valid phone number, for example 06 12 34 56 78.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    half_days = forms.MultipleChoiceField(
        label=_("When may your counsellor call you?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one half-day.")},
    )
    reason = forms.CharField(
        label=_("What would you like to talk about?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say in a few words why you would like a call.")},
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["half_days"].choices = half_day_choices(today)


class OutcomeForm(forms.Form):
    REACHED, NOT_REACHED = "reached", "not_reached"

    outcome = forms.ChoiceField(
        label=_("How did the call go?"),
        choices=[(REACHED, _("Done: we talked")), (NOT_REACHED, _("Not reached"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you reached the seeker.")},
    )
    summary = forms.CharField(
        label=_("Summary (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def open_callback(seeker):
    """The seeker's callback request still waiting for a call, if any."""
    return SeekerRequest.objects.filter(
        seeker=seeker, kind=SeekerRequestKind.CALLBACK, handled_at__isnull=True
    ).first()


@transaction.atomic
def ask(seeker, *, phone, half_days, reason, urgent=False):
    """Record the seeker's callback request; a second request while one is open updates
    it (one call answers both). Returns (request, created)."""
    asked = (
        SeekerRequest.objects.select_for_update()
        .filter(seeker=seeker, kind=SeekerRequestKind.CALLBACK, handled_at__isnull=True)
        .first()
    )
    created = asked is None
    if created:
        asked = SeekerRequest(seeker=seeker, kind=SeekerRequestKind.CALLBACK)
    asked.phone, asked.half_days, asked.message = phone, sorted(half_days), reason
    asked.urgent = asked.urgent or urgent
    asked.save()
    log.record(seeker, "request.callback", target=asked, urgent=asked.urgent)
    return asked, created


def waiting(profiles):
    """The open callback requests of the seekers of `profiles` (SeekerProfiles, already
    filtered by permission): urgent ones first, then the oldest."""
    return (
        SeekerRequest.objects.filter(
            kind=SeekerRequestKind.CALLBACK,
            handled_at__isnull=True,
            seeker__seeker_profile__in=profiles,
        )
        .select_related("seeker")
        .order_by("-urgent", "created_at")
    )


@dataclass(frozen=True)
class Entry:
    """A callback request as the counsellor's list shows it."""

    request: SeekerRequest
    phone: str
    half_days: list


def readable_phone(phone):
    """A French number as the French write it, any other one in international form."""
    if not phone:
        return ""
    home = phonenumbers.country_code_for_region(settings.PHONENUMBER_DEFAULT_REGION)
    return phone.as_national if phone.country_code == home else phone.as_international


def entries(requests):
    return [
        Entry(asked, readable_phone(asked.phone), [half_day_label(value) for value in asked.half_days])
        for asked in requests
    ]


@transaction.atomic
def record_call(asked, *, counsellor, reached, summary="", when=None):
    """Log the call in the contact log; a call that reached the seeker closes the request."""
    when = when or timezone.now()
    contact = Contact.objects.create(
        seeker=asked.seeker,
        counsellor=counsellor,
        channel=ContactChannel.PHONE,
        happened_at=when,
        outcome=ContactOutcome.REACHED if reached else ContactOutcome.NO_ANSWER,
        summary=summary,
    )
    if reached:
        asked.handled_at, asked.handled_by = when, counsellor
        asked.save(update_fields=["handled_at", "handled_by"])
    else:
        asked.calls_without_answer += 1
        asked.save(update_fields=["calls_without_answer"])
    log.record(
        asked.seeker, "request.callback_called", target=asked, actor=counsellor, when=when, reached=reached
    )
    return contact
