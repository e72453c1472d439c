"""Video rooms for visio appointments, from a pluggable provider.

VISIO_PROVIDER names the provider class (a dotted path); the default is Jitsi Meet at
VISIO_JITSI_URL. A provider makes a room name when a visio appointment is booked and,
when a participant joins, the address to open. Another service (the State's own visio,
for one) is another class with the same two methods.

The room name is random and long enough that nobody finds a room by trying names. With
VISIO_JITSI_APP_ID and VISIO_JITSI_SECRET set (a self-hosted Jitsi with token
authentication), the address carries a JWT for that room only, valid from
VISIO_JOIN_MINUTES_BEFORE minutes before the slot to VISIO_TOKEN_GRACE_MINUTES after it,
the counsellor as moderator.
"""

import datetime
import secrets
from functools import cache
from urllib.parse import urlencode, urlsplit

import jwt
from django.conf import settings
from django.utils.module_loading import import_string

from .models import AppointmentChannel, AppointmentStatus


class JitsiMeet:
    def new_room(self):
        return f"tremplin-{secrets.token_hex(16)}"

    def join_url(self, appointment, user):
        base = settings.VISIO_JITSI_URL.rstrip("/")
        address = f"{base}/{appointment.room}"
        if settings.VISIO_JITSI_APP_ID and settings.VISIO_JITSI_SECRET:
            address += "?" + urlencode({"jwt": self.token(appointment, user)})
        return address

    def token(self, appointment, user):
        opens, closes = window(appointment)
        claims = {
            "iss": settings.VISIO_JITSI_APP_ID,
            "aud": "jitsi",
            "sub": urlsplit(settings.VISIO_JITSI_URL).hostname,
            "room": appointment.room,
            "nbf": int(opens.timestamp()),
            "exp": int(closes.timestamp()),
            "context": {
                "user": {
                    "name": user.get_full_name() or user.email,
                    "moderator": user.pk == appointment.counsellor_id,
                }
            },
        }
        return jwt.encode(claims, settings.VISIO_JITSI_SECRET, algorithm="HS256")


@cache
def _provider_class(path):
    return import_string(path)


def provider():
    return _provider_class(settings.VISIO_PROVIDER)()


def window(appointment):
    """When the room may be joined: (opens, closes)."""
    return (
        appointment.starts_at - datetime.timedelta(minutes=settings.VISIO_JOIN_MINUTES_BEFORE),
        appointment.ends_at + datetime.timedelta(minutes=settings.VISIO_TOKEN_GRACE_MINUTES),
    )


def is_visio(appointment):
    return appointment.channel == AppointmentChannel.VISIO and bool(appointment.room)


def can_join(appointment, now):
    if not is_visio(appointment) or appointment.status != AppointmentStatus.BOOKED:
        return False
    opens, closes = window(appointment)
    return opens <= now <= closes
