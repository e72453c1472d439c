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

`process(asset)` is the whole pipeline for one asset; `media.jobs` runs it on the
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
# Lines of ffmpeg's stderr that every run prints and that say nothing about the file.
HARMLESS_WARNINGS = ("deprecated pixel format used",)  # the JPEG encoder's full-range input

# What the pipeline makes. Boxes are for a landscape picture (swapped for a portrait
# one); a picture is only ever scaled down. The 360p rendition and the audio-only one
# are for slow connections: their bit rate is capped.
VIDEO_RENDITIONS = (
    # kind, box width, box height, CRF, max bit rate, audio bit rate
    (Rendition.VIDEO_360, 640, 360, 26, "800k", "64k"),
    (Rendition.VIDEO_720, 1280, 720, 23, "2500k", "128k"),
)
AUDIO_BITRATE = "64k"
POSTER_BOX = (1280, 720)

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
# Settings
# ---------------------------------------------------------------------------
def config(key):
    conf = settings.MEDIA_PROCESSING
    return conf[key] if key in conf else ENCODER_DEFAULTS[key]


def max_pixels():
    return config("MAX_WIDTH") * config("MAX_HEIGHT")


def work_dir_for(asset):
    """The job's own work folder: named after the job, so a re-run removes what a
    killed run left behind."""
    return Path(config("WORK_DIR")) / asset.job_id


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


def run_tool(args, *, timeout, stdout=subprocess.PIPE, stderr=subprocess.PIPE):
    """Run ffprobe or ffmpeg (an argument list, never a shell) under the limits."""
    return subprocess.run(  # noqa: S603 - fixed binaries, arguments built here
        args,
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=stderr,
        timeout=timeout,
        preexec_fn=_child_limits(config("MEMORY_LIMIT_BYTES")),
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


@dataclass(frozen=True)
class MediaInfo:
    format_name: str
    demuxer: str
    duration: float | None  # None when the container does not say (live WebM)
    video: VideoStream | None
    audio: AudioStream | None


def probe_command(path, *, format_whitelist=FORMAT_WHITELIST):
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
        str(max_pixels()),
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        _file_url(path),
    ]


def run_probe(path, *, format_whitelist=FORMAT_WHITELIST):
    """ffprobe's JSON for `path`; ProcessingFailed when ffprobe cannot read it."""
    try:
        completed = run_tool(
            probe_command(path, format_whitelist=format_whitelist), timeout=config("PROBE_TIMEOUT")
        )
    except subprocess.TimeoutExpired as error:
        raise ProcessingFailed(UNREADABLE, log=_tail(error.stderr)) from error
    if completed.returncode != 0:
        log = _tail(completed.stderr)
        if "exceeds specified max pixel count" in log:  # the decoder refused a frame (-max_pixels)
            raise ProcessingFailed(
                FRAME_TOO_LARGE % {"width": config("MAX_WIDTH"), "height": config("MAX_HEIGHT")}, log=log
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
            audio = AudioStream(stream["index"], codec, int(stream.get("channels") or 0))
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


def check_limits(info):
    """Refuse what is over the configured duration and frame-size limits."""
    limit = config("MAX_DURATION_SECONDS")
    if info.duration is not None and info.duration > limit:
        raise ProcessingFailed(
            TOO_LONG % {"limit": _readable_duration(limit)},
            log=f"Duration {info.duration:.1f} s over {limit} s.",
        )
    if info.video is not None:
        max_width, max_height = config("MAX_WIDTH"), config("MAX_HEIGHT")
        width, height = info.video.width, info.video.height
        fits = (width <= max_width and height <= max_height) or (width <= max_height and height <= max_width)
        if not fits:
            raise ProcessingFailed(
                FRAME_TOO_LARGE % {"width": max_width, "height": max_height},
                log=f"Frame {width}x{height} over {max_width}x{max_height}.",
            )


def probe(path):
    """Probe `path` and check it against every limit; returns its MediaInfo."""
    size = os.path.getsize(path)
    if size == 0:
        raise ProcessingFailed(EMPTY)
    if size > config("MAX_UPLOAD_BYTES"):
        raise ProcessingFailed(TOO_BIG % {"limit": filesizeformat(config("MAX_UPLOAD_BYTES"))})
    info = parse_probe(run_probe(path))
    check_limits(info)
    return info


# ---------------------------------------------------------------------------
# Transcode
# ---------------------------------------------------------------------------
@dataclass
class Output:
    kind: str  # a Rendition value: the Asset field that will store it
    path: Path
    width: int | None = None
    height: int | None = None
    duration: float | None = None  # measured on the written file


def _even(value):
    return max(2, int(value) // 2 * 2)


def fit(width, height, box_width, box_height):
    """`width`x`height` scaled down (never up) into the box, turned to match a portrait
    picture, with even sides (x264 and yuv420p need them)."""
    if height > width:
        box_width, box_height = box_height, box_width
    scale = min(1, box_width / width, box_height / height)
    return _even(round(width * scale)), _even(round(height * scale))


def plan(info, work_dir):
    """The outputs for this input: 360p always for a video, 720p only when the source is
    larger than 360p, the audio rendition whenever there is sound, a poster for a video."""
    outputs = []
    video = info.video
    if video is not None:
        size = (video.display_width, video.display_height)
        fits_in_360p = fit(*size, *VIDEO_RENDITIONS[0][1:3]) == (_even(size[0]), _even(size[1]))
        for kind, box_width, box_height, *_rest in VIDEO_RENDITIONS:
            if kind != Rendition.VIDEO_360 and fits_in_360p:
                continue  # a larger rendition would be an upscale
            width, height = fit(*size, box_width, box_height)
            outputs.append(Output(kind, work_dir / f"{kind}.mp4", width, height))
    if info.audio is not None:
        outputs.append(Output(Rendition.AUDIO, work_dir / "audio.m4a"))
    if video is not None:
        width, height = fit(video.display_width, video.display_height, *POSTER_BOX)
        outputs.append(Output(Rendition.POSTER, work_dir / "poster.jpg", width, height))
    return outputs


def poster_time(info):
    """About one second in, or a tenth of a shorter clip."""
    return round(min(1.0, info.duration / 10), 3) if info.duration else 0


def build_transcode(source, info, outputs):
    """The ffmpeg-python graph writing every output from one decoding of `source`."""
    limit = config("MAX_DURATION_SECONDS")
    source_stream = ffmpeg.input(
        _file_url(source),
        f=info.demuxer,
        format_whitelist=FORMAT_WHITELIST,
        protocol_whitelist="file",
        probesize=PROBESIZE,
        analyzeduration=ANALYZEDURATION,
        max_pixels=max_pixels(),
        threads=config("DECODER_THREADS"),
    )
    common = {
        "t": limit,  # whatever the container claims
        "map_metadata": -1,  # no location or device tags from a seeker's phone
        "map_chapters": -1,
        "max_muxing_queue_size": 1024,
    }
    video_outputs = [output for output in outputs if output.kind != Rendition.AUDIO]
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
        if output.kind == Rendition.AUDIO:
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
        if output.kind == Rendition.POSTER:
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
        _kind, _width, _height, crf, maxrate, audio_bitrate = next(
            spec for spec in VIDEO_RENDITIONS if spec[0] == output.kind
        )
        picture = branch.filter("scale", output.width, output.height).filter("setsar", "1")
        mapped = [picture, audio] if audio is not None else [picture]
        options = {
            "c:v": "libx264",
            "preset": config("X264_PRESET"),
            "crf": crf,
            "maxrate": maxrate,
            "bufsize": f"{int(maxrate[:-1]) * 2}k",
            "pix_fmt": "yuv420p",
            "threads": config("X264_THREADS"),
            "fps_mode": "vfr",  # keep the timestamps: never invent frames to fill a gap
            "movflags": "+faststart",
            **common,
        }
        if audio is not None:
            options.update(audio_options, audio_bitrate=audio_bitrate)
        streams.append(ffmpeg.output(*mapped, _file_url(output.path), f="mp4", **options))

    return ffmpeg.merge_outputs(*streams).global_args(
        "-nostdin",
        "-hide_banner",
        "-nostats",
        "-loglevel",
        "warning",
        "-filter_complex_threads",
        str(config("FILTER_THREADS")),
        "-y",
    )


def transcode(source, info, work_dir):
    """Run the one ffmpeg process; returns the checked outputs."""
    outputs = plan(info, work_dir)
    args = build_transcode(source, info, outputs).compile(cmd="ffmpeg")
    log_path = work_dir / "ffmpeg.log"
    with open(log_path, "wb") as log:
        try:
            completed = run_tool(
                args, timeout=config("FFMPEG_TIMEOUT"), stdout=subprocess.DEVNULL, stderr=log
            )
        except subprocess.TimeoutExpired as error:
            # subprocess.run has killed ffmpeg (SIGKILL) and reaped it.
            raise ProcessingFailed(TOO_SLOW, log=_tail(log_path.read_bytes())) from error
    stderr = _tail(
        "".join(
            line
            for line in log_path.read_text(errors="replace").splitlines(keepends=True)
            if not any(noise in line for noise in HARMLESS_WARNINGS)
        )
    )
    if completed.returncode < 0:
        # Killed by a signal (the kernel, an operator): not the file's fault, retry.
        raise RuntimeError(f"ffmpeg was killed by signal {-completed.returncode}.\n{stderr}")
    if completed.returncode != 0:
        raise ProcessingFailed(CONVERSION_FAILED, log=stderr)
    # One ffprobe per file, side by side (each is mostly start-up time).
    with ThreadPoolExecutor(max_workers=len(outputs)) as pool:
        list(pool.map(lambda output: inspect_output(output, info, stderr), outputs))
    return outputs, stderr


def inspect_output(output, info, log=""):
    """Check a written file with ffprobe (Pillow for the poster); fills in its duration."""
    if not output.path.exists() or output.path.stat().st_size == 0:
        raise ProcessingFailed(CONVERSION_FAILED, log=f"{output.path.name} was not written.\n{log}")
    if output.kind == Rendition.POSTER:
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
    data = run_probe(output.path, format_whitelist="mov")
    streams = {stream.get("codec_type"): stream for stream in data.get("streams") or ()}
    problems = []
    if output.kind == Rendition.AUDIO:
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
    limit = config("MAX_DURATION_SECONDS")
    if output.duration > limit + 1:
        raise ProcessingFailed(TOO_LONG % {"limit": _readable_duration(limit)}, log=log)
    expected = min(info.duration, limit) if info.duration else None
    if expected and output.duration < expected * 0.9 - 0.5:
        raise ProcessingFailed(
            TRUNCATED,
            log=f"{output.path.name}: {output.duration:.2f} s written of {expected:.2f} s announced.\n{log}",
        )
    return output


# ---------------------------------------------------------------------------
# The whole pipeline for one asset
# ---------------------------------------------------------------------------
COPY_CHUNK = 1024 * 1024


def copy_original(asset, work_dir):
    """Copy the original from the storage (any backend) into the work folder."""
    limit = config("MAX_UPLOAD_BYTES")
    target = work_dir / "original"
    try:
        size = asset.file.size
    except (OSError, ValueError) as error:
        raise ProcessingFailed(MISSING, log=repr(error)) from error
    if size == 0:
        raise ProcessingFailed(EMPTY)
    if size > limit:
        raise ProcessingFailed(TOO_BIG % {"limit": filesizeformat(limit)})
    copied = 0
    try:
        with asset.file.open("rb") as source, open(target, "wb") as copy:
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


def reset_work_dir(work_dir):
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(mode=0o700, parents=True)


def delete_stored(storage, names):
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except Exception:  # a file left behind must not break the caller
            logger.exception("Could not delete %s from the storage", name)


def _stored_name(output):
    if output.kind == Rendition.POSTER:
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
    work_dir = work_dir_for(asset)
    reset_work_dir(work_dir)
    try:
        source_name = asset.file.name
        source = copy_original(asset, work_dir)
        info = probe(source)
        outputs, log = transcode(source, info, work_dir)
        return save_results(asset, source_name, info, outputs, log)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
