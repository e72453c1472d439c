"""How django-axes recognises an account when counting failed logins."""

from .models import UserManager


def username_for_axes(request, credentials):
    """The normalised e-mail tried, so "Karim@X.fr" and "karim@x.fr" count as one account."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return UserManager.normalize_email(username) or None
