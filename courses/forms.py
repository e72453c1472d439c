from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SurveyResponse


class SurveyForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("How useful was this MOOC to you?"),
        help_text=_("1: not at all, 5: very useful."),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = SurveyResponse
        fields = ["rating", "comment"]
        labels = {"comment": _("Your comment (optional)")}
        help_texts = {"comment": _("What helped you, what was missing? Do not write personal information.")}
        widgets = {"comment": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}


class VerificationForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        help_text=_("The code printed on the attestation, for example ABCD-EFGH-JKMN."),
        max_length=20,
    )

    def clean_code(self):
        code = "".join(ch for ch in self.cleaned_data["code"].upper() if ch.isalnum())
        if len(code) != 12:
            raise forms.ValidationError(_("A verification code has 12 letters and digits."))
        return "-".join(code[i : i + 4] for i in range(0, 12, 4))
