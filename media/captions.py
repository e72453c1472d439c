"""WebVTT captions: a small, strict validator for the files editors upload.

Browsers skip what they cannot parse in a captions file without a word, so a broken
file shows up as captions that silently stop halfway through the video. This module
refuses such a file at upload time and names the first line that is wrong.

What is checked (https://www.w3.org/TR/webvtt1/, simplified):

- the file is UTF-8 text (an optional byte order mark), not binary, not too large;
- line 1 is "WEBVTT", alone or followed by a space or a tab and some text; header
  lines may follow it up to the first blank line;
- blocks are separated by blank lines; a block is a NOTE comment, a STYLE or REGION
  block (before the first cue only) or a cue;
- a cue is an optional identifier line, then a timing line
  "start --> end [settings]", then its text; timestamps are hh:mm:ss.ttt or mm:ss.ttt
  (minutes and seconds below 60, exactly three digits of milliseconds); the end comes
  after the start; cues are in order of their start time; settings are the known
  "name:value" pairs;
- "-->" appears nowhere but on timing lines (it usually means a blank line is missing).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Captions of a two-hour lesson weigh about 150 KB; anything much larger is not captions.
MAX_CAPTION_BYTES = 1024 * 1024

# The language every video must have captions in: the site's own.
REQUIRED_CAPTION_LANGUAGE = settings.LANGUAGE_CODE

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
_HEADER = re.compile(r"WEBVTT(?:[ \t].*)?")
_TIMESTAMP = re.compile(r"(?:(?P<hours>\d{2,}):)?(?P<minutes>\d{2}):(?P<seconds>\d{2})\.(?P<millis>\d{3})")
# C0 control characters other than tab and line breaks: the sign of a binary file.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOTE = re.compile(r"NOTE(?:[ \t].*)?")
_STYLE = re.compile(r"STYLE[ \t]*")
_REGION = re.compile(r"REGION[ \t]*")

_PERCENT = r"\d+(?:\.\d+)?%"
_CUE_SETTINGS = {
    "vertical": re.compile(r"rl|lr"),
    "line": re.compile(rf"(?:-?\d+|{_PERCENT})(?:,(?:start|center|end))?"),
    "position": re.compile(rf"{_PERCENT}(?:,(?:line-left|center|line-right))?"),
    "size": re.compile(_PERCENT),
    "align": re.compile(r"start|center|end|left|right"),
    "region": re.compile(r"[^\s]+"),
}


class WebVTTError(Exception):
    """What is wrong with a captions file, and on which line (1-based)."""

    def __init__(self, line, problem):
        super().__init__(f"line {line}: {problem}")
        self.line = line
        self.problem = problem


def _line_of_offset(data, offset):
    """The 1-based line number of byte `offset` in `data`."""
    return len(_LINE_BREAK_BYTES.findall(data, 0, offset)) + 1


def parse_timestamp(text):
    """Seconds for a WebVTT timestamp ("01:02:03.456" or "02:03.456"), None if malformed."""
    match = _TIMESTAMP.fullmatch(text)
    if not match:
        return None
    minutes, seconds = int(match["minutes"]), int(match["seconds"])
    if minutes > 59 or seconds > 59:
        return None
    return int(match["hours"] or 0) * 3600 + minutes * 60 + seconds + int(match["millis"]) / 1000


def _check_timestamp(text, line_number):
    value = parse_timestamp(text)
    if value is not None:
        return value
    if "," in text and parse_timestamp(text.replace(",", ".")) is not None:
        raise WebVTTError(
            line_number,
            _("“%(value)s” uses a comma before the milliseconds (SubRip style); WebVTT needs a dot.")
            % {"value": text},
        )
    raise WebVTTError(
        line_number,
        _("“%(value)s” is not a valid timestamp (expected hh:mm:ss.ttt or mm:ss.ttt).") % {"value": text},
    )


def _check_timing_line(line, line_number):
    """Check a cue timing line; return its (start, end) in seconds."""
    before, _arrow, after = line.partition("-->")
    if "-->" in after:
        raise WebVTTError(line_number, _("“-->” appears more than once on the cue timing line."))
    start_text = before.strip()
    if not start_text:
        raise WebVTTError(line_number, _("The cue timing line has no start time before “-->”."))
    parts = after.split()
    if not parts:
        raise WebVTTError(line_number, _("The cue timing line has no end time after “-->”."))
    start = _check_timestamp(start_text, line_number)
    end = _check_timestamp(parts[0], line_number)
    if end <= start:
        raise WebVTTError(line_number, _("The cue ends before it starts, or when it starts."))
    for setting in parts[1:]:
        name, colon, value = setting.partition(":")
        pattern = _CUE_SETTINGS.get(name)
        if not colon or pattern is None or not pattern.fullmatch(value):
            raise WebVTTError(
                line_number, _("“%(setting)s” is not a valid cue setting.") % {"setting": setting}
            )
    return start, end


def _check_no_arrow(lines, first_line_number, problem):
    for offset, line in enumerate(lines):
        if "-->" in line:
            raise WebVTTError(first_line_number + offset, problem)


def check_webvtt(data):
    """Check the bytes of a WebVTT file; return the number of cues, raise WebVTTError."""
    if len(data) > MAX_CAPTION_BYTES:
        raise WebVTTError(1, _("The file is too large for a captions file."))
    if b"\x00" in data:
        raise WebVTTError(
            _line_of_offset(data, data.index(b"\x00")),
            _("This is a binary file, not a WebVTT text file."),
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WebVTTError(
            _line_of_offset(data, error.start), _("The file is not UTF-8 text: save it as UTF-8.")
        ) from None
    text = text.removeprefix("\ufeff")
    lines = _LINE_BREAK.split(text)
    for number, line in enumerate(lines, start=1):
        if _CONTROL.search(line):
            raise WebVTTError(number, _("This line contains a control character: this is not a text file."))

    if not _HEADER.fullmatch(lines[0]):
        raise WebVTTError(1, _("A WebVTT file must start with the line “WEBVTT”."))

    # Header lines (e.g. "Kind: captions") run up to the first blank line.
    index = 1
    while index < len(lines) and lines[index].strip():
        if "-->" in lines[index]:
            raise WebVTTError(
                index + 1, _("A blank line must separate the “WEBVTT” header from the first cue.")
            )
        index += 1

    cues = 0
    previous_start = 0.0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        first = index
        while index < len(lines) and lines[index].strip():
            index += 1
        block = lines[first:index]
        number = first + 1  # line number of block[0]
        head = block[0].strip()

        if _NOTE.fullmatch(head):
            _check_no_arrow(block, number, _("“-->” is not allowed in a NOTE comment."))
            continue
        if _STYLE.fullmatch(head) or _REGION.fullmatch(head):
            if cues:
                raise WebVTTError(number, _("STYLE and REGION blocks must come before the first cue."))
            _check_no_arrow(block[1:], number + 1, _("“-->” is not allowed in a STYLE or REGION block."))
            continue

        # A cue: an optional identifier, then the timing line.
        if "-->" in block[0]:
            timing_index = 0
        elif len(block) > 1 and "-->" in block[1]:
            timing_index = 1
        else:
            raise WebVTTError(
                number + (1 if len(block) > 1 else 0),
                _("A cue timing line “start --> end” was expected here (or a NOTE, STYLE or REGION block)."),
            )
        start, _end = _check_timing_line(block[timing_index], number + timing_index)
        if start < previous_start:
            raise WebVTTError(
                number + timing_index, _("This cue starts before the previous one: cues must be in order.")
            )
        previous_start = start
        _check_no_arrow(
            block[timing_index + 1 :],
            number + timing_index + 1,
            _("“-->” is only allowed on a cue timing line: is a blank line missing before this cue?"),
        )
        cues += 1

    if not cues:
        raise WebVTTError(len(lines), _("The file contains no cue."))
    return cues


def validate_webvtt_file(uploaded):
    """Django validator for an uploaded captions file: the first problem, with its line."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_CAPTION_BYTES:
        raise ValidationError(
            _("This file is too large for captions (%(size)s; at most %(max)s)."),
            code="too_large",
            params={"size": filesizeformat(size), "max": filesizeformat(MAX_CAPTION_BYTES)},
        )
    uploaded.seek(0)
    data = uploaded.read(MAX_CAPTION_BYTES + 1)
    uploaded.seek(0)
    try:
        check_webvtt(data)
    except WebVTTError as error:
        raise ValidationError(
            _("This is not a valid WebVTT file. Line %(line)s: %(problem)s"),
            code="invalid_webvtt",
            params={"line": error.line, "problem": error.problem},
        ) from None
