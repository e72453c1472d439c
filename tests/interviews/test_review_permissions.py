"""Who may do what after a mock interview is recorded: one matrix of roles × the URLs of
interviews/urls.py (sending, the seeker's attempt and history pages, the counsellor's
review and its comments; deleting a take is the session's, in
test_recording_permission_matrix.py).

The policy (interviews.permissions): anonymous visitors are sent to log in; the seeker's
pages are theirs alone (another seeker gets 404 on their attempt or take; staff,
editors and administrators 403); the review is their current counsellor's alone
(another counsellor gets 404; seekers, managers, editors and administrators 403: they
review nothing). A GET on a POST-only URL is 405 once the permission check passed.
Every refused request leaves the database as it was and queues nothing.

The world: `seeker` (followed by `counsellor`) has sent attempt 1 (a take chosen per
question, a second take of question 1 kept private, a comment of a review being
written) and has attempt 2 recorded and ready to send.
"""

from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.urls import reverse

from accounts.models import Role
from activity.models import ActivityEntry
from core.demo import seed
from interviews.models import Attempt, Review, ReviewComment, Take
from media.models import ProcessingStatus
from tests.factories import (
    CounsellorFactory,
    EditorFactory,
    ManagerFactory,
    SeekerFactory,
    TeamFactory,
    UserFactory,
)
from tests.factories import interviews as build
from tests.factories.interview_reviews import measures

LOGIN = "login"
OK = 200
DONE = "done"  # 302, and the action took effect
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
    "editor",
    "admin",
)

# fmt: off
SEEKERS_OWN = (LOGIN, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
COUNSELLORS = (LOGIN, FORBIDDEN, FORBIDDEN, DONE, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN)
COUNSELLORS_GET_ON_POST = (LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN)
MATRIX = {
    # (view, method):            anonymous seeker  other skr  counsellor other cns  manager    editor     admin
    ("attempt", "get"):          SEEKERS_OWN,
    ("send", "get"):             SEEKERS_OWN,
    ("send", "post"):            (LOGIN,   DONE,   NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("delete_attempt", "post"):  (LOGIN,   DONE,   NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("delete_attempt", "get"):   (LOGIN,   NOT_ALLOWED, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    # Their own attempts at a live interview: another seeker sees their own (none).
    ("history", "get"):          (LOGIN,   OK,     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("review", "get"):           (LOGIN,   FORBIDDEN, FORBIDDEN, OK,     NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("review", "post"):          COUNSELLORS,
    ("add_comment", "post"):     COUNSELLORS,
    ("add_comment", "get"):      COUNSELLORS_GET_ON_POST,
    ("delete_comment", "post"):  COUNSELLORS,
    ("delete_comment", "get"):   COUNSELLORS_GET_ON_POST,
}
# fmt: on

CASES = [
    pytest.param(role, view, method, expected, id=f"{role}-{method.upper()}-{view}")
    for (view, method), row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


def test_the_matrices_cover_every_url_of_interviews():
    """This one after the recording; test_recording_permission_matrix.py the session's."""
    from interviews.urls import urlpatterns

    from .test_recording_permission_matrix import MATRIX as SESSION

    covered = {view for view, _method in MATRIX} | {view for view, _method in SESSION} - {"upload"}
    covered |= {"take_captions", "take_transcript"}  # test_transcript_views.py
    assert covered == {pattern.name for pattern in urlpatterns}


def ready_takes(attempt, *, per_question=1):
    """Processed takes without files (the files' own permissions are tested elsewhere)."""
    takes = []
    for position, question in enumerate(attempt.interview.questions(), start=1):
        for number in range(1, per_question + 1):
            takes.append(
                Take.objects.create(
                    attempt=attempt,
                    question=question,
                    position=position,
                    question_text=question.text,
                    number=number,
                    status=ProcessingStatus.READY,
                    measures=measures(),
                    duration=60.0,
                )
            )
    return takes


def build_world():
    team = TeamFactory()
    counsellor = CounsellorFactory(team=team)
    manager = ManagerFactory(team=team)
    team.manager = manager
    team.save()
    seeker = SeekerFactory(counsellor=counsellor)
    interview = build.interview(seed(lambda *args: None))
    sent = Attempt.objects.start(seeker, interview)
    ready_takes(sent)
    private = Take.objects.create(
        attempt=sent, position=1, question_text="Présentez-vous.", number=2, status=ProcessingStatus.READY
    )
    build.send(sent)
    draft_review = Review.objects.create(attempt=sent, counsellor=counsellor, decision="")
    comment = ReviewComment.objects.create(
        review=draft_review, take=sent.takes.get(position=1, chosen=True), at_seconds=3, text="Souriez."
    )
    open_attempt = Attempt.objects.start(seeker, interview)
    ready_takes(open_attempt)
    return SimpleNamespace(
        seeker=seeker,
        other_seeker=SeekerFactory(),
        counsellor=counsellor,
        other_counsellor=CounsellorFactory(),
        manager=manager,
        editor=EditorFactory(),
        admin=UserFactory(role=Role.ADMIN),
        interview=interview,
        sent=sent,
        private=private,
        comment=comment,
        open_attempt=open_attempt,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once, in a transaction rolled back at the end; each test runs in a
    savepoint of it (as tests/coaching/test_permission_matrix.py does)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def request_for(world, view):
    """(url, POST data, where a successful POST goes) for `view`."""
    sent, attempt = world.sent, world.open_attempt
    if view == "attempt":
        return reverse("interviews:attempt", args=[sent.pk]), {}, None
    if view == "send":
        data = {"action": "send", "notes": "Prêt."}
        for criterion in world.interview.rubric.criteria.all():
            data[f"criterion_{criterion.pk}"] = 3
        for take in attempt.takes.all():
            data[f"question_{take.position}"] = take.pk
        return reverse("interviews:send", args=[attempt.pk]), data, attempt.seeker_url()
    if view == "delete_attempt":
        address = reverse("interviews:delete_attempt", args=[sent.pk])
        return address, {"confirm": "yes"}, reverse("interviews:history", args=[world.interview.pk])
    if view == "history":
        return reverse("interviews:history", args=[world.interview.pk]), {}, None
    if view == "review":
        data = {"decision": "validated", "advice": "Bien."}
        for criterion in world.interview.rubric.criteria.all():
            data[f"score_{criterion.pk}"] = 4
        return sent.review_url(), data, reverse("coaching:review_queue")
    if view == "add_comment":
        take = sent.takes.get(position=2, chosen=True)
        data = {"take": take.pk, "at": "0:10", "text": "Bonne réponse."}
        return reverse("interviews:add_comment", args=[sent.pk]), data, f"{sent.review_url()}#question-2"
    if view == "delete_comment":
        return reverse("interviews:delete_comment", args=[sent.pk, world.comment.pk]), {}, sent.review_url()
    raise AssertionError(view)


def snapshot():
    return {
        "attempts": list(
            Attempt.objects.order_by("pk").values_list("pk", "submitted_at", "notes", "self_assessment")
        ),
        "takes": list(Take.objects.order_by("pk").values_list("pk", "chosen")),
        "reviews": list(Review.objects.order_by("pk").values_list("pk", "decision", "advice")),
        "comments": list(ReviewComment.objects.order_by("pk").values_list("pk", "at_seconds", "text")),
        "activity": ActivityEntry.objects.count(),
    }


def effect(world, view):
    if view == "send":
        return Attempt.objects.get(pk=world.open_attempt.pk).submitted_at
    if view == "delete_attempt":
        return Attempt.objects.filter(pk=world.sent.pk).exists()
    if view == "review":
        return Review.objects.get(attempt=world.sent).decision
    if view in ("add_comment", "delete_comment"):
        return ReviewComment.objects.count()
    raise AssertionError(view)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "view", "method", "expected"), CASES)
def test_permission_matrix(client, world, role, view, method, expected, django_capture_on_commit_callbacks):
    user = None if role == "anonymous" else getattr(world, role)
    if user is not None:
        client.force_login(user)
    address, data, back = request_for(world, view)
    before = snapshot()
    effect_before = effect(world, view) if expected == DONE else None

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(address, data) if method == "post" else client.get(address)

    shown = f"{role} {method.upper()} {address} → {response.status_code}"
    if expected == LOGIN:
        assert response.status_code == 302, shown
        assert response.url == f"{reverse('accounts:login')}?{REDIRECT_FIELD_NAME}={quote(address)}", shown
    elif expected == DONE:
        assert response.status_code == 302, shown
        assert response.url == back, shown
    else:
        assert response.status_code == expected, shown

    if expected == DONE:
        assert effect(world, view) != effect_before, f"{shown}: nothing happened"
        return
    assert snapshot() == before, f"{shown}: the database changed"
    assert callbacks == [], f"{shown}: something was queued"
    if expected == OK and view in ("attempt", "review"):
        assert response.context["attempt"] == world.sent, shown
