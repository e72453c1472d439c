"""How django-axes recognises an account when counting failed logins."""

from .models import UserManager


def username_for_axes(request, credentials):
    """The normalised e-mail tried, so "Karim@X.fr" and "karim@x.fr" count as one account."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return UserManager.normalize_email(username) or None


def client_ip_for_axes(request):
    """The client's address, as the trusted reverse proxies saw it.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For, so the client is the TRUSTED_PROXY_COUNT-th entry from the right;
    anything to its left was written by the client and cannot be trusted. Without a
    proxy (TRUSTED_PROXY_COUNT = 0) it is the socket's peer.
    """
    from django.conf import settings

    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
