"""The pipeline on real files: ffprobe and ffmpeg run for real, on media made by lavfi.

Jobs run in this process (a SimpleWorker, through the `run_jobs` fixture).
"""

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files import File
from django.core.files.storage import default_storage
from django.test import override_settings

from media import processing
from media.models import Asset, ProcessingStatus, Rendition
from media.processing import (
    CONVERSION_FAILED,
    EMPTY,
    FRAME_TOO_LARGE,
    TOO_LONG,
    TOO_SLOW,
    TRUNCATED,
    UNREADABLE,
    MediaInfo,
    VideoStream,
)
from tests.media.conftest import ffprobe_json
from tests.processes import alive, running

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_dirs(settings, tmp_path):
    """Uploads and work folders of this test only (removed with tmp_path)."""
    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    settings.MEDIA_PROCESSING = {**settings.MEDIA_PROCESSING, "WORK_DIR": str(tmp_path / "work")}
    return tmp_path


@pytest.fixture
def upload(django_capture_on_commit_callbacks, queues):
    """Create an asset from a file, as the admin does; its job is queued on commit."""

    def upload(path, name=None, title="Réussir son entretien"):
        with open(path, "rb") as handle, django_capture_on_commit_callbacks(execute=True):
            asset = Asset(title=title, type="video", file=File(handle, name=name or Path(path).name))
            asset.save()
        return asset

    return upload


@pytest.fixture
def processed(upload, run_jobs):
    """Upload a file and run its job; returns the asset as the job left it."""

    def processed(path, name=None):
        asset = upload(path, name)
        assert run_jobs("media") == 1
        asset.refresh_from_db()
        return asset

    return processed


def ffprobe(path):
    data = ffprobe_json(path)
    streams = {}
    for stream in data["streams"]:
        streams.setdefault(stream["codec_type"], stream)
    return float(data["format"]["duration"]), streams


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def stored_outputs():
    """Renditions and posters present in the storage, whoever references them."""
    found = []
    for folder in ("media/renditions", "media/posters"):
        if default_storage.exists(folder):
            found += [f"{folder}/{name}" for name in default_storage.listdir(folder)[1]]
    return found


def assert_refused(asset, reason, tools):
    assert asset.status == ProcessingStatus.FAILED
    assert asset.failure_reason == str(reason)
    assert not asset.rendition_files()
    assert not asset.thumbnail
    assert stored_outputs() == []
    assert tools.ffmpeg() == [], "ffmpeg must never open a refused file"


PEAK_MEMORY = (
    "import resource, subprocess, sys;"
    "status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode;"
    "print(status, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def rusage_of(args):
    """Run a command; return (exit status, its peak resident memory in MB).

    Started from a small Python rather than from this (large) test process: a forked
    child's peak includes its parent's pages until it execs."""
    out = subprocess.run(
        [sys.executable, "-S", "-c", PEAK_MEMORY, *args], capture_output=True, text=True, check=True
    )
    status, peak_kb = out.stdout.split()
    return int(status), int(peak_kb) / 1024


# ---------------------------------------------------------------------------
# What the pipeline makes
# ---------------------------------------------------------------------------
def test_720p_clip_gives_both_renditions_audio_and_poster_from_one_ffmpeg_process(
    processed, clip_720, tools, media_dirs
):
    before = sha256(clip_720)
    asset = processed(clip_720)

    assert asset.status == ProcessingStatus.READY, asset.processing_log
    assert asset.failure_reason == ""
    assert asset.processed_at and asset.attempts == 1
    assert (asset.width, asset.height, asset.type) == (1280, 720, "video")
    assert asset.duration == pytest.approx(2, abs=0.3)
    assert asset.container == "mov,mp4,m4a,3gp,3g2,mj2"

    for kind, size in ((Rendition.VIDEO_360, (640, 360)), (Rendition.VIDEO_720, (1280, 720))):
        duration, streams = ffprobe(getattr(asset, kind).path)
        assert duration == pytest.approx(2, abs=0.3)
        assert (streams["video"]["width"], streams["video"]["height"]) == size
        assert streams["video"]["codec_name"] == "h264" and streams["video"]["pix_fmt"] == "yuv420p"
        assert streams["audio"]["codec_name"] == "aac"
        with open(getattr(asset, kind).path, "rb") as rendition:  # +faststart: the index first
            head = rendition.read(4096)
        assert head.find(b"moov") != -1 and (
            head.find(b"mdat") == -1 or head.find(b"moov") < head.find(b"mdat")
        )
    duration, streams = ffprobe(asset.rendition_audio.path)
    assert duration == pytest.approx(2, abs=0.3)
    assert set(streams) == {"audio"} and streams["audio"]["codec_name"] == "aac"
    from PIL import Image

    with Image.open(asset.poster.path) as poster:
        assert poster.format == "JPEG" and poster.size == (1280, 720)
    assert asset.thumbnail.name == asset.poster.name
    assert asset.file.name.startswith("media/originals/")
    assert sha256(asset.file.path) == before  # the original is kept as it came

    # One decoding: a single ffmpeg process, one input, every output.
    [command] = tools.ffmpeg()
    assert command.count("-i") == 1
    inputs = [command[index + 1] for index, arg in enumerate(command) if arg == "-i"]
    outputs = [arg for arg in command if arg.startswith("file:") and arg not in inputs]
    assert len(outputs) >= 4
    assert command.count("-t") == len(outputs)  # every output bounded
    assert "split=3" in command[command.index("-filter_complex") + 1]
    before_input = command[: command.index("-i")]
    for option, value in (
        ("-f", "mov"),
        ("-format_whitelist", "mov,matroska,webm,ogg"),
        ("-protocol_whitelist", "file"),
        ("-max_pixels", str(3840 * 2160)),
    ):
        assert before_input[before_input.index(option) + 1] == value
    assert inputs[0].startswith(f"file:{media_dirs / 'work'}/")
    # The probe of the input, then one per written file (Pillow checks the poster).
    probes = [args for args in tools if args[0] == "ffprobe"]
    assert len(probes) == 4
    assert all("-format_whitelist" in args and "-protocol_whitelist" in args for args in probes)
    assert not (media_dirs / "work" / asset.job_id).exists()


def test_360p_clip_is_never_upscaled(processed, clip_360):
    asset = processed(clip_360)
    assert asset.status == ProcessingStatus.READY, asset.processing_log
    assert asset.rendition_360 and asset.rendition_audio and asset.poster
    assert not asset.rendition_720
    _duration, streams = ffprobe(asset.rendition_360.path)
    assert (streams["video"]["width"], streams["video"]["height"]) == (640, 360)


def test_webm_from_a_browser_recorder_is_accepted(processed, browser_webm):
    assert ffprobe_format_duration(browser_webm) == "N/A"  # as MediaRecorder writes it
    asset = processed(browser_webm, name="answer.webm")
    assert asset.status == ProcessingStatus.READY, asset.processing_log
    assert asset.file.name.endswith(".webm")
    assert asset.container == "matroska,webm"
    duration, streams = ffprobe(asset.rendition_360.path)
    assert duration == pytest.approx(2, abs=0.3)
    assert (streams["video"]["width"], streams["video"]["height"]) == (320, 240)  # small stays small
    assert streams["audio"]["codec_name"] == "aac"
    assert asset.duration == pytest.approx(2, abs=0.3)  # measured, since the container did not say


def ffprobe_format_duration(path):
    return subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_audio_file_with_a_cover_picture_gets_only_the_audio_rendition(processed, audio_with_cover):
    asset = processed(audio_with_cover)
    assert asset.status == ProcessingStatus.READY, asset.processing_log
    assert set(asset.rendition_files()) == {Rendition.AUDIO}
    assert (asset.type, asset.width, asset.height) == ("audio", None, None)
    assert asset.duration == pytest.approx(2, abs=0.3)


# ---------------------------------------------------------------------------
# Hostile files
# ---------------------------------------------------------------------------
def hls_playlist(target):
    return f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:1.0,\n{target}\n#EXT-X-ENDLIST\n"


def relative_from_work_folder(secret, media_dirs):
    # The original is copied to WORK_DIR/<job id>/original before ffprobe opens it.
    return os.path.relpath(secret, media_dirs / "work" / "media-asset-0")


@pytest.mark.parametrize("reference", ["absolute", "relative"])
def test_hls_playlist_named_mp4_is_refused_and_reads_no_other_file(
    processed, secret_clip, media_dirs, tools, tmp_path, reference
):
    target = (
        str(secret_clip) if reference == "absolute" else relative_from_work_folder(secret_clip, media_dirs)
    )
    if reference == "relative":
        assert target.startswith("../")
    playlist = tmp_path / "answer.mp4"
    playlist.write_text(hls_playlist(target))

    # The attack is real: ffprobe left to itself follows the playlist to the secret
    # recording (same depth as the work folder, so the relative path resolves too).
    control = media_dirs / "work" / "control"
    control.mkdir(parents=True)
    (control / "original").write_text(hls_playlist(target))
    unprotected = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "format=format_name,duration",
            "-of",
            "json",
            f"file:{control}/original",
        ],
        capture_output=True,
        text=True,
    )
    assert json.loads(unprotected.stdout)["format"]["format_name"] == "hls"

    asset = processed(playlist)
    assert_refused(asset, UNREADABLE, tools)
    assert "not on whitelist" in asset.processing_log  # for administrators only


def test_concat_script_named_webm_is_refused(processed, secret_clip, tmp_path, tools):
    script = tmp_path / "answer.webm"
    script.write_text(f"ffconcat version 1.0\nfile '{secret_clip}'\n")
    asset = processed(script)
    assert_refused(asset, UNREADABLE, tools)


def test_forced_demuxer_stops_a_playlist_even_past_the_probe(secret_clip, media_dirs):
    """Defence in depth: had the probe been fooled, ffmpeg (forced to the probed
    demuxer, same allow-lists) still does not follow the playlist."""
    work = media_dirs / "work" / "media-asset-0"
    work.mkdir(parents=True)
    source = work / "original"
    source.write_text(hls_playlist(secret_clip))
    info = MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", "mov", 1.0, VideoStream(0, "h264", 320, 240, 320, 240), None)
    outputs = processing.plan(info, work)
    completed = subprocess.run(
        processing.build_transcode(source, info, outputs).compile(cmd="ffmpeg"),
        capture_output=True,
        text=True,
    )
    assert completed.returncode != 0
    assert not any(output.path.exists() for output in outputs)


def test_zero_byte_file_is_refused(processed, tmp_path, tools):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    assert_refused(processed(empty), EMPTY, tools)


def test_text_file_named_webm_is_refused(processed, tmp_path, tools):
    text = tmp_path / "cv.webm"
    text.write_text("Curriculum vitae\nExpérience : dix ans de logistique.\n")
    assert_refused(processed(text), UNREADABLE, tools)


def test_truncated_mp4_is_refused(processed, truncated_mp4, tools):
    assert_refused(processed(truncated_mp4), UNREADABLE, tools)


def test_truncated_mp4_with_its_index_first_is_refused(processed, clip_360, tmp_path):
    """Index at the front (+faststart), half the data: ffprobe believes it, the
    written duration does not."""
    faststart = tmp_path / "faststart.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(clip_360),
            "-c",
            "copy",
            "-movflags",
            "+faststart",
            str(faststart),
        ],
        check=True,
    )
    data = faststart.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    asset = processed(cut)
    assert asset.status == ProcessingStatus.FAILED
    assert asset.failure_reason in (str(TRUNCATED), str(CONVERSION_FAILED))
    assert not asset.rendition_files() and stored_outputs() == []


def test_frame_size_bomb_is_refused_without_costly_decoding(
    processed, oversized_frames, tools, media_dirs, settings
):
    asset = processed(oversized_frames)
    assert_refused(asset, FRAME_TOO_LARGE % {"width": 3840, "height": 2160}, tools)

    assert "max pixel count" in asset.processing_log

    # What ran stayed cheap: ffprobe's decoder refuses the frames (-max_pixels) instead
    # of allocating them.
    status, probe_mb = rusage_of(processing.probe_command(oversized_frames))
    assert status != 0 and probe_mb < 100
    # And had the probe let it through, so does ffmpeg's: compare with the same command
    # under a limit large enough to let the frames be decoded.
    work = media_dirs / "work" / "bomb"
    work.mkdir(parents=True)
    with override_settings(
        MEDIA_PROCESSING={**settings.MEDIA_PROCESSING, "MAX_WIDTH": 8192, "MAX_HEIGHT": 8192}
    ):
        info = processing.parse_probe(processing.run_probe(oversized_frames))
        outputs = processing.plan(info, work)
        _status, decoding_mb = rusage_of(
            processing.build_transcode(oversized_frames, info, outputs).compile()
        )
    for output in outputs:
        output.path.unlink(missing_ok=True)
    status, ffmpeg_mb = rusage_of(
        processing.build_transcode(oversized_frames, info, outputs).compile(cmd="ffmpeg")
    )
    assert status != 0 and ffmpeg_mb < 100
    assert decoding_mb > ffmpeg_mb + 30  # two frames decoded already cost that much more
    assert not any(output.path.exists() and output.path.stat().st_size for output in outputs)


def test_frame_size_limit_comes_from_the_settings(processed, clip_360, tools, settings):
    settings.MEDIA_PROCESSING = {**settings.MEDIA_PROCESSING, "MAX_WIDTH": 320, "MAX_HEIGHT": 240}
    asset = processed(clip_360)
    assert_refused(asset, FRAME_TOO_LARGE % {"width": 320, "height": 240}, tools)
    [probe] = tools
    assert probe[probe.index("-max_pixels") + 1] == str(320 * 240)


def test_file_claiming_ten_hours_is_refused(processed, ten_hour_claim, tools):
    asset = processed(ten_hour_claim)
    assert_refused(asset, TOO_LONG % {"limit": "2 h"}, tools)
    assert "36001" in asset.processing_log


def test_output_duration_is_bounded_whatever_the_container_says(ten_hour_claim, settings, media_dirs):
    """-t on every output: with the limit at 3 s, nothing written lasts longer, though
    the input's timestamps run to ten hours."""
    settings.MEDIA_PROCESSING = {**settings.MEDIA_PROCESSING, "MAX_DURATION_SECONDS": 3}
    info = processing.parse_probe(processing.run_probe(ten_hour_claim))
    assert info.duration > 36000
    work = media_dirs / "work" / "bounded"
    work.mkdir(parents=True)
    outputs = processing.plan(info, work)
    args = processing.build_transcode(ten_hour_claim, info, outputs).compile(cmd="ffmpeg")
    started = time.monotonic()
    subprocess.run(args, check=True, capture_output=True, timeout=60)
    assert time.monotonic() - started < 30
    for output in outputs:
        if output.kind != Rendition.POSTER:
            assert ffprobe(output.path)[0] <= 3.1


@pytest.mark.parametrize("client_name", ["-i.mp4", "../../x.mp4"])
def test_client_file_name_is_never_used(processed, clip_360, tools, media_dirs, client_name):
    asset = processed(clip_360, name=client_name)
    assert re.fullmatch(r"media/originals/[0-9a-f]{32}\.mp4", asset.file.name)
    assert asset.status == ProcessingStatus.READY, asset.processing_log
    for command in tools:
        assert not any(client_name in arg for arg in command)
        paths = [arg for arg in command[1:] if not arg.startswith("-") and "/" in arg and "=" not in arg]
        assert all(arg.startswith(f"file:{media_dirs / 'work'}/") for arg in paths), paths
    assert not (media_dirs / "x.mp4").exists() and not (media_dirs.parent / "x.mp4").exists()


# ---------------------------------------------------------------------------
# Limits on the process itself
# ---------------------------------------------------------------------------
def test_ffmpeg_timeout_leaves_no_process_and_no_work_folder(processed, clip_720, settings, media_dirs):
    settings.MEDIA_PROCESSING = {**settings.MEDIA_PROCESSING, "FFMPEG_TIMEOUT": 0.3}
    asset = processed(clip_720)
    assert asset.status == ProcessingStatus.FAILED
    assert asset.failure_reason == str(TOO_SLOW)
    # Other tests may run ffmpeg meanwhile: only this test's (reading its folder) count.
    assert running("ffmpeg", mentioning=str(media_dirs)) == []
    assert list((media_dirs / "work").iterdir()) == []
    assert stored_outputs() == []


def test_children_get_a_memory_limit_and_die_with_their_parent(settings, tmp_path):
    """The limits ffprobe and ffmpeg run under: RLIMIT_AS, and SIGKILL when the process
    that started them dies (a killed work-horse leaves no ffmpeg behind)."""
    settings.MEDIA_PROCESSING = {**settings.MEDIA_PROCESSING, "MEMORY_LIMIT_BYTES": 512 * 1024**2}
    completed = processing.run_tool(["sh", "-c", "ulimit -v"], timeout=10)
    assert completed.stdout.decode().strip() == str(512 * 1024)  # in KiB

    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, django; django.setup(); from media import processing;"
            "child = subprocess.Popen(['sleep', '60'], preexec_fn=processing._child_limits(1 << 30));"
            "print(child.pid, flush=True); child.wait()",
        ],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tremplin.settings.test"},
        stdout=subprocess.PIPE,
        text=True,
    )
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child)
