"""Who may do what in the coaching area: one matrix of roles × URLs of coaching/urls.py.

The policy (coaching.permissions): anonymous visitors are sent to log in; seekers see
only their own "Mon parcours" and get 403 on the staff URLs, as editors do, and the
staff get 403 on "Mon parcours"; a counsellor reaches only the seekers of their
portfolio, a team manager those of their team: any other seeker, or an object of
theirs, is a 404, whatever the HTTP method. Within reach, assigning modules, cancelling
them and validating 100 % web follow-up are the counsellor's; moving a seeker to another
counsellor is the manager's. Lists (portfolio, CSV, figures per module) are filtered,
never refused.

Every refused request (login redirect, 403, 404, 405, or a redirect with an error
message) must leave the database exactly as it was and queue no e-mail.

The objects: `seeker`, in `counsellor`'s portfolio (team `team`, managed by `manager`),
an active assignment of theirs and an open request of theirs. The outsiders: a
counsellor of another team, that team's manager, another seeker and an editor.
"""

import datetime
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import SeekerProfile
from activity.models import ActivityEntry
from coaching import assigning
from coaching.models import Assignment, Contact, FollowUp, Note, SeekerRequest
from core.demo import seed
from core.modules import ReviewItem
from courses.models import CoursePage, Enrolment
from tests.factories import CounsellorFactory, EditorFactory, ManagerFactory, SeekerFactory, TeamFactory
from tests.factories import courses as build

# --- What is expected -------------------------------------------------------------------

LOGIN = "login"  # 302 to the log-in page, with ?next= back here
OK = 200
DONE = "done"  # 302 back to the page, and the action took effect
KEPT = "kept"  # 302 back to the page with an error message, nothing changed
SHOWN = "shown"  # 200: the form again with its errors (focus on their summary), nothing changed
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405

ROLES = (
    "anonymous",
    "seeker",  # the seeker themself
    "other_seeker",  # another seeker, without counsellor ("other skr" below)
    "counsellor",  # the seeker's counsellor
    "other_counsellor",  # a counsellor of another team ("other cns")
    "manager",  # the manager of the counsellor's team
    "other_manager",  # the manager of the other team ("other mgr")
    "editor",
)

# Staff URLs that name no seeker: refused to seekers and editors, open to all the staff.
STAFF_GET = (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK, OK, FORBIDDEN)
# A POST-only URL asked with GET: require_POST answers before anything else.
ANY_GET_ON_POST = (NOT_ALLOWED,) * len(ROLES)
# GET on a POST-only URL naming the seeker: the permission check comes first (no hint
# for outsiders), then the method.
SEEKER_GET_ON_POST = (LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, NOT_FOUND, NOT_ALLOWED, NOT_FOUND, FORBIDDEN)

# fmt: off
MATRIX = {
    # (view, method):                    anonymous  seeker     other skr  counsellor other cns  manager    other mgr  editor
    # "Mon parcours", the seeker's side.
    ("dashboard", "get"):               (LOGIN,     OK,        OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("make_request", "post"):           (LOGIN,     DONE,      DONE,      FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("make_request", "get"):            ANY_GET_ON_POST,
    # The portfolio and its lists: filtered for each member of the staff.
    ("portfolio", "get"):               STAFF_GET,
    ("portfolio_csv", "get"):           STAFF_GET,
    ("module_summary", "get"):          STAFF_GET,
    ("review_queue", "get"):            STAFF_GET,
    # Bulk assignment of a module to `seeker`: the counsellor's; another counsellor's
    # form does not offer this seeker, a manager is told only counsellors assign.
    ("bulk_assign", "post"):            (LOGIN,     FORBIDDEN, FORBIDDEN, DONE,      SHOWN,     KEPT,      KEPT,      FORBIDDEN),
    ("bulk_assign", "get"):             ANY_GET_ON_POST,
    # Adding `seeker` (already followed) to one's portfolio: nobody can take them.
    ("add_seeker:followed", "post"):    (LOGIN,     FORBIDDEN, FORBIDDEN, KEPT,      KEPT,      KEPT,      KEPT,      FORBIDDEN),
    # Adding a seeker who has no counsellor yet: any counsellor may, managers do not.
    ("add_seeker:unassigned", "post"):  (LOGIN,     FORBIDDEN, FORBIDDEN, DONE,      DONE,      KEPT,      KEPT,      FORBIDDEN),
    ("add_seeker:followed", "get"):     ANY_GET_ON_POST,
    # The seeker page and its actions.
    ("seeker", "get"):                  (LOGIN,     FORBIDDEN, FORBIDDEN, OK,        NOT_FOUND, OK,        NOT_FOUND, FORBIDDEN),
    ("add_note", "post"):               (LOGIN,     FORBIDDEN, FORBIDDEN, DONE,      NOT_FOUND, DONE,      NOT_FOUND, FORBIDDEN),
    ("add_contact", "post"):            (LOGIN,     FORBIDDEN, FORBIDDEN, DONE,      NOT_FOUND, DONE,      NOT_FOUND, FORBIDDEN),
    ("assign", "post"):                 (LOGIN,     FORBIDDEN, FORBIDDEN, DONE,      NOT_FOUND, FORBIDDEN, NOT_FOUND, FORBIDDEN),
    ("cancel_assignment", "post"):      (LOGIN,     FORBIDDEN, FORBIDDEN, DONE,      NOT_FOUND, FORBIDDEN, NOT_FOUND, FORBIDDEN),
    ("validate_web", "post"):           (LOGIN,     FORBIDDEN, FORBIDDEN, DONE,      NOT_FOUND, FORBIDDEN, NOT_FOUND, FORBIDDEN),
    ("reassign", "post"):               (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, DONE,      NOT_FOUND, FORBIDDEN),
    ("handle_request", "post"):         (LOGIN,     FORBIDDEN, FORBIDDEN, DONE,      NOT_FOUND, DONE,      NOT_FOUND, FORBIDDEN),
    ("add_note", "get"):                SEEKER_GET_ON_POST,
    ("add_contact", "get"):             SEEKER_GET_ON_POST,
    ("assign", "get"):                  SEEKER_GET_ON_POST,
    ("cancel_assignment", "get"):       SEEKER_GET_ON_POST,
    ("validate_web", "get"):            SEEKER_GET_ON_POST,
    ("reassign", "get"):                SEEKER_GET_ON_POST,
    ("handle_request", "get"):          SEEKER_GET_ON_POST,
}
# fmt: on

assert all(len(row) == len(ROLES) for row in MATRIX.values())

CASES = [
    pytest.param(role, view, method, expected, id=f"{role}-{method.upper()}-{view}")
    for (view, method), row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


def test_the_matrix_covers_every_url_of_coaching():
    from coaching.urls import urlpatterns

    covered = {view.split(":")[0] for view, _method in MATRIX}
    assert covered == {pattern.name for pattern in urlpatterns}


# --- The world --------------------------------------------------------------------------


def build_world():
    """The people and objects of the matrix (see the module's docstring)."""
    team = TeamFactory()
    counsellor = CounsellorFactory(email="conseillere@exemple.test", team=team)
    manager = ManagerFactory(email="responsable@exemple.test", team=team)
    team.manager = manager
    team.save()
    other_team = TeamFactory()
    other_counsellor = CounsellorFactory(email="autre-conseiller@exemple.test", team=other_team)
    other_manager = ManagerFactory(email="autre-responsable@exemple.test", team=other_team)
    other_team.manager = other_manager
    other_team.save()
    seeker = SeekerFactory(email="demandeur@exemple.test", counsellor=counsellor, modality="guide")
    seeker.seeker_profile.volunteer_for_web()
    catalogue = build.catalogue(seed(lambda *args: None))
    assigned = build.course(catalogue, "Réussir son CV", weeks=0)
    fresh = build.course(catalogue, "Préparer son entretien", weeks=0)
    return SimpleNamespace(
        counsellor=counsellor,
        seeker=seeker,
        other_seeker=SeekerFactory(email="autre@exemple.test"),
        manager=manager,
        editor=EditorFactory(email="editrice@exemple.test"),
        other_counsellor=other_counsellor,
        other_manager=other_manager,
        # The counsellor the manager moves `seeker` to.
        colleague=CounsellorFactory(email="collegue@exemple.test", team=team),
        # In the other counsellor's portfolio: what their lists show instead.
        their_seeker=SeekerFactory(email="suivi-ailleurs@exemple.test", counsellor=other_counsellor),
        # No counsellor yet: any counsellor may add them.
        newcomer=SeekerFactory(email="nouvelle@exemple.test"),
        assigned=assigned,
        fresh=fresh,
        assignment=assigning.assign(assigned, [seeker], by=counsellor).created[0],
        asked=SeekerRequest.objects.create(seeker=seeker, kind="callback", message="Le matin."),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, inside a transaction rolled back at its end: each test
    runs in a savepoint of it (pytest-django's `db`), so what a test changes is undone
    before the next one. About 200 requests then take seconds rather than minutes."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def user_of(world, role):
    return None if role == "anonymous" else getattr(world, role)


def due_date():
    return (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


def request_for(world, view):
    """(url, POST data, where a POST comes back to) for `view` on the world's objects."""
    seeker = world.seeker
    portfolio = reverse("coaching:portfolio")
    seeker_page = reverse("coaching:seeker", args=[seeker.pk])
    happened_at = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    for_seeker = {
        "seeker": {},
        "add_note": {"note-body": "Une note."},
        "add_contact": {
            "contact-channel": "phone",
            "contact-happened_at": happened_at,
            "contact-outcome": "reached",
            "contact-summary": "Point d’étape.",
        },
        "assign": {"assign-module": world.fresh.pk, "assign-due_date": due_date()},
        "validate_web": {},
        "reassign": {"reassign-counsellor": world.colleague.pk},
    }
    if view in for_seeker:
        return reverse(f"coaching:{view}", args=[seeker.pk]), for_seeker[view], seeker_page
    if view == "cancel_assignment":
        return reverse("coaching:cancel_assignment", args=[seeker.pk, world.assignment.pk]), {}, seeker_page
    if view == "handle_request":
        return reverse("coaching:handle_request", args=[seeker.pk, world.asked.pk]), {}, seeker_page
    if view == "make_request":
        data = {"kind": "in_person", "message": "Je préfère vous voir."}
        return reverse("coaching:make_request"), data, reverse("coaching:dashboard")
    if view == "bulk_assign":
        data = {
            "assign-seekers": [seeker.pk],
            "assign-module": world.fresh.pk,
            "assign-due_date": due_date(),
            "assign-message": "À faire avant notre rendez-vous.",
            "next": portfolio,
        }
        return reverse("coaching:bulk_assign"), data, portfolio
    if view.startswith("add_seeker"):
        target = world.seeker if view == "add_seeker:followed" else world.newcomer
        return reverse("coaching:add_seeker"), {"add-email": target.email}, portfolio
    return reverse(f"coaching:{view}"), {}, None


def snapshot():
    """Everything the coaching URLs could change."""
    return {
        "notes": list(Note.objects.values_list("pk", "seeker_id", "author_id")),
        "contacts": list(Contact.objects.values_list("pk", "seeker_id", "counsellor_id")),
        "assignments": list(
            Assignment.objects.order_by("pk").values_list("pk", "seeker_id", "module_id", "cancelled_at")
        ),
        "requests": list(SeekerRequest.objects.order_by("pk").values_list("pk", "seeker_id", "handled_at")),
        "profiles": list(
            SeekerProfile.objects.order_by("pk").values_list(
                "user_id", "counsellor_id", "modality", "web_volunteered_at", "web_validated_at"
            )
        ),
        "follow_ups": list(FollowUp.objects.order_by("pk").values_list("pk", "counsellor_id", "ended_at")),
        "enrolments": list(Enrolment.objects.order_by("pk").values_list("pk", "seeker_id", "course_id")),
        "activity": ActivityEntry.objects.count(),
    }


def effect(world, view, user):
    """The change a successful `view` makes (compared before and after)."""
    seeker = world.seeker
    if view == "make_request":
        return SeekerRequest.objects.filter(seeker=user, handled_at__isnull=True).count()
    if view in ("bulk_assign", "assign"):
        return Assignment.objects.active().filter(seeker=seeker, module=world.fresh).count()
    if view == "add_seeker:unassigned":
        return SeekerProfile.objects.get(user=world.newcomer).counsellor_id
    if view == "add_note":
        return Note.objects.filter(seeker=seeker, author=user).count()
    if view == "add_contact":
        return Contact.objects.filter(seeker=seeker, counsellor=user).count()
    if view == "cancel_assignment":
        return Assignment.objects.get(pk=world.assignment.pk).cancelled_at is None
    if view == "validate_web":
        return SeekerProfile.objects.get(user=seeker).web_validated_at is None
    if view == "reassign":
        return SeekerProfile.objects.get(user=seeker).counsellor_id
    if view == "handle_request":
        return SeekerRequest.objects.get(pk=world.asked.pk).handled_by_id
    raise AssertionError(f"no effect known for {view}")


def text_of(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def messages_of(client):
    """The messages waiting for the next page (after a redirect), consumed."""
    response = client.get(reverse("accounts:home"), follow=True)
    return [str(message) for message in response.context["messages"]] if response.context else []


# --- The matrix -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "view", "method", "expected"), CASES)
def test_permission_matrix(client, world, role, view, method, expected, django_capture_on_commit_callbacks):
    user = user_of(world, role)
    if user is not None:
        client.force_login(user)
    address, data, back = request_for(world, view)
    before = snapshot()
    effect_before = effect(world, view, user) if expected == DONE else None

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(address, data) if method == "post" else client.get(address)

    shown = f"{role} {method.upper()} {address} → {response.status_code}"
    if expected == LOGIN:
        assert response.status_code == 302, shown
        login = reverse("accounts:login")
        assert response.url == f"{login}?{REDIRECT_FIELD_NAME}={quote(address)}", shown
    elif expected in (DONE, KEPT):
        assert response.status_code == 302, shown
        assert response.url == back, shown
    elif expected == SHOWN:
        assert response.status_code == 200, shown
        assert 'class="error-summary"' in text_of(response), shown
    else:
        assert response.status_code == expected, shown

    if expected == DONE:
        assert effect(world, view, user) != effect_before, f"{shown}: nothing happened"
        return
    assert snapshot() == before, f"{shown}: the database changed"
    assert callbacks == [], f"{shown}: something was queued (an e-mail?)"
    if expected == KEPT:
        # Told why, on the page it comes back to.
        assert messages_of(client), shown
    if expected == OK and view == "seeker":
        assert world.seeker.email in text_of(response), shown
    if expected == OK and view == "dashboard":
        assert response.context["profile"].user == user, shown


# --- Objects of another seeker, through this seeker's URL --------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "view", "expected"),
    [
        ("counsellor", "cancel_assignment", NOT_FOUND),
        # Cancelling is the counsellor's: refused before the assignment is looked up.
        ("manager", "cancel_assignment", FORBIDDEN),
        ("counsellor", "handle_request", NOT_FOUND),
        ("manager", "handle_request", NOT_FOUND),
    ],
)
def test_an_object_of_another_seeker_through_this_seekers_url_is_refused(client, world, role, view, expected):
    """The assignment or request of a seeker outside the portfolio, put in the URL of a
    seeker within it, is not found (and left as it is)."""
    if view == "cancel_assignment":
        theirs = assigning.assign(world.assigned, [world.their_seeker], by=world.other_counsellor).created[0]
    else:
        theirs = SeekerRequest.objects.create(seeker=world.their_seeker, kind="in_person")
    client.force_login(user_of(world, role))
    before = snapshot()
    response = client.post(reverse(f"coaching:{view}", args=[world.seeker.pk, theirs.pk]))
    assert response.status_code == expected
    assert snapshot() == before


# --- Lists are filtered, not refused ----------------------------------------------------

LISTS = ["portfolio", "portfolio_csv", "module_summary", "review_queue"]


@pytest.mark.django_db
@pytest.mark.parametrize("view", LISTS)
@pytest.mark.parametrize(
    ("role", "sees_seeker"),
    [("counsellor", True), ("manager", True), ("other_counsellor", False), ("other_manager", False)],
)
def test_lists_show_only_the_seekers_within_reach(client, world, view, role, sees_seeker, monkeypatch):
    # No module type has reviews yet: the MOOCs pretend that both seekers sent work.
    def waiting_for_review(cls, seeker_ids):
        return [
            ReviewItem(
                seeker_id=person.pk,
                module=world.assigned,
                title=f"CV de {person.get_full_name()}",
                submitted_at=timezone.now() - datetime.timedelta(days=2),
                url=f"/relire/{person.pk}/",
            )
            for person in (world.seeker, world.their_seeker)
            if person.pk in set(seeker_ids)
        ]

    monkeypatch.setattr(CoursePage, "waiting_for_review", classmethod(waiting_for_review))
    client.force_login(user_of(world, role))
    response = client.get(reverse(f"coaching:{view}"))
    assert response.status_code == 200
    text = text_of(response)

    # The portfolio and its CSV list the seekers; the figures count their modules.
    def names(person):
        return {
            "portfolio": [person.get_full_name()],
            "portfolio_csv": [person.email, person.last_name],
            "review_queue": [f"CV de {person.get_full_name()}", f"/relire/{person.pk}/"],
        }.get(view, [])

    for needle in names(world.seeker) + ([world.assigned.title] if view == "module_summary" else []):
        assert (needle in text) == sees_seeker, (role, view, needle)
    # The other team's seeker is listed to the other team only.
    for needle in names(world.their_seeker):
        assert (needle in text) == (not sees_seeker), (role, view, needle)
    if view == "portfolio":
        assert [row.user for row in response.context["rows"]] == (
            [world.seeker] if sees_seeker else [world.their_seeker]
        )
