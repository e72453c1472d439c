"""Media made by ffmpeg's lavfi sources for the pipeline's tests: short and small, made
once per session (each file only when a test asks for it)."""

import subprocess
from pathlib import Path

import pytest


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *map(str, args)], check=True, timeout=120)


def clip(path, *, size, seconds, rate=25, tone=440, extra=()):
    """An H.264/AAC MP4 (moov at the end, as cameras write it) of the testsrc2 pattern."""
    ffmpeg(
        "-f", "lavfi", "-i", f"testsrc2=s={size}:r={rate}:d={seconds}",
        "-f", "lavfi", "-i", f"sine=f={tone}:d={seconds}:sample_rate=48000",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k", "-shortest", *extra, path,
    )  # fmt: skip
    return path


@pytest.fixture(scope="session")
def samples(tmp_path_factory):
    return tmp_path_factory.mktemp("media-samples")


@pytest.fixture(scope="session")
def clip_720(samples):
    return clip(samples / "clip-720.mp4", size="1280x720", seconds=2)


@pytest.fixture(scope="session")
def clip_360(samples):
    return clip(samples / "clip-360.mp4", size="640x360", seconds=2)


@pytest.fixture(scope="session")
def long_clip_720(samples):
    """Long enough for a worker to be killed while ffmpeg works on it."""
    return clip(samples / "long-720.mp4", size="1280x720", seconds=8)


@pytest.fixture(scope="session")
def secret_clip(samples):
    """Another person's recording, elsewhere on the disk: it must never be read."""
    secret = samples / "elsewhere" / "secret-recording.mp4"
    secret.parent.mkdir()
    return clip(secret, size="320x240", seconds=1, tone=1000)


@pytest.fixture(scope="session")
def browser_webm(samples):
    """What a browser's MediaRecorder sends: VP8 and Opus, written as a stream, so the
    container has no duration (ffprobe says N/A) and no index."""
    path = samples / "recording.webm"
    with open(path, "wb") as out:
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-nostdin",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=s=320x240:r=30:d=2",
                "-f",
                "lavfi",
                "-i",
                "sine=f=330:d=2:sample_rate=48000",
                "-c:v",
                "libvpx",
                "-deadline",
                "realtime",
                "-cpu-used",
                "8",
                "-b:v",
                "300k",
                "-c:a",
                "libopus",
                "-shortest",
                "-f",
                "webm",
                "pipe:1",
            ],  # fmt: skip
            stdout=out,
            check=True,
            timeout=120,
        )
    return path


@pytest.fixture(scope="session")
def audio_with_cover(samples):
    """An M4A with a cover picture: an audio file, not a video."""
    cover = samples / "cover.png"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=300x300:d=1", "-frames:v", "1", cover)
    path = samples / "podcast.m4a"
    ffmpeg(
        "-f", "lavfi", "-i", "sine=f=550:d=2:sample_rate=44100", "-i", cover,
        "-map", "0:a", "-map", "1:v", "-c:a", "aac", "-b:a", "64k", "-c:v", "mjpeg",
        "-disposition:v", "attached_pic", path,
    )  # fmt: skip
    return path


@pytest.fixture(scope="session")
def ten_hour_claim(samples):
    """One second of media whose timestamps jump ten hours: the container says 10 h."""
    path = samples / "ten-hours.mkv"
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=s=160x90:r=10:d=1",
        "-f", "lavfi", "-i", "sine=d=1",
        "-filter:v", "setpts=PTS+gte(N\\,5)*36000/TB", "-fps_mode", "passthrough",
        "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "libopus", "-f", "matroska", path,
    )  # fmt: skip
    return path


@pytest.fixture(scope="session")
def oversized_frames(samples):
    """Two frames larger than 3840x2160 (the default frame-size limit) either way up."""
    path = samples / "oversized.mp4"
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=gray:s=4096x2304:r=25:d=0.08",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path,
    )  # fmt: skip
    return path


@pytest.fixture(scope="session")
def truncated_mp4(samples, clip_360):
    path = samples / "truncated.mp4"
    data = Path(clip_360).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path
