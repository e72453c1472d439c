"""Request bodies are refused from their declared size, before anything reads them
(core.request_limits): the view never runs and the body is never read.

Each request is sent with its own `FakePayload` as wsgi.input, so a test can tell
whether anything read it (`read_started`). A large Content-Length with a small body is
what a client announces before sending 40 MB; a real body one byte over the limit shows
the limit is exact.
"""

import json

import pytest
from django.http import HttpResponse
from django.test.client import BOUNDARY, MULTIPART_CONTENT, FakePayload, encode_multipart
from django.urls import path, resolve
from django.utils import translation

from ateliers.models import Answer
from core.request_limits import accepts_uploads, limit_for
from media.captions import MAX_CAPTION_BYTES
from tests.factories import ateliers as build
from tremplin import urls as project_urls

LOGIN = "/compte/connexion/"
MIB = 1024 * 1024

# --- A view that records whether it ran (urlpatterns of this module, see @pytest.mark.urls) ---
calls = []


def plain_view(request):
    calls.append(request.POST.get("text", ""))
    return HttpResponse("ran")


@accepts_uploads(max_bytes=3 * MIB)
def upload_view(request):
    calls.append(request.FILES.get("file"))
    return HttpResponse("ran")


# With the project's own URLs: the 413 page links to them.
urlpatterns = [path("plain/", plain_view), path("upload/", upload_view), *project_urls.urlpatterns]


@pytest.fixture(autouse=True)
def no_calls():
    calls.clear()


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def fr(message):
    with translation.override("fr"):
        return translation.gettext(message)


def post(client, url, body, *, content_type=MULTIPART_CONTENT, declared=None, **extra):
    """POST `body` (bytes) with its own payload; `declared` replaces its Content-Length.
    Returns (response, payload)."""
    payload = FakePayload(body)
    extra.setdefault("CONTENT_LENGTH", str(len(body) if declared is None else declared))
    response = client.generic(
        "POST", url, body, content_type=content_type, **{"wsgi.input": payload}, **extra
    )
    return response, payload


def multipart(data):
    return encode_multipart(BOUNDARY, data)


def multipart_of_size(size, **fields):
    """A multipart body of exactly `size` bytes: `fields` and a file padded to fit."""

    def build_body(padding):
        return multipart({**fields, "file": _file(b"%PDF-1.4\n" + b"x" * padding)})

    empty = len(build_body(0))
    body = build_body(size - empty)
    assert len(body) == size
    return body


def _file(content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("cv.pdf", content, content_type="application/pdf")


# --- The log-in page: any anonymous visitor -------------------------------------------------


@pytest.mark.django_db
def test_a_60_mb_post_to_the_login_page_is_refused_before_its_body_is_read(client):
    body = multipart({"username": "a@exemple.test", "password": "x"})
    response, payload = post(client, LOGIN, body, declared=60 * MIB)
    assert response.status_code == 413
    assert not payload.read_started


@pytest.mark.django_db
def test_a_body_one_byte_over_the_default_limit_is_refused_unread(client, settings):
    body = multipart_of_size(settings.REQUEST_MAX_BODY_BYTES + 1, username="a@exemple.test")
    response, payload = post(client, LOGIN, body)
    assert response.status_code == 413
    assert not payload.read_started


@pytest.mark.django_db
def test_a_body_at_the_default_limit_reaches_the_login_view(client, settings):
    body = multipart_of_size(settings.REQUEST_MAX_BODY_BYTES, username="a@exemple.test", password="x")
    response, payload = post(client, LOGIN, body)
    assert response.status_code == 200  # the form again: wrong password
    assert payload.read_started


@pytest.mark.django_db
def test_a_body_without_content_length_is_refused_unread(client):
    """Chunked (Transfer-Encoding, no Content-Length): its size is unknown, so it is
    refused (411) rather than let through unchecked."""
    body = multipart({"username": "a@exemple.test", "password": "x"})
    response, payload = post(client, LOGIN, body, CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411
    assert not payload.read_started


# --- The page says what was too big, the limit and what to do, in the user's language --------


@pytest.mark.django_db
def test_the_413_page_is_tremplins_in_french(client, home_page):
    body = multipart({"username": "a@exemple.test"})
    response, _ = post(client, LOGIN, body, declared=60 * MIB)
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="fr">' in html
    assert fr("What you sent is too large") in html
    assert "60,0" in html and "1,0" in html  # what was sent, the limit (French number format)
    assert fr("Nothing was saved.") in html
    assert 'class="site-header' in html or "<header" in html  # the site's own template


@pytest.mark.django_db
def test_the_413_page_is_in_english_under_en(client, home_page):
    body = multipart({"username": "a@exemple.test"})
    response, _ = post(client, "/en" + LOGIN, body, declared=60 * MIB)
    html = response.content.decode()
    assert response.status_code == 413
    assert '<html lang="en">' in html
    assert "What you sent is too large" in html
    assert "60.0" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_X_REQUESTED_WITH": "fetch"},
        {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"},
        {"HTTP_ACCEPT": "application/json"},
    ],
)
def test_scripts_get_a_short_json_error(client, headers):
    body = multipart({"text": "x"})
    response, payload = post(client, LOGIN, body, declared=60 * MIB, **headers)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    message = json.loads(response.content)["errors"]["__all__"]
    assert message.startswith(fr("What you sent is too large"))
    assert not payload.read_started


# --- Views that take files ---------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_the_view_never_runs_past_its_limit(client):
    response, payload = post(client, "/plain/", multipart({"text": "x"}), declared=2 * MIB)
    assert response.status_code == 413 and calls == [] and not payload.read_started


@pytest.mark.urls(__name__)
def test_a_view_that_accepts_uploads_takes_its_files_and_the_form(client, settings):
    limit = 3 * MIB + settings.REQUEST_MAX_BODY_BYTES
    body = multipart_of_size(limit, text="x")
    response, _ = post(client, "/upload/", body)
    assert response.status_code == 200 and len(calls) == 1

    response, payload = post(client, "/upload/", multipart_of_size(limit + 1, text="x"))
    assert response.status_code == 413 and len(calls) == 1 and not payload.read_started
    assert "3,0" in response.content.decode()  # the file limit is the one shown


@pytest.mark.django_db
def test_a_40_mb_pdf_sent_to_an_atelier_is_refused_before_it_is_read(client, seeker, home_page):
    atelier = build.atelier(home_page)
    step, block_id = build.locate(atelier, "file")
    client.force_login(seeker)
    body = multipart({"file": _file(b"%PDF-1.4\n")})
    response, payload = post(client, build.save_url(step, block_id), body, declared=40 * MIB)
    assert response.status_code == 413
    assert not payload.read_started
    assert not Answer.objects.exists()
    html = response.content.decode()
    assert "40,0" in html and "10,0" in html  # sent, and ATELIER_MAX_UPLOAD_BYTES


@pytest.mark.django_db
def test_the_atelier_upload_limit_is_the_file_limit_plus_the_form(client, seeker, home_page, settings):
    settings.ATELIER_MAX_UPLOAD_BYTES = 20_000
    atelier = build.atelier(home_page)
    step, block_id = build.locate(atelier, "file")
    url = build.save_url(step, block_id)
    client.force_login(seeker)
    limit = 20_000 + settings.REQUEST_MAX_BODY_BYTES

    response, payload = post(client, url, multipart_of_size(limit + 1), HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 413 and not payload.read_started
    assert not Answer.objects.exists()

    # At the limit the view runs and gives its own, precise answer about the file.
    response, payload = post(client, url, multipart_of_size(limit), HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 400 and payload.read_started
    assert "file" in json.loads(response.content)["errors"]


@pytest.mark.django_db
def test_other_exercises_of_a_step_keep_the_default_limit(client, seeker, home_page, settings):
    """The save route takes files; a page of the same atelier that does not keeps 1 MiB."""
    atelier = build.atelier(home_page)
    step, _ = build.locate(atelier, "file")
    client.force_login(seeker)
    response, payload = post(client, step.url, multipart({"x": "y"}), declared=2 * MIB)
    assert response.status_code == 413 and not payload.read_started


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, file_limit",
    [
        ("/admin/media/video/add/", lambda s: s.MEDIA_PROCESSING["MAX_UPLOAD_BYTES"]),
        ("/admin/media/edit/1/", lambda s: s.MEDIA_PROCESSING["MAX_UPLOAD_BYTES"]),
        ("/admin/media/audio/chooser/upload/", lambda s: s.MEDIA_PROCESSING["MAX_UPLOAD_BYTES"]),
        ("/admin/images/multiple/add/", lambda s: s.WAGTAILIMAGES_MAX_UPLOAD_SIZE),
        ("/admin/images/chooser/create/", lambda s: s.WAGTAILIMAGES_MAX_UPLOAD_SIZE),
        ("/admin/images/1/", lambda s: s.WAGTAILIMAGES_MAX_UPLOAD_SIZE),
        ("/admin/documents/multiple/add/", lambda s: s.DOCUMENT_MAX_UPLOAD_BYTES),
        ("/admin/documents/chooser/create/", lambda s: s.DOCUMENT_MAX_UPLOAD_BYTES),
        ("/admin/documents/edit/1/", lambda s: s.DOCUMENT_MAX_UPLOAD_BYTES),
        ("/admin/media/captions/new/", lambda s: MAX_CAPTION_BYTES),
        ("/admin/account/", lambda s: s.WAGTAILIMAGES_MAX_UPLOAD_SIZE),  # the avatar
    ],
)
def test_the_admin_upload_views_keep_their_own_limits(rf, settings, url, file_limit):
    request = rf.post(url)
    request.resolver_match = resolve(url)
    limit = limit_for(request, request.resolver_match.func)
    assert limit.file_bytes == file_limit(settings)
    assert limit.body_bytes == file_limit(settings) + settings.REQUEST_MAX_BODY_BYTES


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/pages/3/edit/", "/admin/login/"])
def test_other_admin_forms_may_be_as_large_as_djangos_form_limit(rf, settings, url):
    request = rf.post(url)
    request.resolver_match = resolve(url)
    limit = limit_for(request, request.resolver_match.func)
    assert limit.file_bytes is None
    assert limit.body_bytes == settings.ADMIN_MAX_BODY_BYTES >= settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.mark.django_db
def test_an_admin_upload_over_its_limit_is_refused_unread(admin_client, settings):
    settings.REQUEST_UPLOAD_LIMITS = {**settings.REQUEST_UPLOAD_LIMITS, "wagtailimages:": 5_000}
    limit = 5_000 + settings.REQUEST_MAX_BODY_BYTES
    response, payload = post(
        admin_client,
        "/admin/images/multiple/add/",
        multipart_of_size(limit + 1),
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 413 and not payload.read_started
