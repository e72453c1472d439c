"""Probe and transcode an uploaded original with ffprobe and ffmpeg.

Every upload is treated as hostile (see issue 4):

* ffprobe and ffmpeg only open the file we give them (`file:` + absolute path, never the
  client's name), with `-protocol_whitelist file` and `-format_whitelist` limited to the
  containers we accept, so a text HLS playlist or concat script renamed `.mp4` or `.webm`
  is refused instead of being followed to another file; ffmpeg is further forced (`-f`)
  to the demuxer the probe found.
* `-probesize`/`-analyzeduration` bound the probe, `-max_pixels` refuses frame-size
  bombs in the decoder, `-t` bounds every output whatever the container claims, and a
  memory limit (RLIMIT_AS) and a timeout bound the whole run.
* ffmpeg runs in a per-job work folder, writes temporary files there, and they reach the
  storage only after ffprobe has checked them; the original is never modified.

One pipeline, two layers:

* the core knows nothing of where a file comes from or goes to: `process_file(source,
  work_dir, output_plan, limits=…)` probes a local file, writes the outputs of a plan
  (`LIBRARY_PLAN`, `RECORDING_PLAN`) in one ffmpeg process and checks them; `remux()`
  rewrites a recording's container without re-encoding; `media.measures` measures the
  sound on the same protections. `Limits` carries the limits (the library's come from
  settings.MEDIA_PROCESSING; an interview answer has its own).
* `process(asset)` is the library's use of it: copy the Asset's original into the work
  folder, process it, save the renditions on the Asset. `media.jobs` runs it on the
  "media" queue and owns the status bookkeeping around it.
"""

import ctypes
import json
import logging
import os
import resource
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import ffmpeg
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Asset, ProcessingStatus, Rendition, generated_name

logger = logging.getLogger(__name__)

# Demuxers we accept, by the name ffprobe reports, and the one ffmpeg is then forced to.
DEMUXERS = {
    "mov,mp4,m4a,3gp,3g2,mj2": "mov",
    "matroska,webm": "matroska",
    "ogg": "ogg",
}
FORMAT_WHITELIST = "mov,matroska,webm,ogg"
PROBESIZE = 50 * 1000 * 1000  # bytes read to find the streams
ANALYZEDURATION = 30 * 1000 * 1000  # microseconds of media analysed to find the streams
LOG_LIMIT = 20_000  # characters of ffmpeg's stderr kept for administrators
LOG_READ_LIMIT = 16 * 1024 * 1024  # bytes of ffmpeg's stderr ever read back
# Lines of ffmpeg's stderr that every run prints and that say nothing about the file.
HARMLESS_WARNINGS = ("deprecated pixel format used",)  # the JPEG encoder's full-range input

# x264 and threading, tuned with bench/transcode.py on a 2-core machine; each can be
# overridden in settings.MEDIA_PROCESSING (e.g. "X264_PRESET": "faster").
ENCODER_DEFAULTS = {
    "X264_PRESET": "veryfast",
    "X264_THREADS": 3,
    "DECODER_THREADS": 0,
    "FILTER_THREADS": 1,
}

# Readable reasons, for editors. ffmpeg's own words only go to `processing_log`.
EMPTY = _("The file is empty.")
MISSING = _("The original file is missing from the storage.")
UNREADABLE = _("This file is not a video or audio file we can read.")
NO_STREAM = _("This file has no video or audio we can read.")
TOO_BIG = _("The file is larger than the %(limit)s limit.")
TOO_LONG = _("The video or audio is longer than the %(limit)s limit.")
FRAME_TOO_LARGE = _("The picture is larger than the %(width)s×%(height)s pixels limit.")
TRUNCATED = _("The file seems truncated or damaged: only part of it could be read.")
CONVERSION_FAILED = _("We could not convert this file; it may be damaged.")
TOO_SLOW = _("Converting this file took too long.")


class ProcessingFailed(Exception):
    """A permanent failure: the file cannot be processed and trying again will not help.

    `reason` is for editors; `log` (ffmpeg's stderr) for administrators only.
    """

    def __init__(self, reason, log=""):
        super().__init__(str(reason))
        self.reason = reason
        self.log = log


class Superseded(Exception):
    """The asset was deleted, or its original replaced, while it was being processed."""


# ---------------------------------------------------------------------------
# Settings and limits
# ---------------------------------------------------------------------------
def config(key):
    conf = settings.MEDIA_PROCESSING
    return conf[key] if key in conf else ENCODER_DEFAULTS[key]


@dataclass(frozen=True)
class Limits:
    """What one source may be, and what working on it may cost.

    `Limits.from_settings()` gives the library's (settings.MEDIA_PROCESSING, read when
    called); a caller with its own needs overrides some, e.g. an interview answer:
    `Limits.from_settings(max_duration=answer_seconds + margin)`.
    """

    max_bytes: int
    max_duration: float  # seconds
    max_width: int  # a frame fits in max_width x max_height, either way up
    max_height: int
    probe_timeout: float  # seconds, per ffprobe
    ffmpeg_timeout: float  # seconds, per ffmpeg run
    memory_bytes: int  # address space of each ffprobe/ffmpeg (RLIMIT_AS)

    @classmethod
    def from_settings(cls, **overrides):
        return cls(
            **{
                "max_bytes": config("MAX_UPLOAD_BYTES"),
                "max_duration": config("MAX_DURATION_SECONDS"),
                "max_width": config("MAX_WIDTH"),
                "max_height": config("MAX_HEIGHT"),
                "probe_timeout": config("PROBE_TIMEOUT"),
                "ffmpeg_timeout": config("FFMPEG_TIMEOUT"),
                "memory_bytes": config("MEMORY_LIMIT_BYTES"),
                **overrides,
            }
        )

    @property
    def max_pixels(self):
        return self.max_width * self.max_height


def _limits(limits):
    return limits if limits is not None else Limits.from_settings()


def work_dir_for(asset):
    """The job's own work folder: named after the job, so a re-run removes what a
    killed run left behind."""
    return Path(config("WORK_DIR")) / asset.job_id


def reset_work_dir(work_dir):
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(mode=0o700, parents=True)


@contextmanager
def work_folder(work_dir):
    """A fresh, private work folder for one job, removed afterwards whatever happens
    (what a killed run left there is removed first)."""
    work_dir = Path(work_dir)
    reset_work_dir(work_dir)
    try:
        yield work_dir
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


# ---------------------------------------------------------------------------
# Running ffprobe and ffmpeg
# ---------------------------------------------------------------------------
PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def _child_limits(memory_limit):
    """What the child does between fork and exec: a memory limit, no core file, and
    death (SIGKILL) as soon as the process that started it dies, so that ffmpeg never
    outlives a killed work-horse."""
    parent = os.getpid()

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if _libc is not None:
            _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            if os.getppid() != parent:  # the parent died before prctl took effect
                os.kill(os.getpid(), signal.SIGKILL)

    return limit


def run_tool(args, *, timeout, memory_limit=None, stdout=subprocess.PIPE, stderr=subprocess.PIPE):
    """Run ffprobe or ffmpeg (an argument list, never a shell) under the limits."""
    return subprocess.run(  # noqa: S603 - fixed binaries, arguments built here
        args,
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=stderr,
        timeout=timeout,
        preexec_fn=_child_limits(memory_limit or config("MEMORY_LIMIT_BYTES")),
        close_fds=True,
        check=False,
    )


def _tail(text, limit=LOG_LIMIT):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = text or ""
    return text if len(text) <= limit else "…\n" + text[-limit:]


def _file_url(path):
    """The only form in which a path reaches ffmpeg: absolute, behind the file protocol."""
    return f"file:{Path(path).resolve()}"


def _read_log(log_path):
    """ffmpeg's stderr as written (its last LOG_READ_LIMIT bytes), without the harmless lines."""
    with open(log_path, "rb") as log:
        log.seek(max(0, log_path.stat().st_size - LOG_READ_LIMIT))
        text = log.read().decode("utf-8", "replace")
    return "".join(
        line
        for line in text.splitlines(keepends=True)
        if not any(noise in line for noise in HARMLESS_WARNINGS)
    )


def run_ffmpeg(args, log_path, *, limits=None):
    """Run one ffmpeg command under the limits, its stderr to `log_path` (in the work
    folder); returns that stderr.

    ProcessingFailed when ffmpeg fails or overruns its time; RuntimeError when a signal
    killed it (the kernel, an operator: not the file's fault, worth a retry).
    """
    limits = _limits(limits)
    with open(log_path, "wb") as log:
        try:
            completed = run_tool(
                args,
                timeout=limits.ffmpeg_timeout,
                memory_limit=limits.memory_bytes,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        except subprocess.TimeoutExpired as error:
            # subprocess.run has killed ffmpeg (SIGKILL) and reaped it.
            raise ProcessingFailed(TOO_SLOW, log=_tail(_read_log(log_path))) from error
    stderr = _read_log(log_path)
    if completed.returncode < 0:
        raise RuntimeError(f"ffmpeg was killed by signal {-completed.returncode}.\n{_tail(stderr)}")
    if completed.returncode != 0:
        raise ProcessingFailed(CONVERSION_FAILED, log=_tail(stderr))
    return stderr


# ---------------------------------------------------------------------------
# Probe
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class VideoStream:
    index: int
    codec: str
    width: int  # as coded
    height: int
    display_width: int  # as shown: sample aspect ratio and rotation applied
    display_height: int


@dataclass(frozen=True)
class AudioStream:
    index: int
    codec: str
    channels: int
    sample_rate: int = 0  # 0 when the file does not say


@dataclass(frozen=True)
class MediaInfo:
    format_name: str
    demuxer: str
    duration: float | None  # None when the container does not say (live WebM)
    video: VideoStream | None
    audio: AudioStream | None


def probe_command(path, *, format_whitelist=FORMAT_WHITELIST, limits=None):
    return [
        "ffprobe",
        "-hide_banner",
        "-v",
        "error",
        "-format_whitelist",
        format_whitelist,
        "-protocol_whitelist",
        "file",
        "-probesize",
        str(PROBESIZE),
        "-analyzeduration",
        str(ANALYZEDURATION),
        "-max_pixels",
        str(_limits(limits).max_pixels),
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        _file_url(path),
    ]


def run_probe(path, *, format_whitelist=FORMAT_WHITELIST, limits=None):
    """ffprobe's JSON for `path`; ProcessingFailed when ffprobe cannot read it."""
    limits = _limits(limits)
    try:
        completed = run_tool(
            probe_command(path, format_whitelist=format_whitelist, limits=limits),
            timeout=limits.probe_timeout,
            memory_limit=limits.memory_bytes,
        )
    except subprocess.TimeoutExpired as error:
        raise ProcessingFailed(UNREADABLE, log=_tail(error.stderr)) from error
    if completed.returncode != 0:
        log = _tail(completed.stderr)
        if "exceeds specified max pixel count" in log:  # the decoder refused a frame (-max_pixels)
            raise ProcessingFailed(
                FRAME_TOO_LARGE % {"width": limits.max_width, "height": limits.max_height}, log=log
            )
        raise ProcessingFailed(UNREADABLE, log=log)
    try:
        return json.loads(completed.stdout)
    except ValueError as error:
        raise ProcessingFailed(UNREADABLE, log=_tail(completed.stderr)) from error


def _float(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and number not in (float("inf"), float("-inf")) else None


def _rotation(stream):
    for side_data in stream.get("side_data_list") or ():
        if "rotation" in side_data:
            return int(_float(side_data["rotation"]) or 0)
    return int(_float((stream.get("tags") or {}).get("rotate")) or 0)


def _display_size(stream, width, height):
    try:
        num, den = (int(part) for part in str(stream.get("sample_aspect_ratio", "1:1")).split(":"))
        aspect = Fraction(num, den) if num > 0 and den > 0 else Fraction(1)
    except ValueError:
        aspect = Fraction(1)
    display_width = max(1, round(width * aspect))
    if _rotation(stream) % 180:
        return height, display_width
    return display_width, height


def parse_probe(data):
    """What we need from ffprobe's JSON; ProcessingFailed for anything we do not accept."""
    format_section = data.get("format") or {}
    format_name = format_section.get("format_name", "")
    if format_name not in DEMUXERS:
        raise ProcessingFailed(UNREADABLE, log=f"Container not accepted: {format_name!r}")
    video = audio = None
    durations = [_float(format_section.get("duration"))]
    for stream in data.get("streams") or ():
        codec = stream.get("codec_name")
        kind = stream.get("codec_type")
        if not codec:
            continue
        disposition = stream.get("disposition") or {}
        if kind == "video" and video is None:
            # A cover picture in an audio file is not a video.
            if disposition.get("attached_pic") or disposition.get("timed_thumbnails"):
                continue
            width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
            if width <= 0 or height <= 0:
                continue
            video = VideoStream(stream["index"], codec, width, height, *_display_size(stream, width, height))
            durations.append(_float(stream.get("duration")))
        elif kind == "audio" and audio is None:
            sample_rate = int(_float(stream.get("sample_rate")) or 0)
            audio = AudioStream(stream["index"], codec, int(stream.get("channels") or 0), sample_rate)
            durations.append(_float(stream.get("duration")))
    if video is None and audio is None:
        raise ProcessingFailed(NO_STREAM, log="No video or audio stream.")
    known = [duration for duration in durations if duration is not None and duration > 0]
    return MediaInfo(format_name, DEMUXERS[format_name], max(known) if known else None, video, audio)


def _readable_duration(seconds):
    hours, rest = divmod(int(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    if hours and not minutes and not seconds:
        return f"{hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {seconds:02d} s" if seconds else f"{minutes} min"


def check_limits(info, limits=None):
    """Refuse what is over the duration and frame-size limits."""
    limits = _limits(limits)
    limit = limits.max_duration
    if info.duration is not None and info.duration > limit:
        raise ProcessingFailed(
            TOO_LONG % {"limit": _readable_duration(limit)},
            log=f"Duration {info.duration:.1f} s over {limit} s.",
        )
    if info.video is not None:
        max_width, max_height = limits.max_width, limits.max_height
        width, height = info.video.width, info.video.height
        fits = (width <= max_width and height <= max_height) or (width <= max_height and height <= max_width)
        if not fits:
            raise ProcessingFailed(
                FRAME_TOO_LARGE % {"width": max_width, "height": max_height},
                log=f"Frame {width}x{height} over {max_width}x{max_height}.",
            )


def probe(path, *, limits=None):
    """Probe `path` and check it against every limit; returns its MediaInfo."""
    limits = _limits(limits)
    size = os.path.getsize(path)
    if size == 0:
        raise ProcessingFailed(EMPTY)
    if size > limits.max_bytes:
        raise ProcessingFailed(TOO_BIG % {"limit": filesizeformat(limits.max_bytes)})
    info = parse_probe(run_probe(path, limits=limits))
    check_limits(info, limits)
    return info


# ---------------------------------------------------------------------------
# Output plans: what to make of a source
# ---------------------------------------------------------------------------
# How an output is written (Output.form).
VIDEO, AUDIO, POSTER, REMUX = "video", "audio", "poster", "remux"


@dataclass(frozen=True)
class VideoRendition:
    """An H.264/AAC MP4 scaled down into a box (given for a landscape picture, turned
    for a portrait one), its bit rate capped for slow connections."""

    kind: str
    box_width: int
    box_height: int
    crf: int
    maxrate: str
    audio_bitrate: str


@dataclass(frozen=True)
class OutputPlan:
    """What to make of a source, each output named by a kind of the caller's choosing.

    `videos` go smallest first: a larger one is left out when the picture already fits
    in the smallest (it would be an upscale). The audio-only rendition is made whenever
    there is sound, or (`audio_with_video=False`) only for a source without picture;
    the poster for any source with a picture.
    """

    videos: tuple[VideoRendition, ...] = ()
    audio: str = ""  # kind of the audio-only rendition; "" for none
    audio_with_video: bool = True
    poster: str = ""  # kind of the poster; "" for none
    poster_box: tuple[int, int] = (1280, 720)


AUDIO_BITRATE = "64k"

# The library's renditions: for the player's quality choice, and for slow connections
# (the 360p and the audio-only).
VIDEO_RENDITIONS = (
    VideoRendition(Rendition.VIDEO_360, 640, 360, 26, "800k", "64k"),
    VideoRendition(Rendition.VIDEO_720, 1280, 720, 23, "2500k", "128k"),
)
LIBRARY_PLAN = OutputPlan(videos=VIDEO_RENDITIONS, audio=Rendition.AUDIO, poster=Rendition.POSTER)

# An interview recording: the original (remuxed) is what most browsers play; this is for
# the devices that cannot play it. One small MP4 (audio-only M4A for an answer recorded
# without camera) and a poster.
RECORDING_PLAN = OutputPlan(
    videos=(VideoRendition("video", 640, 360, 26, "800k", "64k"),),
    audio="audio",
    audio_with_video=False,
    poster="poster",
)


@dataclass
class Output:
    kind: str  # the plan's name for it (for an Asset: the Rendition field that will store it)
    path: Path
    width: int | None = None
    height: int | None = None
    duration: float | None = None  # measured on the written file
    form: str = VIDEO  # VIDEO, AUDIO, POSTER or REMUX: how it is written
    rendition: VideoRendition | None = None  # a VIDEO's encoding


@dataclass(frozen=True)
class Processed:
    """What the core returns: the source's probe, the checked files in the work folder
    and ffmpeg's log (for administrators)."""

    info: MediaInfo
    outputs: list[Output]
    log: str


def _even(value):
    return max(2, int(value) // 2 * 2)


def fit(width, height, box_width, box_height):
    """`width`x`height` scaled down (never up) into the box, turned to match a portrait
    picture, with even sides (x264 and yuv420p need them)."""
    if height > width:
        box_width, box_height = box_height, box_width
    scale = min(1, box_width / width, box_height / height)
    return _even(round(width * scale)), _even(round(height * scale))


def plan(info, work_dir, output_plan=LIBRARY_PLAN):
    """The outputs of `output_plan` for this input (by default the library's: 360p
    always for a video, 720p only when the source is larger than 360p, the audio
    rendition whenever there is sound, a poster for a video)."""
    outputs = []
    video = info.video
    if video is not None and output_plan.videos:
        size = (video.display_width, video.display_height)
        smallest = output_plan.videos[0]
        fits_in_smallest = fit(*size, smallest.box_width, smallest.box_height) == (
            _even(size[0]),
            _even(size[1]),
        )
        for rendition in output_plan.videos:
            if rendition is not smallest and fits_in_smallest:
                continue  # a larger rendition would be an upscale
            width, height = fit(*size, rendition.box_width, rendition.box_height)
            outputs.append(
                Output(rendition.kind, work_dir / f"{rendition.kind}.mp4", width, height, rendition=rendition)
            )
    if info.audio is not None and output_plan.audio and (video is None or output_plan.audio_with_video):
        outputs.append(Output(output_plan.audio, work_dir / "audio.m4a", form=AUDIO))
    if video is not None and output_plan.poster:
        width, height = fit(video.display_width, video.display_height, *output_plan.poster_box)
        outputs.append(Output(output_plan.poster, work_dir / "poster.jpg", width, height, form=POSTER))
    return outputs


def poster_time(info):
    """About one second in, or a tenth of a shorter clip."""
    return round(min(1.0, info.duration / 10), 3) if info.duration else 0


# ---------------------------------------------------------------------------
# ffmpeg commands (ffmpeg-python graphs)
# ---------------------------------------------------------------------------
def open_source(source, info, limits=None):
    """`source` as ffmpeg's input, under the protections: the demuxer the probe found,
    the allow-lists, bounded probing, no frame over the pixel limit."""
    return ffmpeg.input(
        _file_url(source),
        f=info.demuxer,
        format_whitelist=FORMAT_WHITELIST,
        protocol_whitelist="file",
        probesize=PROBESIZE,
        analyzeduration=ANALYZEDURATION,
        max_pixels=_limits(limits).max_pixels,
        threads=config("DECODER_THREADS"),
    )


def output_options(limits=None):
    """Options every output gets: bounded in time whatever the container claims, and
    none of the source's tags (a phone's location, its model)."""
    return {
        "t": _limits(limits).max_duration,
        "map_metadata": -1,
        "map_chapters": -1,
        "max_muxing_queue_size": 1024,
    }


def finish_command(streams, *, loglevel="warning"):
    """The ffmpeg command writing `streams`, with the global options of every run."""
    return ffmpeg.merge_outputs(*streams).global_args(
        "-nostdin",
        "-hide_banner",
        "-nostats",
        "-loglevel",
        loglevel,
        "-filter_complex_threads",
        str(config("FILTER_THREADS")),
        "-y",
    )


def build_transcode(source, info, outputs, *, limits=None):
    """The ffmpeg-python graph writing every output from one decoding of `source`."""
    source_stream = open_source(source, info, limits)
    common = output_options(limits)
    video_outputs = [output for output in outputs if output.form != AUDIO]
    branches = []
    if video_outputs:
        video = source_stream[str(info.video.index)]
        if len(video_outputs) > 1:
            split = video.split()
            branches = [split[number] for number in range(len(video_outputs))]
        else:
            branches = [video]
    audio = source_stream[str(info.audio.index)] if info.audio else None
    audio_options = {"c:a": "aac"}
    if info.audio and info.audio.channels > 2:
        audio_options["ac"] = 2

    streams = []
    for output in outputs:
        if output.form == AUDIO:
            streams.append(
                ffmpeg.output(
                    audio,
                    _file_url(output.path),
                    f="mp4",
                    audio_bitrate=AUDIO_BITRATE,
                    movflags="+faststart",
                    **audio_options,
                    **common,
                )
            )
            continue
        branch = branches.pop(0)
        if output.form == POSTER:
            # The first frame from that time on, then the branch ends: the split stops
            # feeding it (without the second trim every later frame would be scaled).
            picture = (
                branch.trim(start=poster_time(info))
                .trim(end_frame=1)
                .filter("scale", output.width, output.height)
                .filter("setsar", "1")
            )
            streams.append(
                ffmpeg.output(
                    picture,
                    _file_url(output.path),
                    f="image2",
                    update=1,
                    **{"frames:v": 1, "q:v": 3},
                    **common,
                )
            )
            continue
        rendition = output.rendition
        picture = branch.filter("scale", output.width, output.height).filter("setsar", "1")
        mapped = [picture, audio] if audio is not None else [picture]
        options = {
            "c:v": "libx264",
            "preset": config("X264_PRESET"),
            "crf": rendition.crf,
            "maxrate": rendition.maxrate,
            "bufsize": f"{int(rendition.maxrate[:-1]) * 2}k",
            "pix_fmt": "yuv420p",
            "threads": config("X264_THREADS"),
            "fps_mode": "vfr",  # keep the timestamps: never invent frames to fill a gap
            "movflags": "+faststart",
            **common,
        }
        if audio is not None:
            options.update(audio_options, audio_bitrate=rendition.audio_bitrate)
        streams.append(ffmpeg.output(*mapped, _file_url(output.path), f="mp4", **options))

    return finish_command(streams)


# ---------------------------------------------------------------------------
# Transcode
# ---------------------------------------------------------------------------
def transcode(source, info, work_dir, output_plan=LIBRARY_PLAN, *, limits=None):
    """Run the one ffmpeg process writing the plan's outputs; returns them checked, and the log."""
    outputs = plan(info, work_dir, output_plan)
    args = build_transcode(source, info, outputs, limits=limits).compile(cmd="ffmpeg")
    stderr = _tail(run_ffmpeg(args, work_dir / "ffmpeg.log", limits=limits))
    # One ffprobe per file, side by side (each is mostly start-up time).
    with ThreadPoolExecutor(max_workers=len(outputs)) as pool:
        list(pool.map(lambda output: inspect_output(output, info, stderr, limits=limits), outputs))
    return outputs, stderr


def _check_duration(output, info, log, limits, *, slack=1.0):
    """The written file lasts no longer than the limit (give or take `slack` seconds),
    and about as long as announced."""
    limit = limits.max_duration
    if output.duration > limit + slack:
        raise ProcessingFailed(TOO_LONG % {"limit": _readable_duration(limit)}, log=log)
    expected = min(info.duration, limit) if info.duration else None
    if expected and output.duration < expected * 0.9 - 0.5:
        raise ProcessingFailed(
            TRUNCATED,
            log=f"{output.path.name}: {output.duration:.2f} s written of {expected:.2f} s announced.\n{log}",
        )


def inspect_output(output, info, log="", *, limits=None):
    """Check a written file with ffprobe (Pillow for the poster); fills in its duration."""
    limits = _limits(limits)
    if not output.path.exists() or output.path.stat().st_size == 0:
        raise ProcessingFailed(CONVERSION_FAILED, log=f"{output.path.name} was not written.\n{log}")
    if output.form == POSTER:
        from PIL import Image

        try:
            with Image.open(output.path) as image:
                image.verify()
                ok = image.format == "JPEG" and image.size == (output.width, output.height)
        except Exception as error:  # Pillow raises many kinds
            raise ProcessingFailed(CONVERSION_FAILED, log=f"poster: {error}\n{log}") from error
        if not ok:
            raise ProcessingFailed(CONVERSION_FAILED, log=f"poster is not the expected JPEG.\n{log}")
        return output
    data = run_probe(output.path, format_whitelist="mov", limits=limits)
    streams = {stream.get("codec_type"): stream for stream in data.get("streams") or ()}
    problems = []
    if output.form == AUDIO:
        if "video" in streams:
            problems.append("video in the audio rendition")
    else:
        video = streams.get("video", {})
        if video.get("codec_name") != "h264" or (video.get("width"), video.get("height")) != (
            output.width,
            output.height,
        ):
            problems.append(
                f"video stream {video.get('codec_name')} {video.get('width')}x{video.get('height')}"
            )
    if info.audio is not None and streams.get("audio", {}).get("codec_name") != "aac":
        problems.append("no AAC audio")
    if problems:
        raise ProcessingFailed(CONVERSION_FAILED, log=f"{output.path.name}: {', '.join(problems)}\n{log}")
    output.duration = _float((data.get("format") or {}).get("duration")) or 0.0
    _check_duration(output, info, log, limits)
    return output


def process_file(source, work_dir, output_plan, *, limits=None):
    """The core, for any source: probe the local file `source` against `limits`, write
    `output_plan`'s outputs into `work_dir` in one ffmpeg process and check them.

    Returns a Processed; raises ProcessingFailed for a file we refuse. Storing the
    outputs is the caller's business (they are removed with the work folder).
    """
    info = probe(source, limits=limits)
    outputs, log = transcode(source, info, work_dir, output_plan, limits=limits)
    return Processed(info, outputs, log)


# ---------------------------------------------------------------------------
# Remux: a recording made seekable, without re-encoding
# ---------------------------------------------------------------------------
WEBM_CODECS = {"vp8", "vp9", "av1", "opus", "vorbis"}


def remux_output(info, work_dir):
    """Where the remuxed copy goes: WebM for a WebM (Matroska when its codecs are not
    WebM's, as Chromium's H.264 "webm"), MP4 for an MP4 or QuickTime file, Ogg for Ogg."""
    if info.demuxer == "matroska":
        codecs = {stream.codec for stream in (info.video, info.audio) if stream is not None}
        name = "remuxed.webm" if codecs <= WEBM_CODECS else "remuxed.mkv"
    elif info.demuxer == "mov":
        name = "remuxed.mp4"
    else:
        name = "remuxed.ogg"
    return Output(REMUX, work_dir / name, form=REMUX)


# A remux copies up to this much past the duration limit, so that a recording over the
# limit (a streamed WebM does not say how long it is) shows as such and is refused.
REMUX_OVERRUN = 1.0
REMUX_SLACK = 0.5  # a copy ends on a packet boundary: up to a frame past the limit

REMUX_MUXERS = {
    # suffix: muxer, its options (the index written where a player finds it first)
    ".webm": ("webm", {"cues_to_front": 1}),
    ".mkv": ("matroska", {"cues_to_front": 1}),
    ".mp4": ("mp4", {"movflags": "+faststart"}),
    ".ogg": ("ogg", {}),
}


def build_remux(source, info, output, *, limits=None):
    """The ffmpeg-python graph copying the first picture and sound streams of `source`
    into `output`'s container, index and duration written."""
    source_stream = open_source(source, info, limits)
    streams = [source_stream[str(stream.index)] for stream in (info.video, info.audio) if stream is not None]
    muxer, options = REMUX_MUXERS[output.path.suffix]
    return finish_command(
        [
            ffmpeg.output(
                *streams,
                _file_url(output.path),
                f=muxer,
                c="copy",
                **options,
                **{**output_options(limits), "t": _limits(limits).max_duration + REMUX_OVERRUN},
            )
        ]
    )


def remux(source, work_dir, *, info=None, limits=None):
    """Rewrite the container of `source` without re-encoding, so that it can be seeked:
    a WebM from MediaRecorder, written as a stream, has no duration and no index.

    `info` is `probe(source, limits=limits)` when the caller has it already. Returns a
    Processed with one output (kind and form REMUX) whose duration ffprobe now reports;
    raises ProcessingFailed for a file we refuse, one that stays without duration, or
    one longer than `limits.max_duration` (which the probe of a streamed WebM cannot see).
    """
    limits = _limits(limits)
    info = info or probe(source, limits=limits)
    output = remux_output(info, work_dir)
    args = build_remux(source, info, output, limits=limits).compile(cmd="ffmpeg")
    log = _tail(run_ffmpeg(args, work_dir / "remux.log", limits=limits))
    if not output.path.exists() or output.path.stat().st_size == 0:
        raise ProcessingFailed(CONVERSION_FAILED, log=f"{output.path.name} was not written.\n{log}")
    written = parse_probe(run_probe(output.path, limits=limits))
    same_streams = (written.video is None) == (info.video is None) and (written.audio is None) == (
        info.audio is None
    )
    if not written.duration or not same_streams:
        raise ProcessingFailed(
            CONVERSION_FAILED, log=f"{output.path.name}: duration {written.duration}, streams lost.\n{log}"
        )
    output.duration = written.duration
    if info.video is not None:
        output.width, output.height = info.video.display_width, info.video.display_height
    _check_duration(output, info, log, limits, slack=REMUX_SLACK)
    return Processed(info, [output], log)


# ---------------------------------------------------------------------------
# The library: the pipeline for one Asset
# ---------------------------------------------------------------------------
COPY_CHUNK = 1024 * 1024


def copy_from_storage(file, target, *, limits=None):
    """Copy a stored file (a FieldFile, any storage backend) to the local path `target`
    in a work folder, refusing it past the size limit whatever the storage said."""
    limit = _limits(limits).max_bytes
    try:
        size = file.size
    except (OSError, ValueError) as error:
        raise ProcessingFailed(MISSING, log=repr(error)) from error
    if size == 0:
        raise ProcessingFailed(EMPTY)
    if size > limit:
        raise ProcessingFailed(TOO_BIG % {"limit": filesizeformat(limit)})
    copied = 0
    try:
        with file.open("rb") as source, open(target, "wb") as copy:
            for chunk in source.chunks(COPY_CHUNK):
                copied += len(chunk)
                if copied > limit:
                    raise ProcessingFailed(TOO_BIG % {"limit": filesizeformat(limit)})
                copy.write(chunk)
    except FileNotFoundError as error:
        raise ProcessingFailed(MISSING, log=repr(error)) from error
    if copied == 0:
        raise ProcessingFailed(EMPTY)
    return target


def copy_original(asset, work_dir):
    """Copy the asset's original from the storage into the work folder."""
    return copy_from_storage(asset.file, work_dir / "original")


def delete_stored(storage, names):
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except Exception:  # a file left behind must not break the caller
            logger.exception("Could not delete %s from the storage", name)


def _stored_name(output):
    if output.form == POSTER:
        return generated_name("media/posters", output.path.name, default_extension="jpg")
    return generated_name("media/renditions", output.path.name)


def save_results(asset, source_name, info, outputs, log):
    """Move the outputs into the storage and record them; the previous renditions are
    deleted once the new ones are committed."""
    storage = asset.file.storage
    saved = {}
    try:
        for output in outputs:
            with open(output.path, "rb") as handle:
                saved[output.kind] = storage.save(_stored_name(output), File(handle))
        with transaction.atomic():
            current = Asset.objects.select_for_update().filter(pk=asset.pk).first()
            if current is None or current.file.name != source_name:
                raise Superseded
            previous = {file.name for file in current.rendition_files().values()} | {current.thumbnail.name}
            for kind in Rendition.values:
                setattr(current, kind, saved.get(kind, ""))
            current.thumbnail = saved.get(Rendition.POSTER, "")
            durations = [output.duration for output in outputs if output.duration]
            current.duration = round(max(durations), 3) if durations else info.duration or 0
            current.width = info.video.display_width if info.video else None
            current.height = info.video.display_height if info.video else None
            current.container = info.format_name
            current.type = "video" if info.video else "audio"
            current.status = ProcessingStatus.READY
            current.failure_reason = ""
            current.processing_log = log
            current.processed_at = timezone.now()
            current.save(
                update_fields=[
                    *Rendition.values,
                    "thumbnail",
                    "duration",
                    "width",
                    "height",
                    "container",
                    "type",
                    "status",
                    "failure_reason",
                    "processing_log",
                    "processed_at",
                ]
            )
            stale = previous - set(saved.values()) - {""}
            transaction.on_commit(lambda: delete_stored(storage, stale))
    except BaseException:
        delete_stored(storage, saved.values())
        raise
    return current


def process(asset):
    """Probe, transcode and store the renditions of `asset` (already marked processing).

    Raises ProcessingFailed for a file we refuse, Superseded when the asset changed
    meanwhile; anything else is unexpected (the job is retried).
    """
    with work_folder(work_dir_for(asset)) as work_dir:
        source_name = asset.file.name
        source = copy_original(asset, work_dir)
        result = process_file(source, work_dir, LIBRARY_PLAN)
        return save_results(asset, source_name, result.info, result.outputs, result.log)
