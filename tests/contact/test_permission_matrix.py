"""Who may do what with callback requests and satisfaction surveys: roles × those URLs
of contact/urls.py (the messages' URLs have their own matrix).

The same policy as the workspace's (tests/coaching/test_permission_matrix.py): anonymous
visitors are sent to log in; the seeker's pages are theirs alone (403 to the staff and
editors); the staff lists are filtered, never refused (403 to seekers and editors); an
object of a seeker outside one's reach is a 404 whatever the method. Every refused request
leaves the database as it was.
"""

from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from coaching.models import Contact, SeekerRequest
from contact import callbacks, satisfaction
from contact.models import Satisfaction
from tests.factories import CounsellorFactory, EditorFactory, ManagerFactory, SeekerFactory, TeamFactory

LOGIN = "login"
OK = 200
DONE = "done"  # 302 to the list, and the action took effect
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405

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

# fmt: off
MATRIX = {
    # (view, method):              anonymous  seeker     other skr  counsellor other cns  manager    other mgr  editor
    ("ask_callback", "get"):       (LOGIN,     OK,        OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("ask_callback", "post"):      (LOGIN,     DONE,      DONE,      FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("callbacks", "get"):          (LOGIN,     FORBIDDEN, FORBIDDEN, OK,        OK,        OK,        OK,        FORBIDDEN),
    # The seeker's request: their counsellor calls; their manager sees it, does not call.
    ("record_call", "post"):       (LOGIN,     FORBIDDEN, FORBIDDEN, DONE,      NOT_FOUND, FORBIDDEN, NOT_FOUND, FORBIDDEN),
    # The seeker's own survey; the manager's figures (shares only) for their team.
    ("satisfaction", "get"):       (LOGIN,     OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("satisfaction", "post"):      (LOGIN,     DONE,      NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("satisfaction_report", "get"): (LOGIN,    NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK,        OK,        NOT_FOUND),
    ("record_call", "get"):        (LOGIN,     FORBIDDEN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN),
}
# fmt: on

CASES = [
    pytest.param(role, view, method, expected, id=f"{role}-{method.upper()}-{view}")
    for (view, method), row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


def test_the_matrices_cover_every_url_of_contact():
    """This one the callbacks' and surveys' URLs; the messages' and the appointments' have theirs."""
    from contact.urls import urlpatterns

    from .test_appointments_permissions import MATRIX as APPOINTMENTS
    from .test_messages_permissions import MATRIX as MESSAGES

    # (the messages matrix also covers attachments, served by the one private-file view)
    covered = {view for view, _method in MATRIX} | {view for view, _method in MESSAGES} - {"attachment"}
    covered |= {view.split(":")[0] for view, _method in APPOINTMENTS}
    assert covered == {pattern.name for pattern in urlpatterns}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        team, other_team = TeamFactory(), TeamFactory()
        counsellor = CounsellorFactory(team=team)
        manager = ManagerFactory(team=team)
        other_counsellor = CounsellorFactory(team=other_team)
        other_manager = ManagerFactory(team=other_team)
        team.manager, other_team.manager = manager, other_manager
        team.save()
        other_team.save()
        seeker = SeekerFactory(counsellor=counsellor)
        asked, _ = callbacks.ask(
            seeker, phone="0612345678", half_days=[callbacks.half_day_choices()[0][0]], reason="Le CV."
        )
        yield SimpleNamespace(
            seeker=seeker,
            other_seeker=SeekerFactory(),
            counsellor=counsellor,
            other_counsellor=other_counsellor,
            manager=manager,
            other_manager=other_manager,
            editor=EditorFactory(),
            asked=asked,
            survey=satisfaction.offer_after_answer(seeker, counsellor, timezone.now()),
        )
        transaction.set_rollback(True)


def request_for(world, view):
    """(url, POST data, where a successful POST goes)."""
    if view == "ask_callback":
        data = {
            "phone": "06 12 34 56 78",
            "half_days": [callbacks.half_day_choices()[1][0]],
            "reason": "Mon CV.",
        }
        return reverse("contact:ask_callback"), data, reverse("coaching:dashboard")
    if view == "satisfaction":
        data = {"rating": "4", "comment": "Très utile."}
        return reverse("contact:satisfaction", args=[world.survey.pk]), data, reverse("contact:my_messages")
    if view == "record_call":
        return (
            reverse("contact:record_call", args=[world.asked.pk]),
            {"outcome": "reached"},
            reverse("contact:callbacks"),
        )
    return reverse(f"contact:{view}"), {}, None


def snapshot():
    return {
        "requests": list(
            SeekerRequest.objects.order_by("pk").values_list(
                "pk", "seeker_id", "handled_at", "phone", "half_days", "message"
            )
        ),
        "contacts": list(Contact.objects.order_by("pk").values_list("pk", "seeker_id", "outcome")),
        "surveys": list(Satisfaction.objects.order_by("pk").values_list("pk", "rating", "answered_at")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "view", "method", "expected"), CASES)
def test_permission_matrix(client, world, role, view, method, expected):
    user = None if role == "anonymous" else getattr(world, role)
    if user is not None:
        client.force_login(user)
    address, data, back = request_for(world, view)
    before = snapshot()
    response = client.post(address, data) if method == "post" else client.get(address)
    shown = f"{role} {method.upper()} {address} → {response.status_code}"
    if expected == LOGIN:
        assert response.status_code == 302, shown
        assert response.url == f"{reverse('accounts:login')}?{REDIRECT_FIELD_NAME}={quote(address)}", shown
    elif expected == DONE:
        assert (response.status_code, response.url) == (302, back), shown
        assert snapshot() != before, f"{shown}: nothing happened"
        return
    else:
        assert response.status_code == expected, shown
    assert snapshot() == before, f"{shown}: the database changed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees"),
    [("counsellor", True), ("manager", True), ("other_counsellor", False), ("other_manager", False)],
)
def test_the_list_of_calls_shows_only_the_seekers_within_reach(client, world, role, sees):
    client.force_login(getattr(world, role))
    entries = client.get(reverse("contact:callbacks")).context["entries"]
    assert ([entry.request for entry in entries] == [world.asked]) == sees
