from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from activity.log import record

from .activation import is_pending
from .email_limits import may_email
from .emails import send_activation_email, send_address_in_use_email, send_password_reset_email
from .models import Role, User, UserManager


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with an e-mail address, whatever its case."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_username(self):
        return UserManager.normalize_email(self.cleaned_data["username"])


class SignupForm(forms.ModelForm):
    """A job seeker creates their own account."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    wants_web = forms.BooleanField(
        label=_("I would like 100 % web follow-up"),
        help_text=_(
            "Your counsellor confirms it after your registration interview. You can change your mind at any time."
        ),
        required=False,
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True

    def clean_email(self):
        return UserManager.normalize_email(self.cleaned_data["email"])

    def _get_validation_exclusions(self):
        # The model's uniqueness checks would say on the page that the address is in use:
        # save() tells its owner by e-mail instead.
        return {*super()._get_validation_exclusions(), "email"}

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are different."))
        elif password1:
            user = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    @transaction.atomic
    def save(self, request):
        """Create the account, inactive until its link is followed, or tell the owner of
        an address in use; the visitor gets the same answer either way.

        The password is hashed in every case, so that both take about as long. Past the
        e-mail limits (accounts.email_limits) nothing happens.
        """
        email = self.cleaned_data["email"]
        password = make_password(self.cleaned_data["password1"])
        if not may_email(request, email):
            return
        existing = User.objects.filter(email__iexact=email).first()
        if existing is None:
            send_activation_email(request, self._create_account(password))
        elif is_pending(existing):
            # The latest sign-up wins: earlier links stop working.
            existing.first_name, existing.last_name = (
                self.cleaned_data["first_name"],
                self.cleaned_data["last_name"],
            )
            existing.password = password
            existing.save(update_fields=["first_name", "last_name", "password"])
            send_activation_email(request, existing)
        else:
            send_address_in_use_email(request, existing)

    def _create_account(self, password):
        user = super().save(commit=False)
        user.role = Role.SEEKER
        user.password = password
        user.is_active = False
        user.save()
        record(user, "account.created")
        if self.cleaned_data["wants_web"]:
            user.seeker_profile.volunteer_for_web()
        return user


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not correct."))
        return password


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, throttled, and written by the worker (accounts.emails):
    the request does the same work for every address."""

    def save(self, *, request, use_https=False, **kwargs):
        address = UserManager.normalize_email(self.cleaned_data["email"])
        if may_email(request, address):
            send_password_reset_email(request, address, use_https=use_https)
