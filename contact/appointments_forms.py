"""Forms of the appointment pages. Not ModelForms: the exclusion constraints are checked
by the database in contact.appointments, not by a form's validate_constraints."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .appointments import Clash
from .availability import PARIS
from .models import Agenda, AppointmentChannel, AppointmentStatus, OpeningHours, TimeOff


def days_of(slots):
    """[(local date, [(slot, value, local start)])], for the slot picker."""
    days = {}
    for slot in slots:
        start = slot.starts_at.astimezone(PARIS)
        days.setdefault(start.date(), []).append((slot, slot.starts_at.isoformat(), start))
    return list(days.items())


class SlotForm(forms.Form):
    """Choose one of `slots` (values: their UTC start in ISO 8601)."""

    slot = forms.ChoiceField(label=_("Slot"), error_messages={"required": _("Choose a slot.")})

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [
            (slot.starts_at.isoformat(), slot.starts_at.isoformat()) for slot in slots
        ]
        self.fields["slot"].error_messages["invalid_choice"] = _(
            "This slot is no longer free: please choose another one."
        )

    def clean_slot(self):
        return datetime.datetime.fromisoformat(self.cleaned_data["slot"])


class BookingForm(SlotForm):
    channel = forms.ChoiceField(
        label=_("How"),
        choices=AppointmentChannel.choices,
        initial=AppointmentChannel.VISIO,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("What would you like to talk about? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ChangeForm(forms.Form):
    """A reason for a cancellation or a move: required from the counsellor."""

    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


class MoveForm(SlotForm, ChangeForm):
    pass


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("The appointment was"),
        choices=[(AppointmentStatus.HELD, _("held")), (AppointmentStatus.MISSED, _("missed"))],
        widget=forms.RadioSelect,
    )


class SlotLengthForm(forms.ModelForm):
    class Meta:
        model = Agenda
        fields = ["slot_minutes"]


class OpeningHoursForm(forms.ModelForm):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "starts", "ends"]
        widgets = {
            "starts": forms.TimeInput(attrs={"type": "time"}),
            "ends": forms.TimeInput(attrs={"type": "time"}),
        }

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["starts"] >= data["ends"]:
            raise forms.ValidationError(_("The end must come after the start."))
        return data


class TimeOffForm(forms.ModelForm):
    """New time off. When appointments are booked during it, the page lists them and
    the counsellor posts the form again with a `clash` choice (one of two buttons) and
    `seen`, the ids of the appointments listed (contact.appointments.take_time_off)."""

    clash = forms.ChoiceField(
        label=_("These appointments"),
        choices=[(Clash.CANCEL, _("Cancel them")), (Clash.KEEP, _("Keep them"))],
        required=False,
        # Rendered by hand (the list and the radios between them); as a hidden input,
        # its id is the error summary's link, which the template gives the fieldset.
        widget=forms.HiddenInput,
    )
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = TimeOff
        fields = ["starts_at", "ends_at", "reason"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["starts_at"] >= data["ends_at"]:
            raise forms.ValidationError(_("The end must come after the start."))
        return data

    def clean_seen(self):
        return {int(pk) for pk in self.cleaned_data["seen"].split(",") if pk.strip().isdigit()}
