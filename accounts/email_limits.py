"""How often an anonymous visitor may make Tremplin e-mail someone.

A password-reset request or a sign-up e-mails the address typed in the form. Without a
limit, anyone could flood a person's inbox with them, or use Tremplin to mail many
addresses. Each request counts once against the target address and once against the
client's address (core.throttle: fixed windows in Redis, keyed by digests); past either
limit nothing is sent, and the visitor sees the same page as always.
"""

from django.conf import settings

from core import throttle

from .throttling import client_ip_for_axes

TO_ADDRESS = "email-to"
FROM_CLIENT = "email-from"


def may_email(request, address):
    """Count this request; True if it may still send an e-mail to `address`."""
    window = settings.EMAIL_THROTTLE_WINDOW_SECONDS
    to_address = throttle.hit(TO_ADDRESS, address, limit=settings.EMAIL_THROTTLE_PER_ADDRESS, window=window)
    from_client = throttle.hit(
        FROM_CLIENT, client_ip_for_axes(request), limit=settings.EMAIL_THROTTLE_PER_CLIENT, window=window
    )
    return to_address and from_client


def forget_address(address):
    """Drop the counter of `address` (an account's deletion)."""
    throttle.forget(TO_ADDRESS, address)
