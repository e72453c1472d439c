"""Admin forms of the media app."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import FileExtensionValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtailmedia.widgets import AdminMediaChooser

from .captions import MAX_CAPTION_BYTES, WebVTTError, check_webvtt, validate_webvtt_file
from .models import Caption, CaptionStatus
from .permissions import assets_user_may_change


def _newlines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


class CaptionForm(WagtailAdminModelForm):
    """Add or replace the WebVTT captions of one video in one language.

    Only the videos the user may change can be chosen; the file (or, when editing, the
    corrected text) is checked by `media.captions` before anything is stored. `publish`
    (the edit view's "Save and publish" button) makes a draft visible to visitors; a
    caption an editor changes is no longer an automatic one.
    """

    text = forms.CharField(
        label=_("Text of the captions (WebVTT)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "true", "lang": "fr", "class": "media-vtt"}),
        help_text=_(
            "Correct the words here, keeping each timing line (“00:00:01.000 --> 00:00:03.500”) "
            "and the blank line between cues. Ignored when you choose a new file."
        ),
    )

    file = forms.FileField(
        label=capfirst(_("WebVTT file")),
        help_text=_("A .vtt file in UTF-8, starting with the line WEBVTT."),
        validators=[FileExtensionValidator(["vtt"]), validate_webvtt_file],
        widget=forms.FileInput(attrs={"accept": ".vtt,text/vtt"}),
    )

    class Meta:
        model = Caption
        fields = ["asset", "language", "file"]
        widgets = {"asset": AdminMediaChooser()}

    def __init__(self, *args, publish=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.publish = publish
        self.replaced_file_name = self.instance.file.name if self.instance.pk else ""
        self.current_text = self._read_current_text()
        if self.instance.pk:
            # Replacing a file: keep the current one unless a new one is given.
            self.fields["file"].required = False
            self.fields["file"].help_text = _("Leave empty to keep the current file; a new file replaces it.")
        if self.current_text is None:
            del self.fields["text"]  # a new caption starts from a file
        else:
            self.fields["text"].initial = self.current_text
        if self.for_user is not None:
            self.fields["asset"].queryset = assets_user_may_change(self.for_user)

    def _read_current_text(self):
        """The stored file as text, to correct in place (None for a new caption, or a
        file that cannot be read as text)."""
        if not self.instance.pk or not self.instance.file:
            return None
        try:
            with self.instance.file.open("rb") as file:
                data = file.read(MAX_CAPTION_BYTES + 1)
            return _newlines(data.decode("utf-8").removeprefix("\ufeff"))
        except (OSError, UnicodeDecodeError):
            return None

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded and self.instance.pk:
            return self.instance.file
        return uploaded

    def clean_text(self):
        text = _newlines(self.cleaned_data.get("text") or "")
        sent = self.add_prefix("text") in self.data
        if not sent or self.current_text is None or text == self.current_text or "file" in self.files:
            return None  # not sent, unchanged, or replaced by a new file
        if not text.strip():
            raise ValidationError(_("The captions cannot be empty: delete them instead."), code="empty")
        try:
            check_webvtt(text.encode())
        except WebVTTError as error:
            raise ValidationError(
                _("This is not valid WebVTT. Line %(line)s: %(problem)s"),
                code="invalid_webvtt",
                params={"line": error.line, "problem": error.problem},
            ) from None
        return text

    @property
    def edited(self):
        """The words or timings were changed (a new file, or corrected text)."""
        return "file" in self.files or bool(self.cleaned_data.get("text"))

    def save(self, commit=True):
        caption = self.instance
        corrected = self.cleaned_data.get("text")
        if corrected:
            caption.file = ContentFile(corrected.encode(), name="captions.vtt")
        if self.edited:
            caption.automatic = False
        if self.publish:
            caption.status = CaptionStatus.PUBLISHED
        return super().save(commit=commit)
