"""Private files: stored outside the public media, served only after a permission check."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.conf.urls.static import static
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import models
from django.http import Http404
from django.test import RequestFactory, override_settings

from core import private_media
from core.private_media import (
    PrivateFileSystemStorage,
    PrivateUploadTo,
    PrivateURLMixin,
    private_storage,
)

CONTENT = bytes(range(256)) * 4  # 1024 bytes, every offset distinguishable
SECRET = b"another person's file, outside the private root"


def private_storages(**options):
    return {
        **settings.STORAGES,
        "private": {"BACKEND": "core.private_media.PrivateFileSystemStorage", **options},
    }


@pytest.fixture
def roots(tmp_path):
    """Public and private roots side by side, and a secret file next to them."""
    media, private = tmp_path / "uploads", tmp_path / "private"
    media.mkdir()
    private.mkdir()
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (media / "secret.txt").write_bytes(SECRET)
    with override_settings(
        MEDIA_ROOT=str(media),
        STORAGES=private_storages(OPTIONS={"location": str(private)}),
        PRIVATE_MEDIA_ACCEL_REDIRECT=None,
    ):
        yield {"media": media, "private": private}


@pytest.fixture
def checks(monkeypatch):
    """A registry holding only the `test` prefix: a file is readable by its owner,
    whose id is the folder after the prefix (test/<user id>/...). Records each call."""
    calls = []

    def owner_only(user, name):
        calls.append(name)
        return name.split("/")[1] == str(user.pk)

    monkeypatch.setattr(private_media, "_readers", {})
    private_media.register("test", owner_only)
    return calls


@pytest.fixture
def stored(roots, checks, seeker):
    """A video and a PDF of `seeker`, written through the storage."""
    storage = storages["private"]
    video = storage.save(f"test/{seeker.pk}/answer.mp4", ContentFile(CONTENT))
    pdf = storage.save(f"test/{seeker.pk}/cv.pdf", ContentFile(b"%PDF-1.4 not really"))
    return {"video": video, "pdf": pdf}


def same_page(one, other):
    """The same HTML, but for the CSRF token and the path asked for."""

    def normalized(response):
        html = response.content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
        return html.replace(response.wsgi_request.path, "PATH")

    return normalized(one) == normalized(other)


def url(name):
    return f"/fichiers/{name}"


def assert_private_headers(response):
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "sandbox" in response["Content-Security-Policy"]


# --- Storage -------------------------------------------------------------------------------


def test_storage_is_rooted_at_private_media_root_outside_the_public_roots():
    storage = storages["private"]
    assert isinstance(storage, PrivateFileSystemStorage)
    location = Path(storage.location)
    assert location == Path(settings.PRIVATE_MEDIA_ROOT).absolute()
    for public in (settings.MEDIA_ROOT, settings.STATIC_ROOT):
        assert not location.is_relative_to(Path(public).resolve())
        assert not Path(public).resolve().is_relative_to(location)


def test_storage_refuses_a_location_under_media_root(roots):
    inside = private_storages(OPTIONS={"location": str(roots["media"] / "private")})
    with override_settings(STORAGES=inside), pytest.raises(ImproperlyConfigured):
        storages["private"].path("test/x.mp4")


def test_url_is_the_serving_view_never_the_media_url(roots):
    storage = storages["private"]
    name = storage.save("test/1/clip.mp4", ContentFile(b"x"))
    assert storage.url(name) == f"/fichiers/{name}"
    assert not storage.url(name).startswith(settings.MEDIA_URL)
    assert storage.url("test/1/une vidéo.mp4") == "/fichiers/test/1/une%20vid%C3%A9o.mp4"


def test_file_field_with_private_storage_follows_overrides_and_deconstructs(roots, tmp_path):
    field = models.FileField(storage=private_storage, upload_to=PrivateUploadTo("test"))
    assert field.storage.location == str(roots["private"])
    other = tmp_path / "elsewhere"
    with override_settings(STORAGES=private_storages(OPTIONS={"location": str(other)})):
        assert field.storage.location == str(other)
        assert field.storage.url("test/a.mp4") == "/fichiers/test/a.mp4"
    _, _, _, kwargs = field.deconstruct()
    assert kwargs["storage"] is private_storage
    assert kwargs["upload_to"] == PrivateUploadTo("test")


def test_upload_to_generates_names_and_keeps_a_plain_extension():
    upload_to = PrivateUploadTo("test")
    name = upload_to(None, "../../Mon CV.PDF")
    assert name.startswith("test/") and name.endswith(".pdf") and "CV" not in name
    assert upload_to(None, "-i.mp4") != upload_to(None, "-i.mp4")
    assert "." not in upload_to(None, "x.<script>").split("/")[1]
    with pytest.raises(ValueError):
        PrivateUploadTo("../test")


def test_register_refuses_bad_or_duplicate_prefixes(checks):
    with pytest.raises(ImproperlyConfigured):
        private_media.register("a/b", lambda user, name: True)
    with pytest.raises(ImproperlyConfigured):
        private_media.register("test", lambda user, name: True)


# --- Serving: permissions ------------------------------------------------------------------


@pytest.mark.django_db
def test_owner_gets_the_whole_file_with_private_headers(client, stored, seeker):
    client.force_login(seeker)
    response = client.get(url(stored["video"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Length"] == str(len(CONTENT))
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"] == 'inline; filename="answer.mp4"'
    assert response["Accept-Ranges"] == "bytes"
    assert "X-Accel-Redirect" not in response
    assert_private_headers(response)


@pytest.mark.django_db
def test_head_sends_the_headers_without_the_body(client, stored, seeker):
    client.force_login(seeker)
    response = client.head(url(stored["video"]))
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Length"] == str(len(CONTENT))


@pytest.mark.django_db
def test_non_media_files_are_downloads(client, stored, seeker):
    client.force_login(seeker)
    response = client.get(url(stored["pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="cv.pdf"'
    assert_private_headers(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content_type", "disposition"),
    [
        ("page.html", "text/html", "attachment"),
        ("image.svg", "image/svg+xml", "attachment"),
        ("archive.pdf.gz", "application/octet-stream", "attachment"),
        ("noextension", "application/octet-stream", "attachment"),
        ("voice.ogg", "audio/ogg", "inline"),
        ("poster.jpg", "image/jpeg", "inline"),
    ],
)
def test_content_type_comes_from_the_name(client, roots, checks, seeker, name, content_type, disposition):
    stored = storages["private"].save(f"test/{seeker.pk}/{name}", ContentFile(b"<script>alert(1)</script>"))
    client.force_login(seeker)
    response = client.get(url(stored))
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(disposition + ";")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_another_seeker_gets_404_like_a_missing_file(client, stored, seeker, other_seeker):
    client.force_login(other_seeker)
    refused = client.get(url(stored["video"]))
    missing = client.get(url(f"test/{other_seeker.pk}/nothing.mp4"))
    assert refused.status_code == missing.status_code == 404
    assert same_page(refused, missing)
    assert "no-store" in refused["Cache-Control"]
    assert not refused.streaming


@pytest.mark.django_db
def test_the_counsellor_is_refused_unless_the_app_says_so(client, stored, counsellor):
    client.force_login(counsellor)
    assert client.get(url(stored["video"])).status_code == 404


@pytest.mark.django_db
def test_anonymous_gets_403_not_a_login_redirect(client, stored, checks):
    response = client.get(url(stored["video"]))
    assert response.status_code == 403
    assert "Location" not in response
    assert "no-store" in response["Cache-Control"]
    assert checks == []  # the app is not even asked


@pytest.mark.django_db
def test_unknown_prefix_is_404(client, roots, checks, seeker):
    storages["private"].save(f"other/{seeker.pk}/a.mp4", ContentFile(b"x"))
    client.force_login(seeker)
    assert client.get(url(f"other/{seeker.pk}/a.mp4")).status_code == 404
    assert client.get(url("a.mp4")).status_code == 404


@pytest.mark.django_db
def test_a_folder_is_404(client, stored, seeker):
    client.force_login(seeker)
    assert client.get(url(f"test/{seeker.pk}")).status_code == 404
    assert client.get(url(f"test/{seeker.pk}/")).status_code == 404


@pytest.mark.django_db
def test_only_get_and_head(client, stored, seeker):
    client.force_login(seeker)
    assert client.post(url(stored["video"])).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/fichiers/test/{pk}/../../secret.txt",
        "/fichiers/test/{pk}/../../../secret.txt",
        "/fichiers/test/%2e%2e/%2e%2e/secret.txt",
        "/fichiers/test/{pk}/%2E%2E%2F%2E%2E%2F..%2Fsecret.txt",
        "/fichiers/../secret.txt",
        "/fichiers//{tmp}/secret.txt",
        "/fichiers/%2F{tmp}/secret.txt",
        "/fichiers/test/{pk}/..%5C..%5Csecret.txt",
        "/fichiers/test/./{pk}/answer.mp4",
        "/fichiers/test//{pk}/answer.mp4",
        "/fichiers/test/{pk}/answer.mp4%00.txt",
    ],
)
def test_traversal_and_odd_names_are_404_and_read_nothing(
    client, stored, seeker, roots, checks, monkeypatch, path
):
    opened = []
    storage = storages["private"]
    monkeypatch.setattr(storage, "open", lambda *args, **kwargs: opened.append(args))
    client.force_login(seeker)
    tmp = str(roots["private"].parent).lstrip("/")
    response = client.get(path.format(pk=seeker.pk, tmp=tmp))
    assert response.resolver_match.url_name == "private_file"  # the view refused it
    assert response.status_code == 404
    assert SECRET not in response.content
    assert opened == []
    assert checks == []  # refused before any app is asked


# --- Serving: ranges -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=10-19", 10, 19),
        ("bytes=-5", 1019, 1023),
        ("bytes=100-", 100, 1023),
        ("bytes=0-0", 0, 0),
        ("bytes=1000-5000", 1000, 1023),
        ("bytes=-5000", 0, 1023),
        ("BYTES = 10-19", 10, 19),
    ],
)
def test_owner_gets_206_for_a_range(client, stored, seeker, header, first, last):
    client.force_login(seeker)
    response = client.get(url(stored["video"]), headers={"Range": header})
    assert response.status_code == 206
    body = b"".join(response.streaming_content)
    assert body == CONTENT[first : last + 1]
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(CONTENT)}"
    assert response["Content-Type"] == "video/mp4"
    assert_private_headers(response)


@pytest.mark.django_db
def test_range_of_ten_bytes(client, stored, seeker):
    client.force_login(seeker)
    response = client.get(url(stored["video"]), headers={"Range": "bytes=10-19"})
    body = b"".join(response.streaming_content)
    assert len(body) == 10 and body == bytes(range(10, 20))
    assert response["Content-Range"] == "bytes 10-19/1024"


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["bytes=1024-", "bytes=5000-6000", "bytes=-0"])
def test_unsatisfiable_range_is_416(client, stored, seeker, header):
    client.force_login(seeker)
    response = client.get(url(stored["video"]), headers={"Range": header})
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"
    assert response.content == b""
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        "bytes=0-1,5-6",
        "bytes=19-10",
        "items=0-5",
        "bytes=abc",
        "bytes=-",
        "bytes=0-" + "9" * 5000,
        "bytes=٣-٤",
    ],
)
def test_multiple_or_malformed_ranges_get_the_whole_file(client, stored, seeker, header):
    client.force_login(seeker)
    response = client.get(url(stored["video"]), headers={"Range": header})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT


@pytest.mark.django_db
def test_if_range_we_cannot_validate_gets_the_whole_file(client, stored, seeker):
    client.force_login(seeker)
    response = client.get(url(stored["video"]), headers={"Range": "bytes=10-19", "If-Range": '"x"'})
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_range_streams_from_storage_open_without_reading_the_whole_file(
    client, roots, checks, seeker, monkeypatch
):
    storage = storages["private"]
    big = bytes(range(256)) * 4096 * 4  # 4 MiB
    name = storage.save(f"test/{seeker.pk}/big.webm", ContentFile(big))
    reads = []
    real_open = storage.open

    class SpyFile:
        def __init__(self, file):
            self.file = file

        def read(self, size=-1):
            reads.append(size)
            return self.file.read(size)

        def __getattr__(self, attr):
            return getattr(self.file, attr)

    def spy_open(*args, **kwargs):
        file = real_open(*args, **kwargs)
        file.file = SpyFile(file.file)
        return file

    monkeypatch.setattr(storage, "open", spy_open)
    client.force_login(seeker)
    response = client.get(url(name), headers={"Range": "bytes=3000000-3000099"})
    assert b"".join(response.streaming_content) == big[3000000:3000100]
    assert reads == [100]
    reads.clear()
    response = client.get(url(name))
    assert b"".join(response.streaming_content) == big
    assert reads and all(0 < size <= 64 * 1024 for size in reads)


# --- Production: nginx sends the file ----------------------------------------------------------


@pytest.mark.django_db
def test_x_accel_redirect_hands_the_file_to_nginx(client, stored, seeker):
    client.force_login(seeker)
    with override_settings(PRIVATE_MEDIA_ACCEL_REDIRECT="/_private/"):
        response = client.get(url(stored["video"]), headers={"Range": "bytes=10-19"})
        pdf = client.get(url(stored["pdf"]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{stored['video']}"
    assert response.content == b""
    assert not response.streaming
    assert "Content-Range" not in response  # nginx answers the range itself
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"] == 'inline; filename="answer.mp4"'
    assert_private_headers(response)
    assert pdf["X-Accel-Redirect"] == f"/_private/{stored['pdf']}"
    assert pdf["Content-Disposition"] == 'attachment; filename="cv.pdf"'


@pytest.mark.django_db
def test_x_accel_redirect_only_after_the_check(client, stored, seeker, other_seeker):
    with override_settings(PRIVATE_MEDIA_ACCEL_REDIRECT="/_private/"):
        anonymous = client.get(url(stored["video"]))
        client.force_login(other_seeker)
        refused = client.get(url(stored["video"]))
        missing = client.get(url(f"test/{other_seeker.pk}/nothing.mp4"))
    assert anonymous.status_code == 403 and refused.status_code == 404 and missing.status_code == 404
    assert not any("X-Accel-Redirect" in r for r in (anonymous, refused, missing))


@pytest.mark.django_db
def test_x_accel_redirect_quotes_the_name(client, roots, checks, seeker):
    name = storages["private"].save(f"test/{seeker.pk}/une vidéo?.mp4", ContentFile(b"x"))
    client.force_login(seeker)
    with override_settings(PRIVATE_MEDIA_ACCEL_REDIRECT="/_private/"):
        response = client.get(storages["private"].url(name))
    assert response["X-Accel-Redirect"] == f"/_private/test/{seeker.pk}/une%20vid%C3%A9o%3F.mp4"


def test_nginx_example_has_the_matching_internal_location():
    conf = (Path(settings.BASE_DIR) / "site" / "nginx.conf.example").read_text()
    block = conf.split("location /_private/ {", 1)[1].split("}", 1)[0]
    assert "internal;" in block
    assert "alias /srv/tremplin/var/private/;" in block
    env_example = (Path(settings.BASE_DIR) / "site" / "env.example").read_text()
    assert "PRIVATE_MEDIA_ROOT=/srv/tremplin/var/private\n" in env_example


# --- A remote (S3-like) storage: redirect to a signed URL after the check -----------------------


class SignedRemoteStorage(PrivateURLMixin, Storage):
    """Like an S3 storage: no local path (Storage.path raises), and signed URLs."""

    def __init__(self):
        self.files = {}

    def _save(self, name, content):
        self.files[name] = content.read()
        return name

    def _open(self, name, mode="rb"):
        return ContentFile(self.files[name], name=name)

    def exists(self, name):
        return name in self.files

    def signed_url(self, name):
        return f"https://bucket.example/{name}?signature=abc&expires=60"


@pytest.mark.django_db
def test_a_storage_without_local_paths_redirects_to_a_signed_url(client, checks, seeker, other_seeker):
    backend = {"BACKEND": f"{__name__}.SignedRemoteStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "private": backend}):
        name = storages["private"].save(f"test/{seeker.pk}/answer.webm", ContentFile(b"x"))
        assert storages["private"].url(name) == f"/fichiers/{name}"
        client.force_login(seeker)
        response = client.get(url(name))
        missing = client.get(url(f"test/{seeker.pk}/nothing.webm"))
        client.force_login(other_seeker)
        refused = client.get(url(name))
    assert response.status_code == 302
    assert response["Location"] == f"https://bucket.example/{name}?signature=abc&expires=60"
    assert "no-store" in response["Cache-Control"]
    assert missing.status_code == refused.status_code == 404


# --- Never reachable through the public media URL ------------------------------------------------


@pytest.mark.django_db
def test_private_files_are_not_under_media_url(client, stored, seeker, roots):
    client.force_login(seeker)
    for name in stored.values():
        assert client.get(settings.MEDIA_URL + name).status_code == 404
    # The development media server (urls.py adds it when DEBUG is on) cannot reach
    # them either, by name or by climbing out of MEDIA_ROOT.
    with override_settings(DEBUG=True):
        (pattern,) = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
    request = RequestFactory().get("/")
    for name in stored.values():
        for path in (name, f"../private/{name}"):
            match = pattern.resolve(settings.MEDIA_URL.lstrip("/") + path)
            with pytest.raises((Http404, SuspiciousFileOperation)):
                match.func(request, *match.args, **match.kwargs)
