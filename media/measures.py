"""Delivery measures from a recording's sound, with ffmpeg's own filters.

One ffmpeg run over the audio stream: `silencedetect` (where the silences are),
`ebur128` (integrated loudness) and `astats` (peak level, number of samples), read from
ffmpeg's stderr. The file is hostile input like any upload: it is probed and read with
`media.processing`'s protections (allow-lists, forced demuxer, limits, timeout, memory
limit, work folder).

Only measured, explainable facts: how long the person spoke, where they paused, how
loud the sound is. Nothing here infers emotions, faces or personality (the EU AI Act
forbids emotion recognition in education and at work).

Thresholds (each can be changed per call):

* a silence is sound below `noise_db` (default −35 dB under full scale) for at least
  `min_silence` seconds (default 0.5 s); shorter gaps belong to speech;
* the silence at the start is the time before the first word, the one at the end is
  not a pause; the silences in between are pauses, and a *long* pause lasts more than
  `long_pause` seconds (default 2 s);
* TOO_QUIET_LUFS: an integrated loudness under −35 LUFS (12 LU under the −23 LUFS that
  EBU R 128 aims for) is too quiet to be heard comfortably;
* CLIPPED_DBFS: a sample peak at or over −0.1 dBFS means the sound hit the ceiling.
  Lossy codecs (Opus, AAC) decode a clipped signal with peaks past 0 dBFS, so the peak
  level is what stays of clipping once a recording is compressed.
"""

import re
from dataclasses import dataclass

import ffmpeg
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import processing
from .processing import CONVERSION_FAILED, ProcessingFailed

NOISE_DB = -35.0
MIN_SILENCE_SECONDS = 0.5
LONG_PAUSE_SECONDS = 2.0
TOO_QUIET_LUFS = -35.0
CLIPPED_DBFS = -0.1
# A silence reported this close to the start (or the end) of the sound is the leading
# (or trailing) one: the first decoded sample is not always at 0 (Opus pre-skip).
EDGE_SECONDS = 0.1


@dataclass(frozen=True)
class Silence:
    start: float  # seconds from the start of the recording
    end: float

    @property
    def duration(self):
        return self.end - self.start


@dataclass(frozen=True)
class DeliveryMeasures:
    """What the sound of one recording says about its delivery (seconds, LUFS, dBFS)."""

    duration: float  # of the sound measured
    has_audio: bool
    speaking_time: float  # duration minus the silences
    silences: tuple[Silence, ...]  # every silence, the leading and trailing ones included
    pauses: tuple[Silence, ...]  # the silences between words
    long_pause_threshold: float
    leading_silence: float  # time before the first word
    loudness: float | None  # integrated loudness (EBU R 128), LUFS
    peak: float | None  # sample peak, dBFS
    too_quiet: bool
    clipped: bool

    @property
    def silence_time(self):
        return self.duration - self.speaking_time

    @property
    def long_pauses(self):
        """The pauses longer than the threshold."""
        return tuple(pause for pause in self.pauses if pause.duration > self.long_pause_threshold)

    @property
    def longest_pause(self):
        return max((pause.duration for pause in self.pauses), default=0.0)

    @classmethod
    def without_sound(cls, duration, *, long_pause=LONG_PAUSE_SECONDS):
        """The measures of a recording that has no audio stream at all."""
        return cls(
            duration=duration or 0.0,
            has_audio=False,
            speaking_time=0.0,
            silences=(),
            pauses=(),
            long_pause_threshold=long_pause,
            leading_silence=0.0,
            loudness=None,
            peak=None,
            too_quiet=False,
            clipped=False,
        )


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------
def build_command(source, info, *, limits=None, noise_db=NOISE_DB, min_silence=MIN_SILENCE_SECONDS):
    """The one ffmpeg run: the audio stream through the three filters, to nowhere."""
    audio = (
        processing.open_source(source, info, limits)[str(info.audio.index)]
        .filter("silencedetect", noise=f"{noise_db}dB", duration=min_silence)
        .filter("ebur128", peak="sample", framelog="verbose")  # the summary only
        .filter("astats", reset=0, measure_perchannel="none")  # overall figures only
    )
    output = ffmpeg.output(audio, "-", f="null", **processing.output_options(limits))
    return processing.finish_command([output], loglevel="info")


NUMBER = r"(-?(?:\d+(?:\.\d*)?(?:e[-+]?\d+)?|inf|nan))"
SILENCE_START = re.compile(rf"^\[[^\]]*silencedetect[^\]]*\] silence_start: {NUMBER}", re.MULTILINE)
SILENCE_END = re.compile(rf"^\[[^\]]*silencedetect[^\]]*\] silence_end: {NUMBER}", re.MULTILINE)
INTEGRATED = re.compile(rf"Integrated loudness:\s+I:\s+{NUMBER} LUFS")
PEAK = re.compile(rf"^\[[^\]]*astats[^\]]*\] Peak level dB: {NUMBER}", re.MULTILINE)
SAMPLES = re.compile(rf"^\[[^\]]*astats[^\]]*\] Number of samples: {NUMBER}", re.MULTILINE)


def _last(pattern, log):
    found = pattern.findall(log)
    return processing._float(found[-1]) if found else None


def parse_silences(log, duration):
    """silencedetect's (start, end) pairs; a silence found at the very start starts at
    0, and one still open at the end of the stream ends with it."""
    events = sorted(
        [(match.start(), "start", float(match.group(1))) for match in SILENCE_START.finditer(log)]
        + [(match.start(), "end", float(match.group(1))) for match in SILENCE_END.finditer(log)]
    )
    silences, start = [], None
    for _position, kind, time in events:
        if kind == "start":
            start = time if time > EDGE_SECONDS else 0.0
        elif start is not None:
            silences.append(Silence(round(start, 3), round(min(time, duration), 3)))
            start = None
    if start is not None and start < duration:
        silences.append(Silence(round(start, 3), round(duration, 3)))
    return tuple(silence for silence in silences if silence.duration > 0)


def parse_measures(log, info, *, long_pause=LONG_PAUSE_SECONDS, limits=None):
    """DeliveryMeasures from the stderr of `build_command`'s run."""
    loudness, peak, samples = _last(INTEGRATED, log), _last(PEAK, log), _last(SAMPLES, log)
    if samples is None or "Integrated loudness" not in log:
        raise ProcessingFailed(CONVERSION_FAILED, log=processing._tail(log))
    rate = info.audio.sample_rate
    duration = samples / rate if rate else info.duration or 0.0
    duration = min(duration, processing._limits(limits).max_duration)
    silences = parse_silences(log, duration)
    leading = silences[0] if silences and silences[0].start <= EDGE_SECONDS else None
    trailing = silences[-1] if silences and silences[-1].end >= duration - EDGE_SECONDS else None
    if leading is not None and leading is trailing:  # silence from start to end: no word
        leading_silence, pauses = duration, ()
    else:
        leading_silence = leading.end if leading else 0.0
        pauses = tuple(silence for silence in silences if silence not in (leading, trailing))
    silent = sum(silence.duration for silence in silences)
    return DeliveryMeasures(
        duration=round(duration, 3),
        has_audio=True,
        speaking_time=round(max(0.0, duration - silent), 3),
        silences=silences,
        pauses=pauses,
        long_pause_threshold=long_pause,
        leading_silence=round(leading_silence, 3),
        loudness=loudness,
        peak=peak,
        too_quiet=loudness is None or loudness < TOO_QUIET_LUFS,
        clipped=peak is not None and peak >= CLIPPED_DBFS,
    )


def measure(
    source,
    work_dir,
    *,
    info=None,
    limits=None,
    noise_db=NOISE_DB,
    min_silence=MIN_SILENCE_SECONDS,
    long_pause=LONG_PAUSE_SECONDS,
):
    """Measure the delivery in the sound of the local file `source` (ffmpeg's log goes
    to `work_dir`, a job's work folder).

    `info` is `processing.probe(source, limits=limits)` when the caller has it already.
    Returns DeliveryMeasures (`has_audio` False for a file without sound); raises
    ProcessingFailed for a file the pipeline refuses.
    """
    info = info or processing.probe(source, limits=limits)
    if info.audio is None:
        return DeliveryMeasures.without_sound(info.duration, long_pause=long_pause)
    log_path = work_dir / "measures.log"
    args = build_command(source, info, limits=limits, noise_db=noise_db, min_silence=min_silence)
    log = processing.run_ffmpeg(args.compile(cmd="ffmpeg"), log_path, limits=limits)
    if log_path.stat().st_size > processing.LOG_READ_LIMIT:  # the silences would be cut off
        raise ProcessingFailed(CONVERSION_FAILED, log=processing._tail(log))
    return parse_measures(log, info, long_pause=long_pause, limits=limits)


# ---------------------------------------------------------------------------
# In words
# ---------------------------------------------------------------------------
def _number(value, decimals=0):
    return formats.number_format(round(value, decimals), decimals if value != round(value) else 0)


def format_duration(seconds):
    """A duration for people: "4 s", "2,4 s" (tenths under 10 s), "45 s", "2 min", "1 min 32"."""
    if seconds < 10 and round(seconds, 1) != round(seconds):
        return _("%(seconds)s s") % {"seconds": _number(round(seconds, 1), 1)}
    whole = round(seconds)
    if whole < 60:
        return _("%(seconds)s s") % {"seconds": whole}
    minutes, rest = divmod(whole, 60)
    if not rest:
        return _("%(minutes)d min") % {"minutes": minutes}
    return _("%(minutes)d min %(seconds)02d s") % {"minutes": minutes, "seconds": rest}


def format_seconds_in_words(seconds):
    """A threshold in words: "2 seconds", "1.5 seconds"."""
    count = int(seconds) if float(seconds).is_integer() else 2
    return ngettext("%(seconds)s second", "%(seconds)s seconds", count) % {"seconds": _number(seconds, 1)}


STARTED_AT_ONCE = 1.0  # seconds: a shorter wait is not worth a mention


def describe(measures, *, max_seconds):
    """Plain sentences (translated) saying what the measures found, with the figures,
    for an answer that could last `max_seconds`."""
    if not measures.has_audio:
        return [_("We heard no sound in this recording: check that your microphone is on and allowed.")]
    sentences = []
    if measures.speaking_time <= 0:
        sentences.append(_("We heard no speech in this recording."))
    else:
        sentences.append(
            _("You spoke for %(spoken)s of the %(allowed)s allowed.")
            % {"spoken": format_duration(measures.speaking_time), "allowed": format_duration(max_seconds)}
        )
        if measures.leading_silence < STARTED_AT_ONCE:
            sentences.append(_("You started speaking straight away."))
        else:
            sentences.append(
                _("You started speaking after %(delay)s.")
                % {"delay": format_duration(measures.leading_silence)}
            )
        long_pauses = measures.long_pauses
        threshold = format_seconds_in_words(measures.long_pause_threshold)
        if not long_pauses:
            sentences.append(_("No silence longer than %(threshold)s.") % {"threshold": threshold})
        else:
            sentences.append(
                ngettext(
                    "%(count)d silence longer than %(threshold)s, lasting %(longest)s.",
                    "%(count)d silences longer than %(threshold)s, the longest lasting %(longest)s.",
                    len(long_pauses),
                )
                % {
                    "count": len(long_pauses),
                    "threshold": threshold,
                    "longest": format_duration(max(pause.duration for pause in long_pauses)),
                }
            )
    if measures.too_quiet:
        sentences.append(_("The sound is very quiet: come closer to the microphone or raise its volume."))
    if measures.clipped:
        sentences.append(
            _("The sound is saturated in places: move a little away from the microphone or lower its volume.")
        )
    return sentences
