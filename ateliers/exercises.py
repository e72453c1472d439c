"""The exercises of an atelier step: reading what the seeker posts, and what the page shows.

One small function per kind of exercise (ateliers.blocks) validates the posted form
and updates the seeker's `Answer` in memory; the view (ateliers/views/work.py) saves
it. Another prepares what the step page shows: the saved answer, or the posted input
when it had errors. Errors map a posted field name to one translated message.

Nothing posted is trusted: free text goes through the project's one sanitiser, ticked
items and chosen answers must be indexes of the exercise, and a file's type is read
from its content, never from its name or the browser's Content-Type.
"""

import html
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from core.sanitizer import sanitize_html

from .blocks import UPLOAD_KINDS

FREE_TEXT_MAX_CHARS = 20_000
DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# What the seeker sees of each file kind, and the extension its stored copy gets.
UPLOAD_LABELS = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "odt": "OpenDocument (ODT)",
    "jpeg": "JPEG",
    "png": "PNG",
}
STORED_EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "odt": ".odt", "jpeg": ".jpg", "png": ".png"}

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# A real document has a few dozen entries; a ZIP with many thousands is not one.
ZIP_MAX_ENTRIES = 2000


def max_upload_bytes():
    return getattr(settings, "ATELIER_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


@dataclass
class Outcome:
    """What saving an exercise gave: errors by field name, and whether the answer was
    updated anyway (the CV builder keeps a draft with errors, marked for correction)."""

    errors: dict = field(default_factory=dict)
    updated: bool = True

    @classmethod
    def refused(cls, **errors):
        return cls(errors=errors, updated=False)


# ---------------------------------------------------------------------------
# Free text
# ---------------------------------------------------------------------------
_BLOCK_START = re.compile(r"\s*<(p|ul|ol)[\s>]", re.IGNORECASE)
_PARAGRAPHS = re.compile(r"\n\s*\n")
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10))


def text_to_html(text):
    """What the seeker typed (plain text, maybe a few tags) as sanitised HTML.

    Paragraphs are separated by a blank line and a single line break is kept; text
    that already holds block elements (<p>, lists) stays as written. Everything goes
    through `sanitize_html`: only the project's allow-list survives, the rest is inert.
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
    """The stored HTML of a free-text answer, back into what the textarea shows:
    paragraphs as blank lines, line breaks as new lines (`text_to_html` reverses it)."""
    if not stored:
        return ""
    text = _P_BREAK.sub("\n\n", stored.strip())
    text = _BR.sub("\n", text)
    text = _P_EDGE.sub("", text)
    text = _P_AROUND.sub("\n\n", text)
    return html.unescape(text).strip()


def save_free_text(value, answer, data, files):
    text = data.get("text", "")
    if len(text) > FREE_TEXT_MAX_CHARS:
        return Outcome.refused(
            text=_(
                "Your text is too long: %(count)s characters, %(max)s at most. Shorten it, then save again."
            )
            % {
                "count": number_format(len(text), force_grouping=True),
                "max": number_format(FREE_TEXT_MAX_CHARS, force_grouping=True),
            }
        )
    answer.text = text_to_html(text)
    return Outcome()


def show_free_text(value, answer, posted):
    if posted is None:
        return {"text": html_to_text(answer.text) if answer else "", "max_chars": FREE_TEXT_MAX_CHARS}
    return {"text": posted.get("text", ""), "max_chars": FREE_TEXT_MAX_CHARS}


# ---------------------------------------------------------------------------
# Checklist and self-check: indexes of items, of choices
# ---------------------------------------------------------------------------
def _indexes(data, name, count):
    """The distinct valid indexes posted as `name`, sorted; None if one is invalid."""
    chosen = set()
    for raw in data.getlist(name) if hasattr(data, "getlist") else data.get(name, []):
        if not str(raw).isdigit() or int(raw) >= count:
            return None
        chosen.add(int(raw))
    return sorted(chosen)


def save_checklist(value, answer, data, files):
    ticked = _indexes(data, "ticked", len(value["items"]))
    if ticked is None:
        return Outcome.refused(ticked=_("This item is not in the list: reload the page and try again."))
    answer.data = {"ticked": ticked}
    return Outcome()


def show_checklist(value, answer, posted):
    if posted is not None:
        ticked = set(_indexes(posted, "ticked", len(value["items"])) or [])
    else:
        ticked = set(answer.data.get("ticked", [])) if answer else set()
    return {
        "checklist": [
            {"index": index, "label": label, "ticked": index in ticked}
            for index, label in enumerate(value["items"])
        ],
        "ticked_count": len(ticked),
    }


def save_self_check(value, answer, data, files):
    chosen = _indexes(data, "chosen", len(value["choices"]))
    if chosen is None:
        return Outcome.refused(chosen=_("This answer is not in the list: reload the page and try again."))
    if not chosen:
        return Outcome.refused(
            chosen=_("Choose at least one answer, then check.")
            if value["multiple"]
            else _("Choose an answer, then check.")
        )
    if not value["multiple"] and len(chosen) > 1:
        return Outcome.refused(chosen=_("Choose only one answer."))
    answer.data = {"chosen": chosen}
    return Outcome()


def self_check_result(value, chosen):
    """What the seeker sees once they checked: for each answer, whether they chose it,
    whether it is right, and its feedback. It is a self-check, not a test: the right
    answers are shown after the first check, never before."""
    chosen = set(chosen)
    choices = [
        {
            "index": index,
            "text": choice["text"],
            "chosen": index in chosen,
            "correct": bool(choice["correct"]),
            "feedback": choice["feedback"],
        }
        for index, choice in enumerate(value["choices"])
    ]
    right = {choice["index"] for choice in choices if choice["correct"]}
    return {"all_right": chosen == right, "choices": choices}


def show_self_check(value, answer, posted):
    checked = answer.data.get("chosen") if answer and posted is None else None
    if posted is not None:
        chosen = set(_indexes(posted, "chosen", len(value["choices"])) or [])
    else:
        chosen = set(checked or [])
    return {
        # Right answers and feedback stay on the server until the seeker checks.
        "choices": [
            {"index": index, "text": choice["text"], "chosen": index in chosen}
            for index, choice in enumerate(value["choices"])
        ],
        "result": self_check_result(value, checked) if checked else None,
    }


# ---------------------------------------------------------------------------
# File upload: the type is read from the content
# ---------------------------------------------------------------------------
def _zip_document_kind(upload):
    """The kind of a ZIP file: "docx", "odt" or None. Only the central directory is read (and
    the tiny `mimetype` entry of an ODT): nothing is extracted, so a ZIP bomb costs
    nothing."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                return None
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
            mimetype = next((entry for entry in entries if entry.filename == "mimetype"), None)
            if mimetype is not None and mimetype.file_size <= 100 and "content.xml" in names:
                with archive.open(mimetype) as stream:
                    if stream.read(101).strip() == ODT_MIMETYPE:
                        return "odt"
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        RuntimeError,
        ValueError,
        NotImplementedError,
    ):
        return None
    return None


def detect_kind(upload):
    """The UPLOAD_KINDS key of a file, from its first bytes (and a ZIP's entry names);
    None for anything else: HTML, an executable, a ZIP that is not a document..."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_document_kind(upload)
        upload.seek(0)
        return kind
    return None


def display_file_name(name):
    """The client's file name as display text only: no folders, no control characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co"))
    return name.strip()[:255]


def accepted_kinds(value):
    return [kind for kind in UPLOAD_KINDS if kind in (value.get("accepted") or [])]


def accepted_label(kinds):
    return get_text_list([UPLOAD_LABELS[kind] for kind in kinds], _("or"))


def save_file(value, answer, data, files):
    upload = files.get("file")
    accepted = accepted_kinds(value)
    if upload is None or not upload.size:
        return Outcome.refused(file=_("Choose a file on your device, then send it."))
    limit = max_upload_bytes()
    if upload.size > limit:
        return Outcome.refused(
            file=_(
                "This file is too big (%(size)s): %(limit)s at most. Reduce it (fewer pages, smaller images) and send it again."
            )
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    kind = detect_kind(upload)
    if kind is None or kind not in accepted:
        return Outcome.refused(
            file=_(
                "This file is not a %(kinds)s document. Its content was checked, not its name: "
                "save it again as %(kinds)s (with “Save as” or “Export”), then send it."
            )
            % {"kinds": accepted_label(accepted)}
        )
    answer.file_name = display_file_name(upload.name) or f"document{STORED_EXTENSIONS[kind]}"
    # The stored name is random (PrivateUploadTo); only the detected type's extension is kept.
    upload.name = f"document{STORED_EXTENSIONS[kind]}"
    answer.file = upload
    answer.data = {"type": kind, "size": upload.size}
    return Outcome()


def show_file(value, answer, posted):
    accepted = accepted_kinds(value)
    extensions = [ext for kind in accepted for ext in UPLOAD_KINDS[kind][0]]
    mimetypes = [mime for kind in accepted for mime in UPLOAD_KINDS[kind][1]]
    return {
        "accept": ",".join(extensions + mimetypes),
        "accepted_label": accepted_label(accepted),
        "max_size": filesizeformat(max_upload_bytes()),
        "has_file": bool(answer and answer.file),
    }


# ---------------------------------------------------------------------------
# CV builder (ateliers/cv.py belongs to the CV builder)
# ---------------------------------------------------------------------------
def save_cv(value, answer, data, files):
    from .cv import parse_form

    cv, errors = parse_form(data)
    answer.data = cv
    # A draft is kept even with errors: the fields are marked until corrected.
    return Outcome(errors=dict(errors), updated=True)


def show_cv(value, answer, posted):
    return {"cv": answer.data if answer else None, "posted": posted}


SAVERS = {
    "free_text": save_free_text,
    "checklist": save_checklist,
    "self_check": save_self_check,
    "file": save_file,
    "cv": save_cv,
}
SHOWERS = {
    "free_text": show_free_text,
    "checklist": show_checklist,
    "self_check": show_self_check,
    "file": show_file,
    "cv": show_cv,
}


def save(kind, value, answer, data, files):
    """Validate what was posted for an exercise of `kind` and update `answer` (unsaved)."""
    return SAVERS[kind](value, answer, data, files)


def show(kind, value, answer, posted=None):
    """What the step page needs to show an exercise: the saved `answer` (or None), or
    the `posted` input (a QueryDict) when saving it failed."""
    return SHOWERS[kind](value, answer, posted)


def is_empty(kind, answer):
    """An answer with nothing in it is not kept: it would count as done in the progress."""
    if kind == "free_text":
        return not answer.text
    if kind == "checklist":
        return not answer.data.get("ticked")
    if kind == "file":
        return not answer.file
    if kind == "cv":
        from .cv import is_empty as cv_is_empty

        return cv_is_empty(answer.data)
    return False
