"""HTTP Range requests (RFC 9110, section 14): the one parser of every view that serves bytes.

Used by core.private_media (recordings, CVs) and by the development server of
renditions (media.views.serve_rendition), so that a player seeks the same way
everywhere. In production nginx answers ranges itself.
"""

import re


class RangeNotSatisfiable(Exception):
    """The range starts at or beyond the end of the file: answer 416, with
    `Content-Range: bytes */<size>`."""


# Bounded digits: a giant number is junk, not a range (and int() refuses > 4300 digits).
_RANGE_SPEC = re.compile(r"(\d{0,20})-(\d{0,20})", re.ASCII)


def parse_range(header, size, *, longest_open_range=None):
    """The one byte range asked for by a Range header, as (first, last) inclusive.

    None means "send the whole file": no header, another unit, a malformed value, a
    last byte before the first, or several ranges (which we may answer in full).
    Raises RangeNotSatisfiable when the range starts at or beyond the end of the file.

    An open range ("bytes=N-") ends at the end of the file, or after
    `longest_open_range` bytes when given: a player asks for the rest of a file it is
    seeking in, and takes what it gets.
    """
    unit, equals, ranges = (header or "").partition("=")
    if not equals or unit.strip().lower() != "bytes" or size == 0:
        return None
    specs = ranges.split(",")
    if len(specs) != 1:
        return None
    match = _RANGE_SPEC.fullmatch(specs[0].strip())
    if not match or match.group(0) == "-":
        return None
    first, last = match.groups()
    if not first:  # bytes=-n: the last n bytes
        suffix = int(last)
        if suffix == 0:
            raise RangeNotSatisfiable
        return max(size - suffix, 0), size - 1
    first = int(first)
    if last and int(last) < first:
        return None
    if first >= size:
        raise RangeNotSatisfiable
    if last:
        return first, min(int(last), size - 1)
    if longest_open_range is not None:
        return first, min(first + longest_open_range, size) - 1
    return first, size - 1
