"""Media made by ffmpeg's lavfi sources (and espeak-ng for speech) for the pipeline's
tests: short and small, made once per session (each file only when a test asks for it)."""

import array
import json
import subprocess
import types
import wave
from dataclasses import dataclass
from pathlib import Path

import pytest

from media import processing


class Calls(list):
    def ffmpeg(self):
        return [args for args in self if args[0] == "ffmpeg"]


@pytest.fixture
def tools(monkeypatch):
    """Every ffprobe/ffmpeg command the pipeline runs, through subprocess.run."""
    calls = Calls()
    real_run = subprocess.run

    def spy(args, *rest, **options):
        calls.append(list(args))
        return real_run(args, *rest, **options)

    monkeypatch.setattr(processing, "subprocess", types.SimpleNamespace(**{**vars(subprocess), "run": spy}))
    return calls


@pytest.fixture
def work_dir(tmp_path):
    """A job's work folder, as media.processing makes it."""
    with processing.work_folder(tmp_path / "work") as folder:
        yield folder


def ffprobe_json(path):
    """What ffprobe says of a written file (no allow-list: our own outputs)."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
        capture_output=True,
        check=True,
    ).stdout
    return json.loads(out)


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


# ---------------------------------------------------------------------------
# Spoken answers with known speech and silences (media.measures)
# ---------------------------------------------------------------------------
AUDIBLE = 328  # |sample| over this (about -40 dBFS) is speech, when trimming espeak's output
PHRASES = (
    "Bonjour je m'appelle Claire Martin",
    "j'ai travaillé cinq ans dans la logistique",
    "je cherche un poste de cheffe d'équipe",
    "je suis disponible tout de suite",
)


def speech(path, text):
    """espeak-ng's French voice saying `text`, cut to its first and last audible sample
    (espeak pads its output with silence); returns the path and the duration."""
    raw = path.with_suffix(".espeak.wav")
    subprocess.run(["espeak-ng", "-v", "fr", "-w", str(raw), text], check=True, timeout=60)
    with wave.open(str(raw)) as source:
        params = source.getparams()
        samples = array.array("h", source.readframes(params.nframes))
    audible = [index for index, sample in enumerate(samples) if abs(sample) > AUDIBLE]
    trimmed = samples[audible[0] : audible[-1] + 1]
    with wave.open(str(path), "wb") as target:
        target.setparams(params)
        target.writeframes(trimmed.tobytes())
    return path, len(trimmed) / params.framerate


@dataclass(frozen=True)
class SpokenAnswer:
    path: Path
    leading: float  # seconds of silence before the first word
    pauses: tuple  # the silences between phrases, in order
    speaking: float  # seconds of speech
    duration: float


def spoken_answer(path, pieces, *, gain_db=0):
    """A WebM/Opus written as a stream (like MediaRecorder) of `pieces`: phrases
    (a WAV path) and exact silences (seconds, made by aevalsrc), concatenated by ffmpeg.

    A positive gain is applied in 16-bit samples, so the loudest parts clip."""
    inputs, labels = [], []
    for number, piece in enumerate(pieces):
        if isinstance(piece, (int, float)):
            inputs += ["-f", "lavfi", "-i", f"aevalsrc=0:s=48000:d={piece}"]
        else:
            inputs += ["-i", str(piece)]
        labels.append(f"[{number}:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=mono[a{number}]")
    joined = "".join(f"[a{number}]" for number in range(len(pieces)))
    graph = ";".join(labels) + f";{joined}concat=n={len(pieces)}:v=0:a=1"
    if gain_db:
        graph += f",volume={gain_db}dB,aformat=sample_fmts=s16"
    with open(path, "wb") as out:
        subprocess.run(
            ["ffmpeg", "-v", "error", "-nostdin", *inputs, "-filter_complex", graph,
             "-c:a", "libopus", "-b:a", "48k", "-f", "webm", "pipe:1"],
            stdout=out, check=True, timeout=120,
        )  # fmt: skip
    return path


@pytest.fixture(scope="session")
def phrases(samples):
    """The four phrases, spoken: (path, duration) each."""
    return [speech(samples / f"phrase-{number}.wav", text) for number, text in enumerate(PHRASES)]


@pytest.fixture(scope="session")
def answer_with_pauses(samples, phrases):
    """1.5 s before the first word, then pauses of 2.5 s, 0.8 s and 3.2 s between the
    phrases, and 1 s of silence after the last one."""
    (one, d1), (two, d2), (three, d3), (four, d4) = phrases
    pieces = [1.5, one, 2.5, two, 0.8, three, 3.2, four, 1.0]
    path = spoken_answer(samples / "answer.webm", pieces)
    speaking = d1 + d2 + d3 + d4
    return SpokenAnswer(path, 1.5, (2.5, 0.8, 3.2), speaking, speaking + 1.5 + 2.5 + 0.8 + 3.2 + 1.0)


@pytest.fixture(scope="session")
def quiet_answer(samples, phrases):
    """Two phrases spoken 30 dB too low, as from a microphone across the room."""
    return spoken_answer(samples / "quiet.webm", [0.5, phrases[0][0], 0.7, phrases[1][0]], gain_db=-30)


@pytest.fixture(scope="session")
def clipped_answer(samples, phrases):
    """Two phrases 20 dB too loud: clipped in 16 bits, then compressed."""
    return spoken_answer(samples / "clipped.webm", [0.5, phrases[0][0], 0.7, phrases[1][0]], gain_db=20)


@pytest.fixture(scope="session")
def silent_video(samples):
    """A WebM with a picture and no audio stream at all."""
    path = samples / "silent.webm"
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=s=160x120:r=15:d=2",
        "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "100k", path,
    )  # fmt: skip
    return path
