"""The e-mails about an account itself: activation, "your address is in use", password reset."""

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.notifications import email_composer, send_composed_email, send_templated_email

from .activation import link_arguments

RESET_SUBJECT = "accounts/email/password_reset_subject.txt"
RESET_BODY = "accounts/email/password_reset_body.txt"


def send_activation_email(request, user):
    send_templated_email(
        user.email,
        subject_template="accounts/email/activation_subject.txt",
        body_template="accounts/email/activation_body.txt",
        context={
            "user": user,
            "activation_url": request.build_absolute_uri(
                reverse("accounts:activate", kwargs=link_arguments(user))
            ),
        },
    )


def send_address_in_use_email(request, user):
    """Someone (maybe the owner, who forgot) signed up with an address that has an account."""
    send_templated_email(
        user.email,
        subject_template="accounts/email/address_in_use_subject.txt",
        body_template="accounts/email/address_in_use_body.txt",
        context={
            "user": user,
            "login_url": request.build_absolute_uri(reverse("accounts:login")),
            "reset_url": request.build_absolute_uri(reverse("accounts:password_reset")),
        },
    )


def send_password_reset_email(request, address, *, use_https):
    """Queue a reset link for `address`, written by the worker only if it has an account.

    The request stores and queues the same thing for every address: it cannot tell, by
    its work or its time, whether the address is known.
    """
    send_composed_email(
        address,
        "accounts.emails.password_reset_message",
        {
            "domain": request.get_host(),
            "protocol": "https" if use_https else "http",
            "language": translation.get_language(),
        },
    )


@email_composer
def password_reset_message(address, context):
    """Django's reset message for the active account of `address`; None if there is none."""
    user = next(iter(PasswordResetForm().get_users(address)), None)
    if user is None:
        return None
    with translation.override(context["language"]):
        values = {
            "email": address,
            "domain": context["domain"],
            "site_name": context["domain"],
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "user": user,
            "token": default_token_generator.make_token(user),
            "protocol": context["protocol"],
        }
        return render_to_string(RESET_SUBJECT, values), render_to_string(RESET_BODY, values)
