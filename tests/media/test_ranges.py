"""The one Range parser (media.ranges), shared by private files and the development server.

How the views answer with it is tested beside them (tests/core/test_private_media.py,
tests/media/test_player.py).
"""

import pytest

from media.ranges import RangeNotSatisfiable, parse_range

SIZE = 1024


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # A single range, cut at the end of the file.
        ("bytes=10-19", (10, 19)),
        ("bytes=0-0", (0, 0)),
        ("bytes=1000-5000", (1000, 1023)),
        ("BYTES = 10-19", (10, 19)),
        # A suffix range: the last n bytes, the whole file when n is larger.
        ("bytes=-5", (1019, 1023)),
        ("bytes=-5000", (0, 1023)),
        # An open range: to the end of the file.
        ("bytes=100-", (100, 1023)),
        ("bytes=1023-", (1023, 1023)),
    ],
)
def test_a_single_range(header, expected):
    assert parse_range(header, SIZE) == expected


@pytest.mark.parametrize("header", ["bytes=1024-", "bytes=5000-6000", "bytes=-0"])
def test_a_range_beyond_the_end_is_not_satisfiable(header):
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, SIZE)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        # Several ranges: we may answer with the whole file.
        "bytes=0-1,5-6",
        "bytes=0-1, 5-",
        # Garbage.
        "bytes=19-10",
        "items=0-5",
        "bytes 0-5",
        "bytes=abc",
        "bytes=-",
        "bytes=1-2-3",
        "bytes=0-" + "9" * 5000,
        "bytes=٣-٤",  # Arabic-Indic digits are digits to \d, not to HTTP
    ],
)
def test_several_or_malformed_ranges_mean_the_whole_file(header):
    assert parse_range(header, SIZE) is None


def test_an_empty_file_is_sent_whole():
    assert parse_range("bytes=0-", 0) is None
    assert parse_range("bytes=-5", 0) is None


def test_an_open_range_may_be_shortened():
    assert parse_range("bytes=100-", SIZE, longest_open_range=10) == (100, 109)
    assert parse_range("bytes=1020-", SIZE, longest_open_range=10) == (1020, 1023)
    # Only open ranges: what is asked for explicitly is sent.
    assert parse_range("bytes=0-999", SIZE, longest_open_range=10) == (0, 999)
    assert parse_range("bytes=-500", SIZE, longest_open_range=10) == (524, 1023)
