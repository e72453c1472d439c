"""WebVTT validation (media.captions) and the captions admin (a Wagtail ModelViewSet)."""

import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from media.captions import MAX_CAPTION_BYTES, WebVTTError, check_webvtt, validate_webvtt_file
from media.models import Asset, Caption, ProcessingStatus

VALID_VTT = b"""WEBVTT

00:00.000 --> 00:02.500
Bonjour et bienvenue.

00:02.500 --> 00:05.000
Dans cette le\xc3\xa7on, votre CV.
"""


# ---------------------------------------------------------------------------
# Helpers shared with test_admin.py and test_player.py
# ---------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def _stored(folder, extension, content=b"fake"):
    return default_storage.save(f"media/{folder}/{uuid.uuid4().hex}.{extension}", ContentFile(content))


def make_asset(
    title="Réussir son entretien",
    *,
    status=ProcessingStatus.READY,
    renditions=("rendition_360", "rendition_720", "rendition_audio", "poster"),
    captions=(),
    uploaded_by=None,
    **fields,
):
    """An asset as the pipeline leaves it, with small fake files (no ffmpeg needed)."""
    asset = Asset.objects.create(
        title=title,
        type="video",
        file=ContentFile(b"original", name="original.mp4"),
        uploaded_by_user=uploaded_by,
    )
    files = {
        "rendition_360": ("renditions", "mp4"),
        "rendition_720": ("renditions", "mp4"),
        "rendition_audio": ("renditions", "m4a"),
        "poster": ("posters", "jpg"),
    }
    values = {"status": status, "duration": 125.0, "width": 1280, "height": 720}
    if status == ProcessingStatus.READY:
        values.update({kind: _stored(*files[kind]) for kind in renditions})
    values.update(fields)
    # An update, not save(): whatever the pipeline's signal handlers do on save, the
    # asset is in exactly the state each test describes.
    Asset.objects.filter(pk=asset.pk).update(**values)
    asset.refresh_from_db()
    for language in captions:
        add_caption(asset, language)
    return asset


def add_caption(asset, language, content=VALID_VTT):
    return Caption.objects.create(asset=asset, language=language, file=ContentFile(content, name="c.vtt"))


def vtt_upload(content, name="legendes.vtt"):
    return SimpleUploadedFile(name, content, content_type="text/vtt")


# ---------------------------------------------------------------------------
# The validator
# ---------------------------------------------------------------------------
VALID_FILES = {
    "minimal": VALID_VTT,
    "bom-crlf-hours-and-header-text": (
        "\ufeffWEBVTT - Leçon 1\r\n\r\n01:00:00.000 --> 01:00:01.000\r\nFin.\r\n".encode()
    ),
    "header-metadata-lines": b"WEBVTT\nKind: captions\nLanguage: fr\n\n00:01.000 --> 00:02.000\nA\n",
    "identifiers-settings-note-style-region": b"""WEBVTT

STYLE
::cue { color: yellow; }

REGION
id:bas
width:40%

NOTE Relu par l'equipe

intro
00:00:00.000 --> 00:00:01.000 align:start position:10% line:-2 size:80% region:bas
<v Marie>Bonjour</v>

2
00:00:01.000 --> 00:00:03.000 vertical:rl line:50%,end position:50%,center
Deux lignes
de texte

NOTE
plusieurs lignes
de commentaire
""",
    "no-spaces-around-arrow-and-cr-only": b"WEBVTT\r\r00:01.000-->00:02.000\rA\r",
    "trailing-whitespace-blank-lines": b"WEBVTT   \n  \n00:01.000 --> 00:02.000\nA\n   \n00:02.000 --> 00:03.000\nB",
    "empty-cue-text": b"WEBVTT\n\n00:01.000 --> 00:02.000\n\n00:03.000 --> 00:04.000\nB\n",
}


@pytest.mark.parametrize("content", VALID_FILES.values(), ids=VALID_FILES.keys())
def test_valid_webvtt_files_are_accepted(content):
    assert check_webvtt(content) >= 1
    validate_webvtt_file(vtt_upload(content))  # no error


MALFORMED_FILES = {
    # name: (content, line that is wrong, words of the message)
    "empty": (b"", 1, "WEBVTT"),
    "missing-header": (b"00:01.000 --> 00:02.000\nBonjour\n", 1, "WEBVTT"),
    "lowercase-header": (b"webvtt\n\n00:01.000 --> 00:02.000\nA\n", 1, "WEBVTT"),
    "header-glued-to-text": (b"WEBVTTX\n\n00:01.000 --> 00:02.000\nA\n", 1, "WEBVTT"),
    "no-blank-line-after-header": (b"WEBVTT\n00:01.000 --> 00:02.000\nA\n", 2, "blank line"),
    "seconds-over-59": (b"WEBVTT\n\n00:00:61.000 --> 00:01:02.000\nA\n", 3, "00:00:61.000"),
    "two-digit-milliseconds": (b"WEBVTT\n\n00:01.00 --> 00:02.000\nA\n", 3, "00:01.00"),
    "srt-comma": (b"WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nA\n", 3, "comma"),
    "one-digit-hour": (b"WEBVTT\n\n1:00:01.000 --> 1:00:02.000\nA\n", 3, "1:00:01.000"),
    "end-before-start": (b"WEBVTT\n\nNOTE ok\n\n00:05.000 --> 00:04.000\nA\n", 5, "ends before"),
    "end-equals-start": (b"WEBVTT\n\n00:05.000 --> 00:05.000\nA\n", 3, "ends before"),
    "missing-end": (b"WEBVTT\n\n00:05.000 -->\nA\n", 3, "no end time"),
    "arrow-twice": (b"WEBVTT\n\n00:01.000 --> 00:02.000 --> 00:03.000\nA\n", 3, "more than once"),
    "missing-blank-line-between-cues": (
        b"WEBVTT\n\n00:01.000 --> 00:02.000\nA\n00:02.000 --> 00:03.000\nB\n",
        5,
        "blank line",
    ),
    "arrow-in-note": (b"WEBVTT\n\nNOTE voir 00:01.000 --> 00:02.000\n", 3, "NOTE"),
    "style-after-cue": (b"WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\nSTYLE\n::cue {}\n", 6, "STYLE"),
    "identifier-without-timing": (b"WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\nintro\nBonjour\n", 7, "timing"),
    "text-alone": (b"WEBVTT\n\nBonjour\n", 3, "timing"),
    "unknown-setting": (b"WEBVTT\n\n00:01.000 --> 00:02.000 colour:red\nA\n", 3, "colour:red"),
    "bad-setting-value": (b"WEBVTT\n\n00:01.000 --> 00:02.000 align:middle\nA\n", 3, "align:middle"),
    "cues-out-of-order": (
        b"WEBVTT\n\n00:05.000 --> 00:06.000\nA\n\n00:01.000 --> 00:02.000\nB\n",
        6,
        "order",
    ),
    "no-cue": (b"WEBVTT\n\nNOTE rien\n", 4, "no cue"),
    "binary": (b"WEBVTT\n\n\x00\x01\x02\x03", 3, "binary"),
    "mp4-renamed": (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", 1, "binary"),
    "latin-1": (b"WEBVTT\n\n00:01.000 --> 00:02.000\nLe\xe7on\n", 4, "UTF-8"),
    "control-character": (b"WEBVTT\n\n00:01.000 --> 00:02.000\nA\x1bB\n", 4, "control character"),
}


@pytest.mark.parametrize(("content", "line", "words"), MALFORMED_FILES.values(), ids=MALFORMED_FILES.keys())
def test_malformed_webvtt_files_are_refused_with_the_wrong_line(content, line, words):
    with translation.override("en"):
        with pytest.raises(WebVTTError) as error:
            check_webvtt(content)
        assert error.value.line == line
        assert words in str(error.value.problem)

        with pytest.raises(ValidationError) as validation_error:
            validate_webvtt_file(vtt_upload(content))
        message = validation_error.value.messages[0]
        assert f"Line {line}:" in message
        assert words in message


def test_the_message_is_translated_into_french():
    content = b"WEBVTT\n\n00:01.000 --> 00:02.000\nA\n00:02.000 --> 00:03.000\n"
    with translation.override("fr"):
        with pytest.raises(ValidationError) as error:
            validate_webvtt_file(vtt_upload(content))
        message = error.value.messages[0]
    assert "Ligne 5 :" in message
    assert "manque-t-il une ligne vide" in message


def test_an_oversized_file_is_refused_before_it_is_read():
    content = b"WEBVTT\n\n" + b"00:01.000 --> 00:02.000\n" + b"A" * MAX_CAPTION_BYTES
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_webvtt_file(vtt_upload(content))
    assert error.value.code == "too_large"
    with pytest.raises(WebVTTError):
        check_webvtt(content)


def test_validator_leaves_the_file_readable_from_the_start():
    upload = vtt_upload(VALID_VTT)
    validate_webvtt_file(upload)
    assert upload.read() == VALID_VTT
    assert io.BytesIO(VALID_VTT).read(6) == b"WEBVTT"


# ---------------------------------------------------------------------------
# The captions admin
# ---------------------------------------------------------------------------
ADD_URL = "/admin/media/captions/new/"


@pytest.mark.django_db
def test_editor_adds_french_captions_from_the_videos_page(client, editor):
    asset = make_asset()
    client.force_login(editor)
    back = f"/admin/media/edit/{asset.pk}/"

    form = client.get(ADD_URL, {"asset": asset.pk, "language": "fr", "next": back})
    assert form.status_code == 200
    html = form.content.decode()
    assert f'value="{asset.pk}"' in html  # the video is chosen already
    assert f"next={back.replace('/', '%2F')}" in html  # kept through the POST

    response = client.post(
        f"{ADD_URL}?next={back}",
        {"asset": asset.pk, "language": "fr", "file": vtt_upload(VALID_VTT)},
    )
    assert response.status_code == 302
    assert response["Location"] == back
    caption = Caption.objects.get(asset=asset)
    assert caption.language == "fr"
    assert caption.file.name.startswith("media/captions/") and caption.file.name.endswith(".vtt")
    assert "legendes" not in caption.file.name  # never the client's file name
    assert caption.file.read() == VALID_VTT


@pytest.mark.django_db
def test_a_malformed_file_is_refused_with_its_line_number(client, editor):
    asset = make_asset()
    client.force_login(editor)
    bad = b"WEBVTT\n\n00:01.000 --> 00:02.000\nBonjour\n00:02.000 --> 00:03.000\nSuite\n"
    # The admin speaks French (LANGUAGE_CODE), like the editors.
    response = client.post(ADD_URL, {"asset": asset.pk, "language": "fr", "file": vtt_upload(bad)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce n’est pas un fichier WebVTT valide. Ligne 5 :" in html
    assert not Caption.objects.exists()


@pytest.mark.django_db
def test_one_captions_file_per_language(client, editor):
    asset = make_asset(captions=["fr"])
    client.force_login(editor)
    response = client.post(ADD_URL, {"asset": asset.pk, "language": "fr", "file": vtt_upload(VALID_VTT)})
    assert response.status_code == 200
    assert Caption.objects.count() == 1


@pytest.mark.django_db
def test_replacing_a_file_deletes_the_old_one(client, editor, django_capture_on_commit_callbacks):
    asset = make_asset()
    caption = add_caption(asset, "fr")
    old_name = caption.file.name
    client.force_login(editor)
    new = VALID_VTT.replace(b"Bonjour", b"Salut")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/media/captions/edit/{caption.pk}/",
            {"asset": asset.pk, "language": "fr", "file": vtt_upload(new)},
        )
    assert response.status_code == 302
    caption.refresh_from_db()
    assert caption.file.read() == new
    assert not default_storage.exists(old_name)


@pytest.mark.django_db
def test_editing_without_a_new_file_keeps_the_current_one(client, editor):
    asset = make_asset()
    caption = add_caption(asset, "fr")
    client.force_login(editor)
    response = client.post(f"/admin/media/captions/edit/{caption.pk}/", {"asset": asset.pk, "language": "en"})
    assert response.status_code == 302
    caption.refresh_from_db()
    assert caption.language == "en"
    assert default_storage.exists(caption.file.name)


@pytest.mark.django_db
def test_deleting_captions_deletes_the_file(client, editor, django_capture_on_commit_callbacks):
    caption = add_caption(make_asset(), "fr")
    name = caption.file.name
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/media/captions/delete/{caption.pk}/")
    assert response.status_code == 302
    assert not Caption.objects.exists()
    assert not default_storage.exists(name)


@pytest.mark.django_db
def test_captions_follow_the_permission_on_their_video(client, editor, owner_only_editor):
    theirs = make_asset("La vidéo d'une autre", uploaded_by=editor)
    own = make_asset("Ma vidéo", uploaded_by=owner_only_editor)
    their_caption = add_caption(theirs, "fr")
    client.force_login(owner_only_editor)

    listing = client.get("/admin/media/captions/").content.decode()
    assert "Ma vidéo" not in listing  # no caption yet
    assert "La vidéo d&#x27;une autre" not in listing and "La vidéo d'une autre" not in listing
    assert client.get(f"/admin/media/captions/edit/{their_caption.pk}/").status_code == 404
    assert client.post(f"/admin/media/captions/delete/{their_caption.pk}/").status_code == 404

    response = client.post(ADD_URL, {"asset": theirs.pk, "language": "en", "file": vtt_upload(VALID_VTT)})
    assert response.status_code == 200  # not a choice for this user
    assert not Caption.objects.filter(asset=theirs, language="en").exists()
    response = client.post(ADD_URL, {"asset": own.pk, "language": "fr", "file": vtt_upload(VALID_VTT)})
    assert response.status_code == 302
    assert Caption.objects.filter(asset=own).exists()


@pytest.mark.django_db
def test_people_without_media_permission_cannot_manage_captions(client, admin_only_user):
    caption = add_caption(make_asset(), "fr")
    client.force_login(admin_only_user)
    assert client.get("/admin/media/captions/").status_code in (302, 403)
    assert client.get(ADD_URL).status_code in (302, 403)
    assert client.post(f"/admin/media/captions/delete/{caption.pk}/").status_code in (302, 403, 404)
    assert Caption.objects.exists()


@pytest.mark.django_db
def test_captions_sit_in_the_media_submenu(client, editor):
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "/admin/media/captions/" in html
    assert "/admin/media/" in html


# ---------------------------------------------------------------------------
# Users for the permission tests
# ---------------------------------------------------------------------------
@pytest.fixture
def admin_only_user(db):
    """May enter the admin, nothing about media."""
    from django.contrib.auth.models import Group, Permission

    from tests.factories import UserFactory

    group = Group.objects.create(name="Admin access only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = UserFactory(email="acces-admin@exemple.test")
    user.groups.add(group)
    return user


@pytest.fixture
def owner_only_editor(db):
    """May add media (and so change their own), not change anyone else's."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission

    from tests.factories import UserFactory

    group = Group.objects.create(name="Uploaders")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupCollectionPermission.objects.create(
        group=group,
        collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(content_type__app_label="wagtailmedia", codename="add_media"),
    )
    user = UserFactory(email="depose@exemple.test")
    user.groups.add(group)
    return user
