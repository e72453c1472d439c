"""A new account waits, inactive, until its owner follows the link e-mailed to them.

Sign-up never tells on the page whether an address already has an account
(accounts.forms.SignupForm.save): the owner of the address learns what happened by
e-mail. A link is valid for PASSWORD_RESET_TIMEOUT, once (the account's activation
changes the token's hash), and only for the latest sign-up (a new password too).
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from .models import User


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.activation.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{user.is_active}{user.email}{timestamp}"


activation_token = ActivationTokenGenerator()


def is_pending(user):
    """Signed up but never activated (a disabled account has logged in before)."""
    return not user.is_active and user.last_login is None


def link_arguments(user):
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": activation_token.make_token(user)}


def user_to_activate(uidb64, token):
    """The pending account the link names, if the link is valid; else None."""
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    if is_pending(user) and activation_token.check_token(user, token):
        return user
    return None
