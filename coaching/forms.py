import datetime

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.modules import kind_label

from .assigning import assignable_modules
from .models import Contact, ContactChannel, ContactOutcome, Note, SeekerRequest, SeekerRequestKind


class ModuleChoices(forms.models.ModelChoiceIterator):
    """The choices from plain rows (id, title, type) in one query: the form is on every
    portfolio page, where a page object per module and a server-side cursor cost more
    than the rest of the form."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, title, content_type_id in self.queryset.values_list("pk", "title", "content_type_id"):
            kind = kind_label(ContentType.objects.get_for_id(content_type_id).model_class())
            yield (pk, f"{title} ({kind})" if kind else title)


class ModuleChoiceField(forms.ModelChoiceField):
    """A module among `assignable_modules()`; the chosen one is its specific page (what
    `assigning.assign` needs), read in one more query."""

    iterator = ModuleChoices

    def to_python(self, value):
        page = super().to_python(value)
        return page.specific if page is not None else None


class AssignmentForm(forms.Form):
    """Assign a module with a due date and a message (to one seeker or many)."""

    module = ModuleChoiceField(label=_("Module"), queryset=None, empty_label=_("Choose a module"))
    due_date = forms.DateField(
        label=_("To do by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional."),
    )
    message = forms.CharField(
        label=_("Message to the seeker"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent in the e-mail and shown on their path."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = assignable_modules()

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date and due_date < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_date


class BulkAssignmentForm(AssignmentForm):
    seekers = forms.ModelMultipleChoiceField(
        label=_("Seekers"),
        queryset=User.objects.none(),
        error_messages={"required": _("Tick at least one seeker in the list.")},
    )

    def __init__(self, *args, seekers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seekers"].queryset = seekers


class AddSeekerForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the seeker"))


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["body"]
        labels = {"body": _("Private note")}
        help_texts = {
            "body": _(
                "Only the counsellors who follow this seeker and their team manager read it. Simple formatting is kept."
            )
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        # Plain text keeps its paragraphs; HTML is sanitised when the note is saved.
        return body if "<" in body else linebreaks(escape(body))


class ContactForm(forms.ModelForm):
    happened_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        initial=timezone.now,
    )

    class Meta:
        model = Contact
        fields = ["channel", "happened_at", "outcome", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = ContactChannel.choices
        self.fields["outcome"].choices = ContactOutcome.choices

    def clean_happened_at(self):
        happened_at = self.cleaned_data["happened_at"]
        if happened_at > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("A contact is logged once it has happened."))
        return happened_at


class ReassignForm(forms.Form):
    counsellor = forms.ModelChoiceField(label=_("New counsellor"), queryset=User.objects.none())

    def __init__(self, *args, counsellors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = counsellors


class SeekerRequestForm(forms.ModelForm):
    class Meta:
        model = SeekerRequest
        fields = ["kind", "message"]
        labels = {"kind": _("I would like"), "message": _("A word for my counsellor (optional)")}
        widgets = {"kind": forms.RadioSelect, "message": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A callback asks for a number and the half-days that suit: it has its own form.
        self.fields["kind"].choices = [
            (kind, label) for kind, label in SeekerRequestKind.choices if kind != SeekerRequestKind.CALLBACK
        ]
