"""The public player: sources, captions tracks, quality choice, no inline script, queries, caching."""

import importlib
import mimetypes
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches

from media.models import ProcessingStatus
from tests.media import test_captions
from tests.media.test_captions import VALID_VTT, make_asset

media_root = test_captions.media_root  # fixture: files under a temporary MEDIA_ROOT


def show(page, *assets, caption="", transcript=""):
    page.body = [
        ("video", {"video": asset, "caption": caption, "transcript": transcript}) for asset in assets
    ]
    page.save_revision().publish()
    return page


def player_html(html):
    match = re.search(r'<figure class="player".*?</figure>', html, re.DOTALL)
    assert match, "no player on the page"
    return match.group(0)


@pytest.mark.django_db
def test_player_has_the_renditions_captions_and_quality_choice(client, home_page):
    asset = make_asset("Préparer son entretien", captions=["fr", "en"])
    show(
        home_page, asset, caption="Trois minutes pour se présenter.", transcript="Bonjour à toutes et à tous."
    )
    html = client.get("/").content.decode()
    player = player_html(html)

    video = re.search(r"<video[^>]*>", player).group(0)
    assert "controls" in video and 'preload="none"' in video
    assert f'poster="{asset.poster.url}"' in video
    assert 'width="1280" height="720"' in video
    sources = re.findall(r'<source src="([^"]+)" type="video/mp4" data-quality="(\d+)">', player)
    assert sources == [(asset.rendition_720.url, "720"), (asset.rendition_360.url, "360")]

    # French interface: the French track is on by default, the English one is not.
    tracks = re.findall(r"<track [^>]*>", player)
    assert len(tracks) == 2
    french = next(track for track in tracks if 'srclang="fr"' in track)
    english = next(track for track in tracks if 'srclang="en"' in track)
    assert 'kind="captions"' in french and 'label="Français"' in french and french.endswith(" default>")
    assert 'label="English"' in english and "default" not in english
    assert f'src="{asset.captions.get(language="fr").file.url}"' in french

    # The quality choice: a labelled radio group (hidden until player.js runs).
    assert re.search(
        r'<fieldset class="player__quality" hidden data-player-quality>\s*<legend>Qualité</legend>', player
    )
    radios = re.findall(r'<input type="radio" name="(quality-\w+)" value="(\w+)"( checked)?>', player)
    assert [(value, bool(checked)) for _name, value, checked in radios] == [
        ("720", True),
        ("360", False),
        ("audio", False),
    ]
    assert len({name for name, _value, _checked in radios}) == 1
    assert "Audio seul" in player
    audio = re.search(r"<audio[^>]*>\s*<source [^>]*>", player).group(0)
    assert "hidden" in audio and 'preload="none"' in audio and asset.rendition_audio.url in audio

    # Downloadable captions, caption and transcript.
    assert re.search(
        rf'<a href="{asset.captions.get(language="fr").file.url}" download hreflang="fr">', player
    )
    assert "Trois minutes pour se présenter." in player
    assert "Bonjour à toutes et à tous." in player
    assert 'aria-live="polite"' in player


@pytest.mark.django_db
def test_english_interface_turns_the_english_track_on(client, home_page):
    show(home_page, make_asset(captions=["fr", "en"]))
    player = player_html(client.get("/en/").content.decode())
    tracks = re.findall(r"<track [^>]*>", player)
    assert any('srclang="en"' in track and track.endswith(" default>") for track in tracks)
    assert not any('srclang="fr"' in track and "default" in track for track in tracks)
    assert "<legend>Quality</legend>" in player and "Audio only" in player


@pytest.mark.django_db
def test_no_track_is_on_when_none_matches_the_language(client, home_page):
    show(home_page, make_asset(captions=["fr"]))
    player = player_html(client.get("/en/").content.decode())
    assert "<track " in player and " default>" not in player


@pytest.mark.django_db
def test_the_page_has_no_inline_script_or_style(client, home_page):
    show(home_page, make_asset(captions=["fr"]), make_asset("Deuxième", captions=["fr"]))
    response = client.get("/")
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "player.js is loaded"
    for script in scripts:
        assert re.search(r'\bsrc="/static/[^"]+"', script), script
    assert re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.DOTALL) == [""] * len(scripts)
    assert html.count('src="/static/js/player.js"') == 2  # a module: run once by the browser
    assert all('type="module"' in script for script in scripts if "player.js" in script)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert "<style" not in html
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_video_being_prepared_shows_a_plain_message(client, home_page):
    show(
        home_page,
        make_asset("En préparation", status=ProcessingStatus.PROCESSING),
        make_asset("En échec", status=ProcessingStatus.FAILED, failure_reason="ffmpeg a échoué"),
    )
    html = client.get("/").content.decode()
    assert "<video" not in html and "player.js" not in html
    assert "Cette vidéo est en cours de préparation" in html
    assert "Cette vidéo n’est pas disponible pour le moment." in html
    assert "ffmpeg" not in html  # the reason is for editors


@pytest.mark.django_db
def test_a_small_video_offers_only_what_exists(client, home_page):
    # A 640x360 original: no upscaled 720p rendition.
    asset = make_asset("Petite", renditions=("rendition_360", "rendition_audio"), width=640, height=360)
    show(home_page, asset)
    player = player_html(client.get("/").content.decode())
    assert re.findall(r'data-quality="(\d+)"', player) == ["360"]
    values = re.findall(r'<input type="radio" name="quality-\w+" value="(\w+)"( checked)?>', player)
    assert values == [("360", " checked"), ("audio", "")]


@pytest.mark.django_db
def test_rendering_many_videos_does_not_add_queries(client, home_page):
    def queries_for(count):
        assets = [make_asset(f"Vidéo {n}", captions=["fr", "en"]) for n in range(count)]
        show(home_page, *assets)
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/")
        assert response.content.decode().count("<video") == count
        return len(captured)

    client.get("/")  # fill the per-process caches (content types, locales) first
    one, five = queries_for(1), queries_for(5)
    assert five == one
    assert five <= 12


@pytest.mark.django_db
def test_player_js_is_served_and_chooses_360p_on_slow_connections(client):
    from django.contrib.staticfiles import finders

    source = Path(finders.find("js/player.js")).read_text(encoding="utf-8")
    assert "navigator.connection" in source and "saveData" in source
    for kind in ('"slow-2g"', '"2g"', '"3g"'):
        assert kind in source
    assert "currentTime" in source  # the time is kept when the source changes


# ---------------------------------------------------------------------------
# Files: captions as text/vtt, renditions cached for a year (development server)
# ---------------------------------------------------------------------------
@pytest.fixture
def debug_urls(settings):
    """tremplin.urls as `make run` builds it (DEBUG), for the file-serving routes."""
    import tremplin.urls

    settings.DEBUG = True
    importlib.reload(tremplin.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(tremplin.urls)
    clear_url_caches()


def test_vtt_files_are_known_as_text_vtt():
    assert mimetypes.guess_type("legendes.vtt")[0] == "text/vtt"


@pytest.mark.django_db
def test_renditions_are_served_with_long_cache_headers(client, debug_urls):
    asset = make_asset(captions=["fr"])
    for field in (asset.rendition_360, asset.rendition_720, asset.rendition_audio, asset.poster):
        response = client.get(field.url)
        assert response.status_code == 200, field.url
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get(asset.rendition_360.url)["Content-Type"] == "video/mp4"

    captions = client.get(asset.captions.get().file.url)
    assert captions.status_code == 200
    assert captions["Content-Type"].startswith("text/vtt")
    assert b"".join(captions.streaming_content) == VALID_VTT
    # Captions can be replaced under the same asset: not immutable.
    assert "immutable" not in captions.get("Cache-Control", "")
    # The original upload is not a rendition.
    assert "immutable" not in client.get(asset.file.url).get("Cache-Control", "")


@pytest.mark.django_db
def test_the_development_server_answers_byte_ranges_for_seeking(client, debug_urls):
    asset = make_asset()
    content = b"0123456789" * 10
    with open(asset.rendition_720.path, "wb") as file:
        file.write(content)
    response = client.get(asset.rendition_720.url, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert response.content == b"0123456789"
    assert response["Content-Range"] == "bytes 10-19/100"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get(asset.rendition_720.url, HTTP_RANGE="bytes=95-").content == b"56789"
    assert client.get(asset.rendition_720.url, HTTP_RANGE="bytes=-3").content == b"789"
    assert client.get(asset.rendition_720.url, HTTP_RANGE="bytes=200-").status_code == 416
