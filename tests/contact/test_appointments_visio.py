"""Video rooms (contact.visio): unguessable Jitsi rooms, "Rejoindre" from 10 minutes
before, a JWT for that room and that time only when token authentication is set, and
the "Problème technique" button that asks the counsellor to call back."""

import datetime
import re

import jwt
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coaching.models import SeekerRequest, SeekerRequestKind
from contact import appointments, visio
from contact.models import Appointment

pytestmark = pytest.mark.django_db


def starting_in(seeker, counsellor, minutes, channel="visio"):
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=minutes)
    return Appointment.objects.create(
        seeker=seeker,
        counsellor=counsellor,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=30),
        channel=channel,
        room=visio.provider().new_room() if channel == "visio" else "",
    )


def test_a_visio_booking_gets_its_own_unguessable_room(counsellor, seeker, agenda):
    first, second = appointments.free_slots(counsellor, now=timezone.now())[:2]
    one = appointments.book(seeker, counsellor, first.starts_at, channel="visio", by=seeker)
    other = appointments.book(seeker, counsellor, second.starts_at, channel="phone", by=seeker)
    # 128 random bits: nothing to guess from the appointment, the people or the time.
    assert re.fullmatch(r"tremplin-[0-9a-f]{32}", one.room)
    assert visio.provider().new_room() != visio.provider().new_room()
    assert other.room == ""  # no room for a phone call


def test_join_opens_ten_minutes_before(client, counsellor, seeker, settings):
    settings.VISIO_JITSI_URL = "https://visio.exemple.test/"
    soon = starting_in(seeker, counsellor, 9)
    early = starting_in(seeker, counsellor, 50)  # opens 40 minutes from now
    client.force_login(seeker)
    refused = client.get(reverse("contact:join", args=[early.pk]), follow=True)
    assert refused.redirect_chain == [(reverse("contact:appointment", args=[early.pk]), 302)]
    assert "10 minutes avant" in refused.content.decode()
    page = client.get(reverse("contact:appointment", args=[early.pk])).content.decode()
    active = re.sub(r"<template.*?</template>", "", page, flags=re.S)  # inert until the script uses it
    assert reverse("contact:join", args=[early.pk]) not in active and "disabled" in active
    page = client.get(reverse("contact:appointment", args=[soon.pk])).content.decode()
    assert reverse("contact:join", args=[soon.pk]) in page
    response = client.get(reverse("contact:join", args=[soon.pk]))
    assert response.status_code == 302
    assert response.url == f"https://visio.exemple.test/{soon.room}"  # no token configured


def test_the_join_button_carries_its_opening_time_for_the_script(client, counsellor, seeker):
    """Before the room opens: the disabled button, the hint to reload (without
    JavaScript), and for static/js/visio-join.js the opening time and the server's clock
    in ISO 8601 with their offset, the link to put in its place and the messages."""
    early = starting_in(seeker, counsellor, 50)
    early.starts_at += datetime.timedelta(microseconds=400)  # never opened before the server does
    early.save()
    client.force_login(seeker)
    response = client.get(reverse("contact:appointment", args=[early.pk]))
    page = response.content.decode()
    opens = early.starts_at.replace(microsecond=0) - datetime.timedelta(minutes=9, seconds=59)
    found = re.search(r'data-visio-join data-opens="([^"]+)" data-now="([^"]+)"', page)
    assert found and datetime.datetime.fromisoformat(found[1]) == opens
    assert re.search(r"[+-]\d\d:\d\d$", found[1]) and re.search(r"[+-]\d\d:\d\d$", found[2])
    server_now = datetime.datetime.fromisoformat(found[2])
    assert abs(server_now - timezone.now()) < datetime.timedelta(seconds=5)
    assert re.search(r"T\d\d:\d\d:\d\d\.\d{3}[+-]", found[2])  # milliseconds, as JavaScript reads them
    assert re.search(r"<button[^>]*disabled[^>]*data-join-button>Rejoindre</button>", page)
    assert f"La salle ouvre à {timezone.localtime(opens):%H:%M} : rechargez alors cette page." in page
    link = reverse("contact:join", args=[early.pk])
    assert f'<template data-join-link><a class="button" href="{link}"' in page
    assert 'role="status" data-join-status' in page and "La salle est ouverte" in page
    # The script is a file of the site: the page's CSP allows no inline script.
    assert re.search(r'<script type="module" src="[^"]*/js/visio-join(\.[0-9a-f]+)?\.js"></script>', page)
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    # Once the room is open the link is there at once, and no script is needed.
    soon = starting_in(seeker, counsellor, 9)
    page = client.get(reverse("contact:appointment", args=[soon.pk])).content.decode()
    assert f'<a class="button" href="{reverse("contact:join", args=[soon.pk])}"' in page
    assert "visio-join" not in page and "data-join-button" not in page


def test_after_the_appointment_the_room_is_said_closed(client, counsellor, seeker):
    over = starting_in(seeker, counsellor, -70)  # ended 40 minutes ago, 30 minutes of grace
    client.force_login(seeker)
    page = client.get(reverse("contact:appointment", args=[over.pk])).content.decode()
    assert "La salle de visio est fermée." in page
    assert "disabled" not in page and "visio-join" not in page


def test_no_room_for_a_phone_appointment_or_a_cancelled_one(client, counsellor, seeker):
    phone = starting_in(seeker, counsellor, 5, channel="phone")
    client.force_login(seeker)
    assert client.get(reverse("contact:join", args=[phone.pk])).url == reverse(
        "contact:appointment", args=[phone.pk]
    )
    cancelled = starting_in(seeker, counsellor, 40)
    cancelled.starts_at -= datetime.timedelta(minutes=35)
    cancelled.ends_at -= datetime.timedelta(minutes=35)
    cancelled.status = "cancelled"
    cancelled.save()
    assert client.get(reverse("contact:join", args=[cancelled.pk])).url == reverse(
        "contact:appointment", args=[cancelled.pk]
    )


def test_with_token_authentication_the_link_carries_a_jwt_for_that_room_and_time(
    client, counsellor, seeker, settings
):
    settings.VISIO_JITSI_URL = "https://visio.exemple.test"
    settings.VISIO_JITSI_APP_ID = "tremplin"
    settings.VISIO_JITSI_SECRET = "un-secret-de-test-assez-long-pour-hs256"
    appointment = starting_in(seeker, counsellor, 5)
    tokens = {}
    for person in (seeker, counsellor):
        client.force_login(person)
        url = client.get(reverse("contact:join", args=[appointment.pk])).url
        prefix = f"https://visio.exemple.test/{appointment.room}?jwt="
        assert url.startswith(prefix)
        tokens[person] = url.removeprefix(prefix)
    claims = jwt.decode(tokens[seeker], settings.VISIO_JITSI_SECRET, algorithms=["HS256"], audience="jitsi")
    assert claims["room"] == appointment.room and claims["iss"] == "tremplin"
    assert claims["sub"] == "visio.exemple.test"
    assert claims["nbf"] == int((appointment.starts_at - datetime.timedelta(minutes=10)).timestamp())
    assert claims["exp"] == int((appointment.ends_at + datetime.timedelta(minutes=30)).timestamp())
    assert claims["context"]["user"] == {"name": seeker.get_full_name(), "moderator": False}
    counsellor_claims = jwt.decode(
        tokens[counsellor], settings.VISIO_JITSI_SECRET, algorithms=["HS256"], audience="jitsi"
    )
    assert counsellor_claims["context"]["user"]["moderator"] is True
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            tokens[seeker],
            "un-autre-secret-tout-aussi-long-pour-hs256",
            algorithms=["HS256"],
            audience="jitsi",
        )
    # Outside its window the token is refused by any Jitsi server.
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(
            tokens[seeker],
            settings.VISIO_JITSI_SECRET,
            algorithms=["HS256"],
            audience="jitsi",
            options={"verify_nbf": False},
            leeway=-(claims["exp"] - int(timezone.now().timestamp()) + 1),
        )


def test_the_provider_is_pluggable(client, counsellor, seeker, settings):
    settings.VISIO_PROVIDER = "tests.contact.test_appointments_visio.StateVisio"
    appointment = starting_in(seeker, counsellor, 5)
    assert appointment.room == "salle-etat"
    client.force_login(seeker)
    assert (
        client.get(reverse("contact:join", args=[appointment.pk])).url == "https://visio.etat.test/salle-etat"
    )


class StateVisio:
    def new_room(self):
        return "salle-etat"

    def join_url(self, appointment, user):
        return f"https://visio.etat.test/{appointment.room}"


def test_technical_problem_asks_the_counsellor_to_call_back(
    client, counsellor, seeker, run_jobs, django_capture_on_commit_callbacks
):
    appointment = starting_in(seeker, counsellor, 2)
    client.force_login(seeker)
    url = reverse("contact:problem", args=[appointment.pk])
    assert client.get(url).status_code == 200  # a link from a reminder: nothing asked yet
    assert not SeekerRequest.objects.exists()
    page = client.get(reverse("contact:appointment", args=[appointment.pk])).content.decode()
    assert f'action="{url}"' in page and "Problème technique" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "va vous rappeler" in response.content.decode()
    asked = SeekerRequest.objects.get()
    assert (asked.seeker, asked.kind, asked.handled_at) == (seeker, SeekerRequestKind.CALLBACK, None)
    assert "Problème technique" in asked.message
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)  # pressed twice: asked once
    assert SeekerRequest.objects.count() == 1
    run_jobs("default")
    assert [message.to for message in mail.outbox] == [[counsellor.email]]
    assert seeker.get_full_name() in mail.outbox[0].subject
    assert reverse("coaching:seeker", args=[seeker.pk]) in mail.outbox[0].body
    # The request shows on the counsellor's seeker page.
    client.force_login(counsellor)
    assert asked.message in client.get(reverse("coaching:seeker", args=[seeker.pk])).content.decode()
