"""The media library in Wagtail's admin: status, retry, details, and the captions warning on pages."""

import re
import sys
import types
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import ReferenceIndex

from media.models import ProcessingStatus
from tests.factories.media import collection_media_editor
from tests.media import test_captions
from tests.media.test_captions import make_asset

# Fixtures shared with the captions tests.
media_root = test_captions.media_root
admin_only_user = test_captions.admin_only_user
owner_only_editor = test_captions.owner_only_editor

LISTING = "/admin/media/"


def edit_url(asset):
    return f"/admin/media/edit/{asset.pk}/"


def retry_url(asset):
    return f"/admin/media/retry/{asset.pk}/"


@pytest.fixture
def administrator(db):
    from accounts.models import Role
    from tests.factories import UserFactory

    return UserFactory(email="admin@exemple.test", role=Role.ADMIN)


@pytest.fixture
def retried(monkeypatch):
    """Record the calls to media.jobs.retry_processing (the pipeline's, or a stand-in)."""
    calls = []
    try:
        import media.jobs as jobs
    except ImportError:
        jobs = types.ModuleType("media.jobs")
        monkeypatch.setitem(sys.modules, "media.jobs", jobs)
    monkeypatch.setattr(jobs, "retry_processing", calls.append, raising=False)
    return calls


# ---------------------------------------------------------------------------
# Listing
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_listing_shows_status_duration_dimensions_and_why_it_failed(client, editor):
    ready = make_asset("Vidéo prête", duration=3725.4)
    make_asset("Vidéo en attente", status=ProcessingStatus.PENDING, duration=0, width=None, height=None)
    make_asset("Vidéo en cours", status=ProcessingStatus.PROCESSING, processing_started_at=timezone.now())
    failed = make_asset(
        "Vidéo ratée",
        status=ProcessingStatus.FAILED,
        failure_reason="Ce fichier n'est pas une vidéo (format texte).",
        processing_log="ffmpeg: Invalid data found when processing input",
    )
    client.force_login(editor)
    response = client.get(LISTING)
    assert response.status_code == 200
    html = response.content.decode()

    def row(asset):
        match = re.search(rf'<tr id="media-row-{asset.pk}".*?</tr>', html, re.DOTALL)
        assert match, asset.title
        return match.group(0)

    for title in ("Vidéo prête", "Vidéo en attente", "Vidéo en cours", "Vidéo ratée"):
        assert title in html
    assert "Prête" in row(ready)
    assert "1:02:05" in row(ready) and "1280×720" in row(ready)
    assert "En attente" in html and "En cours de traitement" in html
    assert "Échec" in row(failed)
    assert "Ce fichier n&#x27;est pas une vidéo (format texte)." in row(failed)
    assert "Invalid data found" not in html  # ffmpeg's output stays out of the listing
    # Retry only where it makes sense.
    assert retry_url(failed) in row(failed)
    assert retry_url(ready) not in html
    assert html.count("/admin/media/retry/") == 1


@pytest.mark.django_db
def test_a_stuck_asset_can_be_retried(client, editor, settings):
    timeout = settings.MEDIA_PROCESSING["JOB_TIMEOUT"]
    long_ago = timezone.now() - timedelta(seconds=timeout + 60)
    stuck = make_asset("Bloquée", status=ProcessingStatus.PROCESSING, processing_started_at=long_ago)
    running = make_asset("En cours", status=ProcessingStatus.PROCESSING, processing_started_at=timezone.now())
    client.force_login(editor)
    html = client.get(LISTING).content.decode()
    assert retry_url(stuck) in html
    assert retry_url(running) not in html


@pytest.mark.django_db
def test_chooser_shows_the_status_without_retry(client, editor):
    make_asset("Vidéo ratée", status=ProcessingStatus.FAILED, failure_reason="Trop longue.")
    client.force_login(editor)
    response = client.get("/admin/media/chooser/video/")
    assert response.status_code == 200
    html = response.json()["html"]
    assert "Trop longue." in html
    assert "/admin/media/retry/" not in html


# ---------------------------------------------------------------------------
# Edit page
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_edit_page_shows_status_renditions_and_captions_with_their_links(client, editor):
    asset = make_asset(captions=["en"])
    client.force_login(editor)
    response = client.get(edit_url(asset))
    assert response.status_code == 200
    html = response.content.decode()
    assert "État du traitement :" in html and "Prête" in html
    for label in ("Vidéo, 360p", "Vidéo, 720p", "Audio seul", "Image d’affiche"):
        assert label in html
    assert asset.rendition_720.url in html
    english = asset.captions.get()
    # French is missing: a link to add it, for this video, coming back here.
    assert (
        f"/admin/media/captions/new/?asset={asset.pk}&amp;language=fr&amp;next=%2Fadmin%2Fmedia%2Fedit%2F{asset.pk}%2F"
        in html
    )
    assert f"/admin/media/captions/edit/{english.pk}/?next=" in html
    assert f"/admin/media/captions/delete/{english.pk}/?next=" in html
    assert english.file.url in html
    assert "2:05" in html and "1280×720" in html


@pytest.mark.django_db
def test_processing_log_is_for_administrators_only(client, editor, administrator):
    asset = make_asset(
        status=ProcessingStatus.FAILED,
        failure_reason="La vidéo dépasse deux heures.",
        processing_log="[mov,mp4] moov atom not found",
    )
    client.force_login(editor)
    html = client.get(edit_url(asset)).content.decode()
    assert "La vidéo dépasse deux heures." in html
    assert "moov atom not found" not in html

    client.force_login(administrator)
    html = client.get(edit_url(asset)).content.decode()
    assert "moov atom not found" in html
    assert "La vidéo dépasse deux heures." in html


# ---------------------------------------------------------------------------
# Retry
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_retry_restarts_the_processing_of_a_failed_asset(client, editor, retried):
    asset = make_asset(status=ProcessingStatus.FAILED, failure_reason="Délai dépassé.")
    client.force_login(editor)
    response = client.post(retry_url(asset), {"next": LISTING})
    assert response.status_code == 302
    assert response["Location"] == LISTING
    assert [a.pk for a in retried] == [asset.pk]
    page = client.get(LISTING).content.decode()
    assert "va être traitée de nouveau" in page


@pytest.mark.django_db
def test_retry_with_the_real_job_sets_the_asset_pending(
    client, editor, queues, django_capture_on_commit_callbacks
):
    pytest.importorskip("media.jobs")
    from media.jobs import retry_processing  # noqa: F401 - the pipeline's function exists

    asset = make_asset(status=ProcessingStatus.FAILED, failure_reason="Délai dépassé.")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url(asset))
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.status == ProcessingStatus.PENDING


@pytest.mark.django_db
def test_retry_of_a_ready_asset_does_nothing(client, editor, retried):
    asset = make_asset()
    client.force_login(editor)
    response = client.post(retry_url(asset))
    assert response.status_code == 302
    assert retried == []


@pytest.mark.django_db
def test_retry_is_a_post(client, editor, retried):
    asset = make_asset(status=ProcessingStatus.FAILED)
    client.force_login(editor)
    assert client.get(retry_url(asset)).status_code == 405
    assert retried == []


@pytest.mark.django_db
def test_retry_needs_the_csrf_token(editor, retried):
    asset = make_asset(status=ProcessingStatus.FAILED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(retry_url(asset)).status_code == 403
    assert retried == []

    # With the token of the listing's form, it goes through.
    html = client.get(LISTING).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert client.post(retry_url(asset), {"csrfmiddlewaretoken": token}).status_code == 302
    assert len(retried) == 1


def assert_refused(response):
    """Wagtail's admin answers a PermissionDenied with a redirect to its home and a message."""
    assert response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


@pytest.mark.django_db
def test_retry_needs_permission_to_change_the_asset(
    client, editor, owner_only_editor, admin_only_user, retried
):
    someone_elses = make_asset(status=ProcessingStatus.FAILED, uploaded_by=editor)
    own = make_asset(status=ProcessingStatus.FAILED, uploaded_by=owner_only_editor)

    client.force_login(admin_only_user)
    assert_refused(client.post(retry_url(someone_elses)))

    client.force_login(owner_only_editor)
    assert_refused(client.post(retry_url(someone_elses)))
    assert retried == []
    assert client.post(retry_url(own)).status_code == 302
    assert [a.pk for a in retried] == [own.pk]


@pytest.mark.django_db
def test_anonymous_visitors_cannot_retry(client, retried):
    asset = make_asset(status=ProcessingStatus.FAILED)
    response = client.post(retry_url(asset))
    assert response.status_code == 302
    assert "/login/" in response["Location"] or "connexion" in response["Location"]
    assert retried == []


def usage_url(asset):
    return f"/admin/media/usage/{asset.pk}/"


@pytest.fixture
def collection_editor(db):
    """May add, change and delete media in one collection ("Agence Nord") only."""
    return collection_media_editor()


@pytest.mark.django_db
def test_the_usage_page_needs_permission_to_change_the_asset(client, collection_editor):
    """Like the edit and delete pages: an asset of another collection is refused."""
    elsewhere = make_asset("Vidéo d’une autre agence")
    own = make_asset("Vidéo de l’Agence Nord", collection=collection_editor.collection)
    client.force_login(collection_editor)

    assert_refused(client.get(edit_url(elsewhere)))
    assert_refused(client.get(usage_url(elsewhere)))
    assert client.get(usage_url(own)).status_code == 200
    assert client.get(edit_url(own)).status_code == 200


@pytest.mark.django_db
def test_the_usage_page_lists_where_the_asset_is_used(client, editor):
    asset = make_asset("Vidéo utilisée")
    client.force_login(editor)
    response = client.get(usage_url(asset))
    assert response.status_code == 200
    assert "Vidéo utilisée" in response.content.decode()


# ---------------------------------------------------------------------------
# Pages using videos without French captions
# ---------------------------------------------------------------------------
WARNING = "sans sous-titres en français"


def put_videos_on(page, *assets, publish=True):
    page.body = [("video", {"video": asset, "caption": "", "transcript": ""}) for asset in assets]
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


@pytest.mark.django_db
def test_editing_a_page_warns_about_videos_without_french_captions(client, editor, home_page):
    uncaptioned = make_asset("Entretien d'embauche", captions=["en"])
    captioned = make_asset("Le CV en une page", captions=["fr"])
    put_videos_on(home_page, uncaptioned, captioned)
    # The warning is found through Wagtail's reference index.
    assert (
        ReferenceIndex.get_references_for_object(home_page).filter(to_object_id=str(uncaptioned.pk)).exists()
    )

    client.force_login(editor)
    response = client.get(f"/admin/pages/{home_page.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert WARNING in html
    assert "Entretien d&#x27;embauche" in html
    assert "Le CV en une page" not in html.split(WARNING, 1)[1].split("</div>", 1)[0]
    assert f"/admin/media/captions/new/?asset={uncaptioned.pk}&amp;language=fr" in html


@pytest.mark.django_db
def test_no_warning_when_every_video_has_french_captions(client, editor, home_page):
    put_videos_on(
        home_page, make_asset("Le CV", captions=["fr"]), make_asset("La lettre", captions=["fr", "en"])
    )
    client.force_login(editor)
    html = client.get(f"/admin/pages/{home_page.pk}/edit/").content.decode()
    assert WARNING not in html


@pytest.mark.django_db
def test_no_warning_on_a_page_without_video(client, editor, home_page):
    client.force_login(editor)
    html = client.get(f"/admin/pages/{home_page.pk}/edit/").content.decode()
    assert WARNING not in html


@pytest.mark.django_db
def test_the_warning_follows_the_draft_being_edited(client, editor, home_page):
    # A video added in a draft of the live page is not in the reference index yet.
    put_videos_on(home_page, make_asset("Dans le brouillon"), publish=False)
    client.force_login(editor)
    html = client.get(f"/admin/pages/{home_page.pk}/edit/").content.decode()
    assert WARNING in html and "Dans le brouillon" in html


@pytest.mark.django_db
def test_the_warning_is_shown_once_after_saving(client, editor, administrator, home_page):
    asset = make_asset("Sans sous-titres")
    put_videos_on(home_page, asset)
    client.force_login(editor)
    url = f"/admin/pages/{home_page.pk}/edit/"
    data = {
        "title": home_page.title,
        "slug": home_page.slug,
        "intro": "Nouvelle introduction",
        "body-count": "1",
        "body-0-type": "video",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "0b1c2d3e-0000-4000-8000-000000000001",
        "body-0-value-video": str(asset.pk),
        "body-0-value-caption": "",
        "body-0-value-transcript": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[-1][0].endswith(url)
    html = response.content.decode()
    assert "Nouvelle introduction" in html  # saved
    assert html.count(WARNING) == 1

    # Published (editors may not publish; an administrator may): still once, wherever
    # Wagtail goes next.
    client.force_login(administrator)
    response = client.post(url, {**data, "action-publish": "publish"}, follow=True)
    assert response.status_code == 200 and response.redirect_chain
    assert response.content.decode().count(WARNING) == 1
    home_page.refresh_from_db()
    assert home_page.intro == "Nouvelle introduction"
