"""Timed words (speech to text) into WebVTT captions: a pure function, no I/O.

A cue holds at most two lines of 42 characters and lasts at most 7 seconds (the usual
limits for comfortable reading). Cues are cut between words, on the words' own
timestamps: when a cue is full it ends at the best place within it, a sentence end
first, then a pause, then a comma, then simply the last word that fits. A long silence
always ends a cue, so that no caption stays on screen while nobody speaks. The output
passes `media.captions.check_webvtt`.

`transcript_from_webvtt` goes the other way: the words of captions as paragraphs, for
the transcript of a video block to start from.
"""

import re
from dataclasses import dataclass

from .captions import parse_timestamp

MAX_LINE_LENGTH = 42
MAX_LINES = 2
MAX_CUE_MS = 7000
# A silence this long always ends the cue; a shorter one still makes a good place to cut.
LONG_PAUSE_MS = 1500
PAUSE_MS = 400
# A cue shorter than this is stretched into the silence after it (if any), to be readable.
MIN_CUE_MS = 700
# A cue cut at a "good" place keeps at least this share of what fitted (no one-word cue
# because a sentence ended just after its first word).
MIN_FILL = 0.4

SENTENCE_ENDS = (".", "?", "!", "…")
CLAUSE_ENDS = (",", ";", ":")
APOSTROPHES = "'’ʼ"
# Punctuation the model may give as a word of its own: glued to the word before it
# (French typography: a no-break space before ? ! : ; and the closing guillemet).
_GLUED = {",": "", ".": "", "…": "", ")": "", "?": "\u00a0", "!": "\u00a0", ":": "\u00a0", ";": "\u00a0"}
_GLUED["»"] = "\u00a0"


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    lines: tuple[str, ...]


@dataclass
class _Unit:
    """One or more model words that are never separated (an elision, trailing punctuation)."""

    text: str
    start: int  # milliseconds
    end: int


def _milliseconds(seconds):
    return max(0, round(float(seconds) * 1000))


def _units(words):
    units = []
    for word in words:
        text = " ".join(str(word.text).split())
        if not text:
            continue
        start, end = _milliseconds(word.start), _milliseconds(word.end)
        if units:
            start = max(start, units[-1].start)  # cues must start in order
        end = max(end, start)
        if units and (text[0] in APOSTROPHES or (units[-1].text[-1:] in APOSTROPHES)):
            units[-1].text += text  # "j" + "'ai", "aujourd'" + "hui"
            units[-1].end = max(units[-1].end, end)
        elif units and all(char in _GLUED for char in text):
            units[-1].text += _GLUED[text[0]] + text
            units[-1].end = max(units[-1].end, end)
        else:
            units.append(_Unit(text, start, end))
    return [piece for unit in units for piece in _split_long(unit)]


def _split_long(unit):
    """A word longer than a line (a URL, a very long compound) in line-long pieces, its
    time shared in proportion."""
    if len(unit.text) <= MAX_LINE_LENGTH:
        return [unit]
    pieces = [unit.text[i : i + MAX_LINE_LENGTH] for i in range(0, len(unit.text), MAX_LINE_LENGTH)]
    duration, done, result = unit.end - unit.start, 0, []
    for piece in pieces:
        start = unit.start + duration * done // len(unit.text)
        done += len(piece)
        result.append(_Unit(piece, start, unit.start + duration * done // len(unit.text)))
    return result


def _lines(texts):
    """The words `texts` laid out in at most MAX_LINES lines of MAX_LINE_LENGTH, balanced
    (a break after punctuation preferred); None when they do not fit."""
    whole = " ".join(texts)
    if len(whole) <= MAX_LINE_LENGTH:
        return (whole,)
    if MAX_LINES < 2:
        return None
    best = None
    for cut in range(1, len(texts)):
        first, second = " ".join(texts[:cut]), " ".join(texts[cut:])
        if len(first) > MAX_LINE_LENGTH or len(second) > MAX_LINE_LENGTH:
            continue
        score = (abs(len(first) - len(second)) - (6 if first.endswith(SENTENCE_ENDS + CLAUSE_ENDS) else 0),)
        if best is None or score < best[0]:
            best = (score, (first, second))
    return best[1] if best else None


def _fits(units):
    return units[-1].end - units[0].start <= MAX_CUE_MS and _lines([unit.text for unit in units]) is not None


def _break_quality(units, index):
    """How good a place the end of units[index] is to end a cue."""
    text = units[index].text
    gap = units[index + 1].start - units[index].end if index + 1 < len(units) else 0
    if text.endswith(SENTENCE_ENDS):
        return 3
    if gap >= PAUSE_MS:
        return 2
    if text.endswith(CLAUSE_ENDS):
        return 1
    return 0


def _cut(units, following):
    """How many of `units` (a full cue; `following` is the unit that did not fit) to keep."""
    everything = [*units, following]
    filled = len(" ".join(unit.text for unit in units))
    best_index, best_quality = len(units) - 1, _break_quality(everything, len(units) - 1)
    for index in range(len(units) - 2, -1, -1):
        if len(" ".join(unit.text for unit in units[: index + 1])) < MIN_FILL * filled:
            break
        quality = _break_quality(everything, index)
        if quality > best_quality:
            best_index, best_quality = index, quality
    return best_index + 1


def _groups(units):
    groups, current = [], []
    for unit in units:
        if current and unit.start - current[-1].end >= LONG_PAUSE_MS:
            groups.append(current)
            current = []
        if not current or _fits([*current, unit]):
            current.append(unit)
            continue
        keep = _cut(current, unit)
        groups.append(current[:keep])
        current = [*current[keep:], unit]
        # What was carried over may not fit with the new unit any more: cut again.
        while len(current) > 1 and not _fits(current):
            keep = _cut(current[:-1], current[-1])
            groups.append(current[:keep])
            current = current[keep:]
    if current:
        groups.append(current)
    return groups


def cues_from_words(words):
    """Cues from timed words (objects with `text`, `start` and `end` in seconds, in the
    order spoken, such as media.transcription.Word); an empty list for no words."""
    groups = _groups(_units(words))
    cues = []
    for number, group in enumerate(groups):
        start = group[0].start
        end = min(group[-1].end, start + MAX_CUE_MS)
        following = groups[number + 1][0].start if number + 1 < len(groups) else None
        if end - start < MIN_CUE_MS:
            end = start + MIN_CUE_MS if following is None else max(end, min(start + MIN_CUE_MS, following))
        end = max(end, start + 1)  # a cue must end after it starts
        cues.append(Cue(start / 1000, end / 1000, _lines([unit.text for unit in group])))
    return cues


def timestamp(seconds):
    milliseconds = round(seconds * 1000)
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_webvtt(cues):
    """The text of a WebVTT file of `cues` (None without any: a WebVTT file needs a cue)."""
    if not cues:
        return None
    blocks = ["WEBVTT"]
    for cue in cues:
        lines = "\n".join(_escape(line) for line in cue.lines)
        blocks.append(f"{timestamp(cue.start)} --> {timestamp(cue.end)}\n{lines}")
    return "\n\n".join(blocks) + "\n"


def webvtt_from_words(words):
    return to_webvtt(cues_from_words(words))


# ---------------------------------------------------------------------------
# Back to plain text: a transcript to start from
# ---------------------------------------------------------------------------
# Two cues this far apart start a new paragraph of the transcript.
PARAGRAPH_PAUSE_MS = 1500
_TAG = re.compile(r"<[^>]*>")


def _unescape(text):
    text = _TAG.sub("", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u00a0").replace("&amp;", "&")


def transcript_from_webvtt(text):
    """The words of a WebVTT file as plain paragraphs (a new one after a pause), for the
    transcript of a video block to start from; "" when there is no cue."""
    paragraphs, current, previous_end = [], [], None
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line for line in block.split("\n") if line.strip()]
        timing = next((number for number, line in enumerate(lines[:2]) if "-->" in line), None)
        if timing is None:
            continue  # the header, a NOTE, STYLE or REGION block
        start_text, _arrow, rest = lines[timing].partition("-->")
        start, end = parse_timestamp(start_text.strip()), parse_timestamp((rest.split() or [""])[0])
        words = " ".join(_unescape(line).strip() for line in lines[timing + 1 :]).strip()
        if not words or start is None:
            continue
        if current and previous_end is not None and (start - previous_end) * 1000 >= PARAGRAPH_PAUSE_MS:
            paragraphs.append(" ".join(current))
            current = []
        current.append(words)
        previous_end = end if end is not None else start
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)
