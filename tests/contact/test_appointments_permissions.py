"""Who may do what with appointments: one matrix of roles × the appointment URLs of
contact/urls.py (contact.appointments_permissions).

Anonymous visitors are sent to log in. Pages that name nobody are refused by role (403):
"Mes rendez-vous" and booking are the seeker's, the agenda and the availability the
counsellor's. An appointment, or a seeker to book for, outside the caller's reach is a
404 for everyone else (another seeker, a counsellor of another team, the managers, an
editor), whatever the HTTP method. Every refused request leaves the database as it was
and queues nothing.

The objects: `seeker`, in `counsellor`'s portfolio, with `booked` (in two days) and
`started` (begun ten minutes ago) appointments; `counsellor` opens every day 8:00–20:00.
"""

import datetime
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from activity.models import ActivityEntry
from coaching.models import Contact, SeekerRequest
from contact import appointments
from contact.models import Agenda, Appointment, OpeningHours, TimeOff
from tests.factories import CounsellorFactory, EditorFactory, ManagerFactory, SeekerFactory, TeamFactory

from .conftest import open_every_day

LOGIN, OK, DONE, KEPT = "login", 200, "done", "kept"
FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 403, 404, 405
ROLES = (
    "anonymous",
    "seeker",
    "other_seeker",
    "counsellor",
    "other_counsellor",
    "manager",
    "other_manager",
    "editor",
)

SEEKER_PAGE = (LOGIN, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
COUNSELLOR_PAGE = (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)
APPOINTMENT_GET = (LOGIN, OK, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)
APPOINTMENT_POST = (LOGIN, DONE, NOT_FOUND, DONE, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)

# fmt: off
MATRIX = {
    # (view, method):                anonymous  seeker     other skr  counsellor other cns  manager    other mgr  editor
    ("my_appointments", "get"):     SEEKER_PAGE,
    ("book", "get"):                (LOGIN,     OK,        KEPT,      FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    # The other seeker has no counsellor: told so, nothing booked.
    ("book", "post"):               (LOGIN,     DONE,      KEPT,      FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("agenda", "get"):              COUNSELLOR_PAGE,
    ("opening_hours", "get"):       COUNSELLOR_PAGE,
    # Each counsellor changes their own opening hours.
    ("opening_hours", "post"):      (LOGIN,     FORBIDDEN, FORBIDDEN, DONE,      DONE,      FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("book_for", "get"):            (LOGIN,     FORBIDDEN, FORBIDDEN, OK,        NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("book_for", "post"):           (LOGIN,     FORBIDDEN, FORBIDDEN, DONE,      NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("appointment", "get"):         APPOINTMENT_GET,
    ("cancel", "get"):              APPOINTMENT_GET,
    ("cancel", "post"):             APPOINTMENT_POST,
    ("move", "get"):                APPOINTMENT_GET,
    ("move", "post"):               APPOINTMENT_POST,
    # The outcome is the counsellor's; the seeker sees the appointment but may not.
    ("close", "post"):              (LOGIN,     FORBIDDEN, NOT_FOUND, DONE,      NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("close", "get"):               (LOGIN,     NOT_ALLOWED, NOT_FOUND, NOT_ALLOWED, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    # Two days ahead the room is not open yet: back to the appointment, told when.
    ("join", "get"):                (LOGIN,     KEPT,      NOT_FOUND, KEPT,      NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    # "Problème technique" is the seeker's call for help.
    ("problem", "get"):             (LOGIN,     OK,        NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("invitation", "get"):          APPOINTMENT_GET,
    # The feed is read by calendar applications, without a session: the secret is the key.
    ("feed", "get"):                (OK,) * 8,
    ("feed:wrong", "get"):          (NOT_FOUND,) * 8,
    ("renew_feed", "post"):         (LOGIN,     FORBIDDEN, FORBIDDEN, DONE,      DONE,      FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("renew_feed", "get"):          (LOGIN,     FORBIDDEN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("problem", "post"):            (LOGIN,     DONE,      NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
}
# fmt: on

CASES = [
    pytest.param(role, view, method, expected, id=f"{role}-{method.upper()}-{view}")
    for (view, method), row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


def test_the_matrix_covers_every_appointment_url():
    from contact.urls import urlpatterns

    appointment_views = {p.name for p in urlpatterns if p.callback.__module__ == "contact.views.appointments"}
    assert {view.split(":")[0] for view, _method in MATRIX} == appointment_views


def build_world():
    team, other_team = TeamFactory(), TeamFactory()
    counsellor = CounsellorFactory(team=team)
    manager = ManagerFactory(team=team)
    team.manager = manager
    team.save()
    other_counsellor = CounsellorFactory(team=other_team)
    other_manager = ManagerFactory(team=other_team)
    other_team.manager = other_manager
    other_team.save()
    seeker = SeekerFactory(counsellor=counsellor)
    open_every_day(counsellor)
    open_every_day(other_counsellor)
    now = timezone.now()
    slots = [
        s
        for s in appointments.free_slots(counsellor, now=now)
        if s.starts_at > now + datetime.timedelta(hours=48)
    ]
    booked = appointments.book(seeker, counsellor, slots[0].starts_at, channel="visio", by=seeker)
    begun = now - datetime.timedelta(minutes=10)
    started = Appointment.objects.create(
        seeker=seeker,
        counsellor=counsellor,
        starts_at=begun,
        ends_at=begun + datetime.timedelta(minutes=30),
        channel="phone",
    )
    agenda = appointments.agenda_of(counsellor)
    agenda.renew_feed_secret()
    return SimpleNamespace(
        feed_secret=agenda.feed_secret,
        seeker=seeker,
        other_seeker=SeekerFactory(),
        counsellor=counsellor,
        other_counsellor=other_counsellor,
        manager=manager,
        other_manager=other_manager,
        editor=EditorFactory(),
        booked=booked,
        started=started,
        free=slots[1],
        later=slots[2],
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def request_for(world, view, role):
    """(url, POST data, where a successful POST goes)."""
    booked = world.booked
    page = reverse("contact:appointment", args=[booked.pk])
    if view in ("my_appointments", "agenda"):
        return reverse(f"contact:{view}"), {}, None
    if view == "book":
        data = {"slot": world.free.starts_at.isoformat(), "channel": "visio"}
        back = None if role == "seeker" else reverse("contact:my_appointments")
        return reverse("contact:book"), data, back
    if view == "book_for":
        data = {"slot": world.free.starts_at.isoformat(), "channel": "phone"}
        return reverse("contact:book_for", args=[world.seeker.pk]), data, None
    if view == "opening_hours":
        data = {"action": "hours", "hours-weekday": "2", "hours-starts": "21:00", "hours-ends": "22:00"}
        return reverse("contact:opening_hours"), data, reverse("contact:opening_hours")
    if view == "cancel":
        return reverse("contact:cancel", args=[booked.pk]), {"reason": "Empêchement."}, page
    if view == "move":
        data = {"slot": world.later.starts_at.isoformat(), "reason": "Réunion."}
        return reverse("contact:move", args=[booked.pk]), data, page
    if view == "close":
        started_page = reverse("contact:appointment", args=[world.started.pk])
        return reverse("contact:close", args=[world.started.pk]), {"status": "held"}, started_page
    if view == "feed":
        return reverse("contact:feed", args=[world.feed_secret]), {}, None
    if view == "feed:wrong":
        return reverse("contact:feed", args=[world.feed_secret[::-1]]), {}, None
    if view == "renew_feed":
        return reverse("contact:renew_feed"), {}, reverse("contact:opening_hours")
    if view in ("join", "problem", "invitation"):
        return reverse(f"contact:{view}", args=[booked.pk]), {}, page
    return page, {}, None


def snapshot():
    return {
        "appointments": list(
            Appointment.objects.order_by("pk").values_list(
                "pk", "seeker_id", "starts_at", "status", "sequence"
            )
        ),
        "agendas": list(Agenda.objects.order_by("pk").values_list("pk", "slot_minutes", "feed_secret")),
        "hours": OpeningHours.objects.count(),
        "time_off": TimeOff.objects.count(),
        "contacts": Contact.objects.count(),
        "requests": SeekerRequest.objects.count(),
        "activity": ActivityEntry.objects.count(),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "view", "method", "expected"), CASES)
def test_permission_matrix(client, world, role, view, method, expected, django_capture_on_commit_callbacks):
    user = None if role == "anonymous" else getattr(world, role)
    if user is not None:
        client.force_login(user)
    address, data, back = request_for(world, view, role)
    before = snapshot()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(address, data) if method == "post" else client.get(address)
    shown = f"{role} {method.upper()} {address} → {response.status_code}"
    if expected == LOGIN:
        assert response.status_code == 302, shown
        assert response.url == f"{reverse('accounts:login')}?{REDIRECT_FIELD_NAME}={quote(address)}", shown
    elif expected in (DONE, KEPT):
        assert response.status_code == 302, shown
        if back is not None:
            assert response.url == back, shown
    else:
        assert response.status_code == expected, shown
    if expected == DONE:
        assert snapshot() != before, f"{shown}: nothing happened"
        return
    assert snapshot() == before, f"{shown}: the database changed"
    assert callbacks == [], f"{shown}: something was queued"


@pytest.mark.django_db
def test_an_appointment_of_another_seeker_is_not_found(client, world):
    """A seeker of the other team's counsellor, and their appointment: invisible to the
    counsellor of `seeker`, whose own URLs cannot reach it either."""
    theirs_seeker = SeekerFactory(counsellor=world.other_counsellor)
    slot = appointments.free_slots(world.other_counsellor, now=timezone.now())[0]
    theirs = appointments.book(
        theirs_seeker, world.other_counsellor, slot.starts_at, channel="visio", by=theirs_seeker
    )
    client.force_login(world.counsellor)
    before = snapshot()
    for name in ("appointment", "cancel", "move", "join", "problem"):
        assert client.get(reverse(f"contact:{name}", args=[theirs.pk])).status_code == 404
        assert client.post(reverse(f"contact:{name}", args=[theirs.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("contact:book_for", args=[theirs_seeker.pk])).status_code == 404
    client.force_login(world.seeker)
    assert client.get(reverse("contact:appointment", args=[theirs.pk])).status_code == 404
    assert snapshot() == before
