"""The form that writes a message: its text and, optionally, one document."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core import file_kinds

from .messages import max_attachment_bytes
from .models.messages import BODY_MAX_LENGTH

#: What an attachment may be (its content is checked, not its name).
ATTACHMENT_KINDS = ("pdf", "docx", "odt", "jpeg", "png")


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachment = forms.FileField(label=_("Attach a document (optional)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The attachment's kind read from its content, and the sender's name for it.
        self.kind = None
        self.file_name = ""
        field = self.fields["attachment"]
        field.help_text = _("%(kinds)s; %(size)s at most.") % {
            "kinds": file_kinds.kinds_label(ATTACHMENT_KINDS),
            "size": filesizeformat(max_attachment_bytes()),
        }
        field.widget.attrs["accept"] = file_kinds.accept_attribute(ATTACHMENT_KINDS)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        limit = max_attachment_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("This file is too big (%(size)s): %(limit)s at most. Your message was not sent yet."),
                code="too_big",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        kind = file_kinds.detect_kind(upload)
        if kind not in ATTACHMENT_KINDS:
            raise forms.ValidationError(
                _(
                    "This file is not a %(kinds)s document. Its content was checked, not its name: "
                    "save it again as one of these (with “Save as” or “Export”), then attach it again. "
                    "Your text is kept below."
                ),
                code="kind",
                params={"kinds": file_kinds.kinds_label(ATTACHMENT_KINDS)},
            )
        self.kind = kind
        self.file_name = (
            file_kinds.display_file_name(upload.name) or f"document{file_kinds.STORED_EXTENSIONS[kind]}"
        )
        # The stored name is random (PrivateUploadTo); only the detected kind's extension is kept.
        upload.name = f"document{file_kinds.STORED_EXTENSIONS[kind]}"
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("body") or "").strip() and not data.get("attachment"):
            raise forms.ValidationError(_("Write a message or attach a document."), code="empty")
        return data
