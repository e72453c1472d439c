"""A seeker's typed text as sanitised HTML, and back into what a textarea shows.

Everything stored goes through the project's one sanitiser (core.sanitizer): only its
allow-list survives, the rest is inert.
"""

import html
import re

from core.sanitizer import sanitize_html

_BLOCK_START = re.compile(r"\s*<(p|ul|ol)[\s>]", re.IGNORECASE)
_PARAGRAPHS = re.compile(r"\n\s*\n")
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10))


def text_to_html(text):
    """What the seeker typed (plain text, maybe a few tags) as sanitised HTML.

    Paragraphs are separated by a blank line and a single line break is kept; text
    that already holds block elements (<p>, lists) stays as written.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL).strip()
    blocks = []
    for chunk in _PARAGRAPHS.split(text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk):
            blocks.append(chunk)
        else:
            blocks.append("<p>" + "<br>\n".join(line.strip() for line in chunk.split("\n")) + "</p>")
    return sanitize_html("\n".join(blocks))


_P_BREAK = re.compile(r"\s*</p>\s*<p>\s*", re.IGNORECASE)
_BR = re.compile(r"\s*<br\s*/?>\s*", re.IGNORECASE)
_P_EDGE = re.compile(r"^\s*<p>|</p>\s*$", re.IGNORECASE)
_P_AROUND = re.compile(r"\s*</?p>\s*", re.IGNORECASE)


def html_to_text(stored):
    """Stored HTML back into what the textarea shows: paragraphs as blank lines, line
    breaks as new lines (`text_to_html` reverses it)."""
    if not stored:
        return ""
    text = _P_BREAK.sub("\n\n", stored.strip())
    text = _BR.sub("\n", text)
    text = _P_EDGE.sub("", text)
    text = _P_AROUND.sub("\n\n", text)
    return html.unescape(text).strip()
