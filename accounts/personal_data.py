from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from wagtail.models import ModelLogEntry, PageLogEntry

from core import privacy

from .email_limits import forget_address


def export_account(user):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }
    profile = getattr(user, "seeker_profile", None) if user.is_seeker else None
    if profile is not None:
        data["seeker_profile"] = {
            "modality": profile.modality,
            "counsellor": str(profile.counsellor) if profile.counsellor else None,
            "web_volunteered_at": profile.web_volunteered_at,
            "web_validated_at": profile.web_validated_at,
            "web_validated_by": str(profile.web_validated_by) if profile.web_validated_by else None,
        }
    return data


def erase_account(user):
    # The profile rows go with the user row (on_delete=CASCADE); the e-mail counter
    # (accounts.email_limits) lives in Redis under a digest of the address.
    forget_address(user.email)


privacy.register("account", export=export_account, erase=erase_account)


# django-axes logs every log-in, failed or not, under the e-mail typed, with the client's
# IP address and user agent.
SECURITY_LOGS = (AccessLog, AccessFailureLog, AccessAttempt)


def export_security_logs(user):
    return [
        {
            "when": entry.attempt_time,
            "succeeded": isinstance(entry, AccessLog),
            "ip_address": entry.ip_address,
            "user_agent": entry.user_agent,
        }
        for model in (AccessLog, AccessFailureLog)
        for entry in model.objects.filter(username__iexact=user.email).order_by("attempt_time")
    ]


def erase_security_logs(user):
    for model in SECURITY_LOGS:
        model.objects.filter(username__iexact=user.email).delete()


privacy.register(
    "security_logs",
    export=export_security_logs,
    erase=erase_security_logs,
    models=[model._meta.label for model in SECURITY_LOGS],
)


# Django's sessions name their user only inside the encoded data: each is decoded (a
# deletion is rare; the table holds only sessions younger than SESSION_COOKIE_AGE once
# `clearsessions` runs).
def _sessions_of(user):
    return [
        session.pk
        for session in Session.objects.iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]


def export_sessions(user):
    return [{"expires": session.expire_date} for session in Session.objects.filter(pk__in=_sessions_of(user))]


def erase_sessions(user):
    Session.objects.filter(pk__in=_sessions_of(user)).delete()


privacy.register("sessions", export=export_sessions, erase=erase_sessions, models=["sessions.Session"])


# Wagtail's history names who did what in the admin, and logs the accounts created or
# changed there under their name (`label`); its user link does not cascade.
def _admin_history(user):
    about_user = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
    )
    return about_user | ModelLogEntry.objects.filter(user=user), PageLogEntry.objects.filter(user=user)


def export_admin_history(user):
    return [
        {"when": entry.timestamp, "action": entry.action, "object": entry.label}
        for entries in _admin_history(user)
        for entry in entries.order_by("timestamp")
    ]


def erase_admin_history(user):
    for entries in _admin_history(user):
        entries.delete()


privacy.register(
    "admin_history",
    export=export_admin_history,
    erase=erase_admin_history,
    models=["wagtailcore.ModelLogEntry", "wagtailcore.PageLogEntry"],
)
