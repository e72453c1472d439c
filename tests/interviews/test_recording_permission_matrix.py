"""Who may use the recording session: one matrix of roles × the URLs of the session
(interviews/views/session.py) and the tus endpoint of a take's upload.

The policy: a visitor who is not logged in is sent to log in (the tus endpoint, which
no page links to, answers 404); every seeker has their own session of an interview
and works on their own takes only; for a take, everyone else (another seeker, their
counsellor, another counsellor, a manager, an editor) gets 404, as do the staff and
editors for the session itself, whatever the method; a refused request changes nothing.
"""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from core import resumable
from core.demo import seed
from core.models import ResumableUpload
from interviews import recordings
from interviews.models import Attempt, Take
from tests.factories import CounsellorFactory, EditorFactory, ManagerFactory, SeekerFactory, TeamFactory
from tests.factories import interviews as build

LOGIN = "login"
OK = 200
CREATED = 201
BACK = 302  # back to the session page
NO_CONTENT = 204
NOT_FOUND = 404
NOT_ALLOWED = 405

ROLES = ("anonymous", "seeker", "other_seeker", "counsellor", "other_counsellor", "manager", "editor")
# require_GET / require_POST answer the wrong method before anything else.
ANY_WRONG_METHOD = (NOT_ALLOWED,) * len(ROLES)

# fmt: off
MATRIX = {
    # (view, method):            anonymous  seeker     other skr  counsellor other cns  manager    editor
    # Any seeker has their own session of an interview; the staff and editors have none.
    ("session", "get"):          (LOGIN,     OK,        OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("session", "post"):         ANY_WRONG_METHOD,
    ("take_start", "post"):      (LOGIN,     CREATED,   CREATED,   NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("take_start", "get"):       ANY_WRONG_METHOD,
    ("take_send_file", "post"):  (LOGIN,     BACK,      BACK,      NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("take_send_file", "get"):   ANY_WRONG_METHOD,
    # A take: its seeker's alone.
    ("take_status", "get"):      (LOGIN,     OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("take_status", "post"):     ANY_WRONG_METHOD,
    ("take_delete", "post"):     (LOGIN,     BACK,      NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("take_delete", "get"):      ANY_WRONG_METHOD,
    # The take's upload (core.resumable): its owner only, anonymous included.
    ("upload", "head"):          (NOT_FOUND, OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("upload", "patch"):         (NOT_FOUND, NO_CONTENT, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("upload", "delete"):        (NOT_FOUND, NO_CONTENT, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
}
# fmt: on

assert all(len(row) == len(ROLES) for row in MATRIX.values())

CASES = [
    pytest.param(role, view, method, expected, id=f"{role}-{method.upper()}-{view}")
    for (view, method), row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


def test_the_matrix_covers_every_url_of_the_session():
    from interviews.urls import urlpatterns

    session_urls = {
        pattern.name for pattern in urlpatterns if pattern.callback.__module__.endswith("session")
    }
    assert {view for view, _method in MATRIX} - {"upload"} == session_urls


def build_world():
    team = TeamFactory()
    counsellor = CounsellorFactory(email="conseillere@exemple.test", team=team)
    manager = ManagerFactory(email="responsable@exemple.test", team=team)
    team.manager = manager
    team.save()
    seeker = SeekerFactory(email="demandeur@exemple.test", counsellor=counsellor, modality="guide")
    page = build.interview(seed(lambda *args: None))
    question = page.questions().first()
    attempt = Attempt.objects.start(seeker, page)
    take = build.record(attempt, question)
    return SimpleNamespace(
        seeker=seeker,
        other_seeker=SeekerFactory(email="autre@exemple.test"),
        counsellor=counsellor,
        other_counsellor=CounsellorFactory(email="autre-conseiller@exemple.test", team=TeamFactory()),
        manager=manager,
        editor=EditorFactory(email="editrice@exemple.test"),
        page=page,
        question=question,
        take=take,
        upload=resumable.start(seeker, recordings.PURPOSE, take.pk),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once, in a transaction rolled back at the end; each test in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.RESUMABLE_UPLOAD_DIR = str(tmp_path / "uploads")


def url_for(world, view):
    if view == "upload":
        return world.upload.url
    if view == "session":
        return reverse("interviews:session", args=[world.page.pk])
    if view in ("take_start", "take_send_file"):
        return reverse(f"interviews:{view}", args=[world.page.pk, world.question.pk])
    return reverse(f"interviews:{view}", args=[world.take.pk])


def state():
    return (
        sorted(Take.objects.values_list("pk", "status", "recording")),
        sorted((upload.pk, upload.offset, upload.length) for upload in ResumableUpload.objects.all()),
        Attempt.objects.count(),
    )


@pytest.mark.parametrize(("role", "view", "method", "expected"), CASES)
def test_permission_matrix(client, db, world, role, view, method, expected, browser_webm):
    user = None if role == "anonymous" else getattr(world, role)
    if user is not None:
        client.force_login(user)
    url = url_for(world, view)
    before = state()
    options = {}
    if view == "upload":
        options["headers"] = {"Tus-Resumable": "1.0.0", "Upload-Offset": "0"}
        if method == "patch":
            options.update(data=b"\x1aE\xdf\xa3", content_type=resumable.CONTENT_TYPE)
    elif view == "take_send_file" and method == "post":
        options["data"] = {"recording": SimpleUploadedFile("reponse.webm", Path(browser_webm).read_bytes())}

    response = getattr(client, method)(url, **options)

    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, response.content[:300]
    if expected not in (OK, CREATED, BACK, NO_CONTENT) or method in ("get", "head"):
        assert state() == before
