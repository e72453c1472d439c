"""Who is stopped when log-ins fail, for how long, and the way out (django-axes).

Failed log-ins are counted over the cool-off (AXES_COOLOFF_TIME) by three rules, each
with its own limit:

- one address trying one account (AXES_FAILURE_LIMIT): a guesser at one machine;
- one address trying any accounts (AXES_ADDRESS_FAILURE_LIMIT): password spraying;
- one account tried from anywhere (AXES_ACCOUNT_FAILURE_LIMIT, much higher): only a
  distributed attack locks an account alone, so that knowing someone's e-mail address
  and a few machines is not enough to lock them out of their account.

Whoever controls the account's mailbox always has a way out: a completed password reset
logs them in and clears every record of the account (`forget_failures`).

Axes compares one count with one limit; `LockoutHandler.get_failures` answers on that
scale for the rule nearest its own limit, so axes locks exactly when any rule is reached.
"""

import ipaddress
from dataclasses import dataclass
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.utils import reset
from django.conf import settings

from .models import UserManager


@dataclass(frozen=True)
class Rule:
    """Failures counted together (the records sharing `parameters`), and their limit."""

    parameters: tuple[str, ...]
    limit_setting: str

    @property
    def limit(self) -> int:
        return getattr(settings, self.limit_setting)


RULES = (
    Rule(("ip_address", "username"), "AXES_FAILURE_LIMIT"),
    Rule(("ip_address",), "AXES_ADDRESS_FAILURE_LIMIT"),
    Rule(("username",), "AXES_ACCOUNT_FAILURE_LIMIT"),
)


def lockout_parameters(request_or_attempt, credentials=None):
    """AXES_LOCKOUT_PARAMETERS: one filter per rule, in the order of RULES."""
    return [list(rule.parameters) for rule in RULES]


class LockoutHandler(AxesDatabaseHandler):
    """The database handler, with a limit per rule and a lock's true end."""

    def failures_by_rule(self, request, credentials=None):
        """(rule, failures within the cool-off) for each rule, for this request."""
        for rule, attempts in zip(RULES, self.get_user_attempts(request, credentials), strict=True):
            yield rule, sum(attempts.values_list("failures_since_start", flat=True))

    def get_failures(self, request, credentials=None) -> int:
        """The failures axes compares with AXES_FAILURE_LIMIT: that limit minus the
        fewest failures any rule still allows (so it reaches the limit when a rule does)."""
        left = min(rule.limit - failures for rule, failures in self.failures_by_rule(request, credentials))
        return get_failure_limit(request, credentials) - left

    def locked_until(self, request, credentials=None):
        """When the locks on this request lift if nobody tries again (None: not locked).

        A record counts until the cool-off has passed since its last failure. Newest
        first, the record whose failures bring a rule to its limit is the one whose
        expiry lifts that rule's lock.
        """
        cool_off = get_cool_off(request)
        ends = []
        for rule, attempts in zip(RULES, self.get_user_attempts(request, credentials), strict=True):
            counted = 0
            for attempt_time, failures in attempts.order_by("-attempt_time").values_list(
                "attempt_time", "failures_since_start"
            ):
                counted += failures
                if counted >= rule.limit:
                    ends.append(attempt_time + cool_off)
                    break
        return max(ends, default=None)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful log-in, forget the failures against that account only.

        Axes would also forget the address's failures against other accounts, which
        would let a password sprayer clear its count by logging in to an account of its own.
        """
        username = get_client_username(request, credentials)
        return self.reset_attempts(username=username) if username else 0


def time_left(request, credentials=None) -> timedelta:
    """How long the lock on this log-in attempt still holds (the whole cool-off if unknown)."""
    until = LockoutHandler().locked_until(request, credentials)
    if until is None:
        return get_cool_off(request)
    return max(until - request.axes_attempt_time, timedelta(0))


def forget_failures(user) -> int:
    """Lift every lock on `user`'s account and forget its failures, from every address."""
    username = username_for_axes(None, {"username": user.get_username()})
    return reset(username=username) if username else 0


def username_for_axes(request, credentials):
    """The normalised e-mail tried, so "Karim@X.fr" and "karim@x.fr" count as one account."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return UserManager.normalize_email(username) or None


def client_ip_for_axes(request):
    """The client's address, as the trusted reverse proxies saw it, as `counted_address` counts it.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For, so the client is the TRUSTED_PROXY_COUNT-th entry from the right;
    anything to its left was written by the client and cannot be trusted. Without a
    proxy (TRUSTED_PROXY_COUNT = 0) it is the socket's peer.
    """
    count = settings.TRUSTED_PROXY_COUNT
    peer = request.META.get("REMOTE_ADDR")
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return counted_address(forwarded[-count]) or counted_address(peer)
    return counted_address(peer)


def counted_address(address):
    """The address failures are counted under: an IPv6 client's whole /64 network.

    One IPv6 subscriber usually holds a /64 (2**64 addresses); counting each address
    apart would let one machine pass for a crowd. IPv4-mapped addresses count as IPv4.
    Something that is not an address gives None (axes then counts it under "no address").
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.version == 6:
        ip = ipaddress.ip_network(f"{ip}/64", strict=False).network_address
    return str(ip)
