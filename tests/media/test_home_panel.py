"""The editors' panel on the admin home (media.home_panel): videos on live pages without
published French captions, media that failed; pages in moderation stay Wagtail's."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from media.models import Caption, CaptionStatus, ProcessingStatus, TranscriptionStatus
from tests.factories.media import collection_media_editor
from tests.media import test_admin, test_captions
from tests.media.test_admin import put_videos_on
from tests.media.test_caption_review import add_draft
from tests.media.test_captions import make_asset

media_root = test_captions.media_root
admin_only_user = test_captions.admin_only_user
administrator = test_admin.administrator

pytestmark = pytest.mark.django_db

HOME = "/admin/"


def rows(html, table):
    body = re.search(rf'<table class="[^"]*{table}".*?</table>', html, re.DOTALL)
    if body is None:
        return {}
    return {
        int(asset_id): row
        for asset_id, row in re.findall(r'<tr data-asset="(\d+)">(.*?)</tr>', body.group(0), re.DOTALL)
    }


def test_the_panel_lists_what_needs_the_editors(client, editor, home_page):
    missing = make_asset("Sans sous-titres", captions=["en"])
    drafted = make_asset("Avec un brouillon")
    draft = add_draft(drafted)
    transcribing = make_asset("En cours de transcription", transcription_status=TranscriptionStatus.RUNNING)
    published = make_asset("Déjà sous-titrée", captions=["fr"])
    only_in_a_draft = make_asset("Dans un brouillon de page")
    make_asset("Pas utilisée")  # on no page
    failed = make_asset(
        "Fichier illisible", status=ProcessingStatus.FAILED, failure_reason="Ce fichier n’est pas une vidéo."
    )
    put_videos_on(home_page, missing, drafted, transcribing, published)
    put_videos_on(home_page, missing, drafted, transcribing, published, only_in_a_draft, publish=False)

    client.force_login(editor)
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Médias à revoir" in html

    videos = rows(html, "media-to-review-captions")
    assert set(videos) == {missing.pk, drafted.pk, transcribing.pk}
    assert "3 vidéos sur des pages en ligne sans sous-titres en français publiés" in html
    assert f"/admin/media/captions/edit/{draft.pk}/" in videos[drafted.pk]
    assert "Relire le brouillon" in videos[drafted.pk]
    assert f"/admin/media/captions/new/?asset={missing.pk}&amp;language=fr" in videos[missing.pk]
    assert "Brouillon automatique en préparation" in videos[transcribing.pk]
    assert f'href="/admin/pages/{home_page.pk}/edit/">Tremplin</a>' in videos[missing.pk]

    failures = rows(html, "media-to-review-failed")
    assert set(failures) == {failed.pk}
    assert f'href="/admin/media/edit/{failed.pk}/"' in failures[failed.pk]
    assert "Ce fichier n’est pas une vidéo." in failures[failed.pk]


def test_publishing_the_draft_takes_the_video_off_the_panel(client, editor, home_page):
    drafted = make_asset("Avec un brouillon")
    draft = add_draft(drafted)
    put_videos_on(home_page, drafted)
    client.force_login(editor)
    assert drafted.pk in rows(client.get(HOME).content.decode(), "media-to-review-captions")
    Caption.objects.filter(pk=draft.pk).update(status=CaptionStatus.PUBLISHED)
    html = client.get(HOME).content.decode()
    assert "Médias à revoir" not in html  # nothing left: no empty panel


def test_the_panel_shows_only_the_media_the_editor_may_change(client, editor, home_page):
    regional = collection_media_editor()
    theirs = make_asset("Vidéo d'une autre agence", uploaded_by=editor)
    own = make_asset("Vidéo de l'agence", collection=regional.collection)
    make_asset("Échec ailleurs", status=ProcessingStatus.FAILED, failure_reason="Trop long.")
    put_videos_on(home_page, theirs, own)
    client.force_login(regional)
    html = client.get(HOME).content.decode()
    assert set(rows(html, "media-to-review-captions")) == {own.pk}
    assert rows(html, "media-to-review-failed") == {}


def test_no_panel_for_someone_without_media_permission(client, admin_only_user, home_page):
    put_videos_on(home_page, make_asset("Sans sous-titres"))
    make_asset("Échec", status=ProcessingStatus.FAILED, failure_reason="Trop long.")
    client.force_login(admin_only_user)
    response = client.get(HOME)
    assert response.status_code == 200
    assert "Médias à revoir" not in response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_videos(client, editor, home_page):
    def queries_for(count):
        assets = []
        for number in range(count):
            asset = make_asset(f"Vidéo {number}")
            if number % 2:
                add_draft(asset)
            assets.append(asset)
            make_asset(f"Échec {number}", status=ProcessingStatus.FAILED, failure_reason="Trop long.")
        put_videos_on(home_page, *assets)
        client.get(HOME)  # warm the per-process caches (content types, site)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(HOME).content.decode()
        assert len(rows(html, "media-to-review-captions")) == count
        return len(queries)

    client.force_login(editor)
    few = queries_for(2)
    Caption.objects.all().delete()
    assert queries_for(8) == few


def test_pages_in_moderation_are_left_to_wagtails_own_panels(client, editor, administrator, home_page):
    home_page.title = "Accueil à relire"
    home_page.save_revision(user=editor)
    home_page.get_workflow().start(home_page, editor)

    client.force_login(editor)
    html = client.get(HOME).content.decode()
    submitted = html.split('id="objects-in-workflow-section"', 1)[1]
    assert f'href="/admin/pages/{home_page.pk}/edit/"' in submitted.split("</section>", 1)[0]
    assert "Médias à revoir" not in html  # no twin of Wagtail's panel

    client.force_login(administrator)
    html = client.get(HOME).content.decode()
    awaiting = html.split('id="awaiting-review-section"', 1)[1]
    assert f'href="/admin/pages/{home_page.pk}/edit/"' in awaiting.split("</section>", 1)[0]
