"""Who may reach a resumable upload (core.resumable): every role against every method of
the endpoint.

The policy: an upload is its owner's alone. Anyone else, anonymous visitors included,
gets the same 404 as for an upload that does not exist, whatever the method; their
counsellor, the team's manager, editors and administrators included (the app that
created the upload serves the finished file through its own permission check). Methods
the endpoint does not speak are 405 for everyone. A refused request changes nothing:
the row and its bytes stay as they were.
"""

import pytest
from django.urls import URLPattern, get_resolver

from accounts.models import User
from core import resumable
from core.models import ResumableUpload
from tests.factories import CounsellorFactory

PURPOSE = "test_matrix"
resumable.register_purpose(PURPOSE, max_bytes=10_000, on_complete=lambda upload: None)

OK = 200
NO_CONTENT = 204
NOT_FOUND = 404
NOT_ALLOWED = 405

ROLES = (
    "anonymous",
    "seeker",  # the owner
    "other_seeker",
    "counsellor",  # the owner's counsellor
    "other_counsellor",
    "manager",  # the counsellor's team manager
    "editor",
    "administrator",
)
REFUSED = (NOT_FOUND, None, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)

# fmt: off
MATRIX = {
    # method:    anonymous..administrator, with the owner's answer in second place
    "head":      REFUSED[:1] + (OK,) + REFUSED[2:],
    "patch":     REFUSED[:1] + (NO_CONTENT,) + REFUSED[2:],
    "delete":    REFUSED[:1] + (NO_CONTENT,) + REFUSED[2:],
    "options":   REFUSED[:1] + (NO_CONTENT,) + REFUSED[2:],
    "get":       (NOT_ALLOWED,) * len(ROLES),
    "post":      (NOT_ALLOWED,) * len(ROLES),
}
# fmt: on

CASES = [
    pytest.param(role, method, expected, id=f"{role}-{method.upper()}")
    for method, row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


def test_the_matrix_covers_every_url_of_core_resumable():
    names = {
        entry.name
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLPattern) and getattr(entry.callback, "__module__", "") == "core.resumable"
    }
    assert names == {"resumable_upload"}
    assert set(MATRIX) >= set(resumable.UploadView.http_method_names)


@pytest.fixture
def people(seeker, other_seeker, counsellor, manager, editor):
    return {
        "anonymous": None,
        "seeker": seeker,
        "other_seeker": other_seeker,
        "counsellor": counsellor,
        "other_counsellor": CounsellorFactory(email="autre-conseiller@exemple.test"),
        "manager": manager,
        "editor": editor,
        "administrator": User.objects.create_superuser("admin@exemple.test", "x"),
    }


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.RESUMABLE_UPLOAD_DIR = str(tmp_path / "uploads")


def state(upload):
    row = ResumableUpload.objects.filter(pk=upload.pk).first()
    described = (row.offset, row.length, row.completed_at) if row else None
    return described, upload.path.read_bytes() if upload.path.exists() else None


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "method", "expected"), CASES)
def test_permission_matrix(client, people, role, method, expected, django_capture_on_commit_callbacks):
    owner = people["seeker"]
    upload = resumable.start(owner, PURPOSE, 1)
    client.force_login(owner)
    client.patch(
        upload.url,
        data=b"first",
        content_type=resumable.CONTENT_TYPE,
        headers={"Tus-Resumable": "1.0.0", "Upload-Offset": "0"},
    )
    client.logout()
    if people[role] is not None:
        client.force_login(people[role])
    before = state(upload)

    headers = {"Tus-Resumable": "1.0.0", "Upload-Offset": "5", "Upload-Length": "10"}
    with django_capture_on_commit_callbacks(execute=True):
        if method in ("head", "get", "options"):
            response = getattr(client, method)(upload.url, headers=headers)
        else:
            response = getattr(client, method)(
                upload.url, data=b"more!", content_type=resumable.CONTENT_TYPE, headers=headers
            )

    assert response.status_code == expected, f"{role} {method.upper()} → {response.status_code}"
    if expected == NOT_FOUND:
        assert "Upload-Offset" not in response
    if role == "seeker" and method == "patch":
        (offset, length, completed_at), stored = state(upload)
        assert (offset, length, stored) == (10, 10, b"firstmore!")
        assert completed_at is not None
    elif role == "seeker" and method == "delete":
        assert state(upload) == (None, None)
    else:
        assert state(upload) == before
