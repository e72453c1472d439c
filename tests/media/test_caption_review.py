"""Automatic draft captions in the admin and on the site: never shown to visitors, reviewed
beside the video, corrected and published by an editor; the page warning tells a draft
to review from missing captions."""

import re

import pytest
from django.core.files.base import ContentFile

from media.models import Caption, CaptionStatus
from tests.courses import conftest as courses_fixtures
from tests.courses import test_cache
from tests.factories import courses as build
from tests.media import test_captions
from tests.media.test_admin import WARNING, put_videos_on
from tests.media.test_captions import VALID_VTT, make_asset
from tests.media.test_player import player_html, show

media_root = test_captions.media_root  # fixture: files under a temporary MEDIA_ROOT
owner_only_editor = test_captions.owner_only_editor
catalogue, course, enrolled = courses_fixtures.catalogue, courses_fixtures.course, test_cache.enrolled

pytestmark = pytest.mark.django_db

DRAFT_WARNING = "brouillon automatique à relire"


def add_draft(asset, content=VALID_VTT):
    return Caption.objects.create(
        asset=asset,
        language="fr",
        status=CaptionStatus.DRAFT,
        automatic=True,
        file=ContentFile(content, name="draft.vtt"),
    )


def edit_url(caption):
    return f"/admin/media/captions/edit/{caption.pk}/"


def form_data(caption, **extra):
    return {"asset": caption.asset_id, "language": caption.language, **extra}


# ---------------------------------------------------------------------------
# Visitors never see a draft
# ---------------------------------------------------------------------------
def test_a_draft_is_not_offered_by_the_player_until_an_editor_publishes_it(client, editor, home_page):
    asset = make_asset("Se présenter", captions=["en"])
    draft = add_draft(asset)
    show(home_page, asset)

    player = player_html(client.get("/").content.decode())
    tracks = re.findall(r"<track [^>]*>", player)
    assert len(tracks) == 1 and 'srclang="en"' in tracks[0]
    assert draft.file.url not in player  # no track, no download link

    editor_client = client.__class__()
    editor_client.force_login(editor)
    response = editor_client.post(edit_url(draft), form_data(draft, publish="publish"))
    assert response.status_code == 302

    player = player_html(client.get("/").content.decode())
    french = [track for track in re.findall(r"<track [^>]*>", player) if 'srclang="fr"' in track]
    assert len(french) == 1 and f'src="{draft.file.url}"' in french[0] and french[0].endswith(" default>")


def test_a_seeker_sees_the_draft_on_a_cached_lesson_only_once_published(client, editor, course, enrolled):
    asset = make_asset("La vidéo de la leçon")
    draft = add_draft(asset)
    lesson = build.lessons_of(course)[0]
    lesson.body = [("video", {"video": asset, "caption": "", "transcript": ""})]
    lesson.save_revision().publish()

    html = client.get(lesson.url).content.decode()  # the seeker's; the body is cached now
    assert "<video" in html and "<track " not in html and draft.file.url not in html

    editor_client = client.__class__()
    editor_client.force_login(editor)
    assert editor_client.post(edit_url(draft), form_data(draft, publish="publish")).status_code == 302

    html = client.get(lesson.url).content.decode()
    assert re.search(rf'<track kind="captions" src="{re.escape(draft.file.url)}" srclang="fr"', html)


# ---------------------------------------------------------------------------
# Reviewing a draft in the captions admin
# ---------------------------------------------------------------------------
def test_the_draft_is_shown_on_its_video_with_its_text_to_correct(client, editor):
    asset = make_asset("Se présenter")
    draft = add_draft(asset)
    client.force_login(editor)
    response = client.get(edit_url(draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert "brouillon automatique" in html
    video = re.search(r"<video [^>]*>\s*<track [^>]*>", html).group(0)
    assert f'src="{asset.rendition_360.url}"' in video
    assert f'src="{draft.file.url}"' in video and 'kind="captions"' in video and "brouillon" in video
    textarea = re.search(r"<textarea [^>]*>(.*?)</textarea>", html, re.DOTALL)
    assert 'lang="fr"' in textarea.group(0)
    assert "Bonjour et bienvenue." in textarea.group(1)
    assert re.search(
        r'<button type="submit" name="publish" value="publish"[^>]*>\s*Enregistrer et publier', html
    )


def test_the_draft_gives_the_words_alone_for_the_videos_transcript(client, editor):
    draft = add_draft(make_asset())
    client.force_login(editor)
    html = client.get(edit_url(draft)).content.decode()
    transcript = re.search(
        r'<textarea id="media-caption-transcript-text"[^>]*>(.*?)</textarea>', html, re.DOTALL
    )
    assert "readonly" in transcript.group(0)
    assert transcript.group(1) == "Bonjour et bienvenue. Dans cette leçon, votre CV."
    assert "Transcription" in html.split('id="media-caption-transcript-help"', 1)[1].split("</p>", 1)[0]


def test_a_published_caption_has_no_publish_action(client, editor):
    caption = test_captions.add_caption(make_asset(), "fr")
    client.force_login(editor)
    html = client.get(edit_url(caption)).content.decode()
    assert 'name="publish"' not in html and "brouillon" not in html


def test_correcting_and_publishing_a_draft(client, editor, django_capture_on_commit_callbacks):
    draft = add_draft(make_asset())
    old_name = draft.file.name
    client.force_login(editor)
    corrected = VALID_VTT.decode().replace("Bonjour et bienvenue.", "Bonjour à toutes et à tous.")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit_url(draft), form_data(draft, text=corrected.replace("\n", "\r\n"), publish="publish")
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.automatic) == (CaptionStatus.PUBLISHED, False)
    assert draft.file.read().decode() == corrected
    assert draft.file.name != old_name and not draft.file.storage.exists(old_name)
    followed = client.get(response["Location"]).content.decode()
    assert "publiés : les visiteurs les voient désormais." in followed


def test_saving_a_correction_without_publishing_keeps_a_draft(client, editor):
    draft = add_draft(make_asset())
    client.force_login(editor)
    corrected = VALID_VTT.decode().replace("votre CV", "votre curriculum vitae")
    response = client.post(edit_url(draft), form_data(draft, text=corrected))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.automatic) == (CaptionStatus.DRAFT, False)  # an editor's now
    assert draft.file.read().decode() == corrected


def test_publishing_without_changes_keeps_the_file(client, editor):
    draft = add_draft(make_asset())
    name = draft.file.name
    client.force_login(editor)
    response = client.post(edit_url(draft), form_data(draft, text=VALID_VTT.decode(), publish="publish"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == CaptionStatus.PUBLISHED and draft.file.name == name


def test_a_broken_correction_is_refused_with_its_line(client, editor):
    draft = add_draft(make_asset())
    client.force_login(editor)
    broken = VALID_VTT.decode().replace("00:02.500 --> 00:05.000", "00:02,500 --> 00:05.000")
    response = client.post(edit_url(draft), form_data(draft, text=broken, publish="publish"))
    assert response.status_code == 200
    assert "Ligne 6" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == CaptionStatus.DRAFT and draft.file.read() == VALID_VTT


def test_an_editor_who_may_not_change_the_video_cannot_publish_its_draft(client, editor, owner_only_editor):
    draft = add_draft(make_asset(uploaded_by=editor))
    client.force_login(owner_only_editor)
    assert client.get(edit_url(draft)).status_code == 404
    response = client.post(edit_url(draft), form_data(draft, publish="publish"))
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == CaptionStatus.DRAFT


def test_the_captions_listing_shows_and_filters_the_drafts(client, editor):
    draft = add_draft(make_asset("Avec un brouillon"))
    test_captions.add_caption(make_asset("Déjà publiée"), "fr")
    client.force_login(editor)
    listing = client.get("/admin/media/captions/").content.decode()
    assert "Brouillon à relire" in listing and "Publiés" in listing
    drafts = client.get("/admin/media/captions/", {"status": "draft"}).content.decode()
    assert edit_url(draft) in drafts and "Déjà publiée" not in drafts


def test_the_videos_page_offers_to_review_the_draft(client, editor):
    asset = make_asset()
    draft = add_draft(asset)
    client.force_login(editor)
    html = client.get(f"/admin/media/edit/{asset.pk}/").content.decode()
    row = re.search(r'<tr data-language="fr">.*?</tr>', html, re.DOTALL).group(0)
    assert "Brouillon à relire" in row and "Relire et publier" in row and edit_url(draft) in row


# ---------------------------------------------------------------------------
# The page warning
# ---------------------------------------------------------------------------
def test_the_page_warning_tells_a_draft_to_review_from_missing_captions(client, editor, home_page):
    missing = make_asset("Sans rien", captions=["en"])
    drafted = make_asset("Brouillon seulement", captions=["en"])
    draft = add_draft(drafted)
    published = make_asset("Déjà sous-titrée", captions=["fr"])
    put_videos_on(home_page, missing, drafted, published)
    client.force_login(editor)
    html = client.get(f"/admin/pages/{home_page.pk}/edit/").content.decode()

    missing_warning = html.split(WARNING, 1)[1].split("</li>", 1)[0]
    assert "Sans rien" in missing_warning and "Brouillon seulement" not in missing_warning
    draft_warning = html.split(DRAFT_WARNING, 1)[1].split("</li>", 1)[0]
    assert "Brouillon seulement" in draft_warning and "Sans rien" not in draft_warning
    assert edit_url(draft) in draft_warning
    assert "Déjà sous-titrée" not in missing_warning + draft_warning


def test_only_a_draft_gives_only_the_draft_warning(client, editor, home_page):
    asset = make_asset("Brouillon seulement")
    add_draft(asset)
    put_videos_on(home_page, asset)
    client.force_login(editor)
    html = client.get(f"/admin/pages/{home_page.pk}/edit/").content.decode()
    assert DRAFT_WARNING in html and WARNING not in html
