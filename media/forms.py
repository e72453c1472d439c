"""Admin forms of the media app."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtailmedia.widgets import AdminMediaChooser

from .captions import validate_webvtt_file
from .models import Caption
from .permissions import assets_user_may_change


class CaptionForm(WagtailAdminModelForm):
    """Add or replace the WebVTT captions of one video in one language.

    Only the videos the user may change can be chosen; the file is checked by
    `media.captions` before anything is stored.
    """

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.replaced_file_name = self.instance.file.name if self.instance.pk else ""
        if self.instance.pk:
            # Replacing a file: keep the current one unless a new one is given.
            self.fields["file"].required = False
            self.fields["file"].help_text = _("Leave empty to keep the current file; a new file replaces it.")
        if self.for_user is not None:
            self.fields["asset"].queryset = assets_user_may_change(self.for_user)

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded and self.instance.pk:
            return self.instance.file
        return uploaded
