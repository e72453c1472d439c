"""The CV builder: the CV's data, its cleaning, and its exports (ATS text, PDF).

A CV is a plain dict stored in `Answer.data` (kind "cv")::

    {
        "identity": {"first_name", "last_name", "email", "phone", "city"},
        "headline": "Vendeuse en prêt-à-porter",
        "summary": "paragraphs separated by blank lines",
        "experiences": [{"title", "employer", "place", "start", "end", "description"}],
        "education": [{"title", "school", "year", "description"}],
        "skills": ["Accueil client", ...],
        "languages": [{"name", "level"}],   # level: a key of LANGUAGE_LEVELS, or ""
        "interests": ["Randonnée", ...],
    }

Every value is plain text, never HTML: templates escape it like anything else, the
text export writes it as is. The form posts one field per value; the repeated groups
are indexed (`experiences-0-title`), skills and interests are one per line.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from core.pdf import html_to_pdf

# ---------------------------------------------------------------------------
# Schema
# ---------------------------------------------------------------------------
IDENTITY_FIELDS = {"first_name": 60, "last_name": 60, "email": 254, "phone": 30, "city": 80}
HEADLINE_MAX = 120
SUMMARY_MAX = 1500
DESCRIPTION_MAX = 1500

# Repeated groups: field → longest value, the most entries kept, the field that names
# an entry (required as soon as the entry holds anything) and the multi-line fields.
GROUPS = {
    "experiences": {
        "fields": {
            "title": 120,
            "employer": 120,
            "place": 80,
            "start": 20,
            "end": 20,
            "description": DESCRIPTION_MAX,
        },
        "max": 15,
        "required": "title",
        "multiline": {"description"},
    },
    "education": {
        "fields": {"title": 150, "school": 120, "year": 20, "description": DESCRIPTION_MAX},
        "max": 10,
        "required": "title",
        "multiline": {"description"},
    },
    "languages": {
        "fields": {"name": 40, "level": 20},
        "max": 10,
        "required": "name",
        "multiline": set(),
    },
}
# One item per line.
LISTS = {"skills": (80, 30), "interests": (80, 15)}

LANGUAGE_LEVELS = {
    "native": gettext_lazy("Mother tongue"),
    "c2": gettext_lazy("Proficient (C2)"),
    "c1": gettext_lazy("Advanced (C1)"),
    "b2": gettext_lazy("Upper intermediate (B2)"),
    "b1": gettext_lazy("Intermediate (B1)"),
    "a2": gettext_lazy("Elementary (A2)"),
    "a1": gettext_lazy("Beginner (A1)"),
}

TEMPLATES = {"classic": "ateliers/cv/pdf_classic.html", "modern": "ateliers/cv/pdf_modern.html"}

EMPTY_CV = {
    "identity": dict.fromkeys(IDENTITY_FIELDS, ""),
    "headline": "",
    "summary": "",
    "experiences": [],
    "education": [],
    "skills": [],
    "languages": [],
    "interests": [],
}

# The buttons of the form without JavaScript: add an empty entry to a group, remove an
# entry, move an entry up. Their value names the group (and the entry).
ADD, REMOVE, MOVE_UP = "add", "remove", "move"

_ENTRY_FIELD = re.compile(r"(experiences|education|languages)-(\d{1,3})-([a-z_]+)", re.ASCII)
_ENTRY_REF = re.compile(r"(experiences|education|languages)-(\d{1,3})", re.ASCII)
# Bidirectional overrides and isolates can make a text read differently from what it
# holds; nothing in a CV needs them.
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_SPACES = re.compile(r"[^\S\n]+")
_BULLET = re.compile(r"^[-–—•*·]\s+")
# Digits, spaces and the usual separators, an optional leading +; 6 to 20 digits.
_PHONE = re.compile(r"\+?[0-9 .\-/()]+", re.ASCII)


def empty_cv():
    """A new, empty CV (a deep copy of EMPTY_CV)."""
    return normalize({})


# ---------------------------------------------------------------------------
# Cleaning
# ---------------------------------------------------------------------------
def _clean_chars(value):
    value = unicodedata.normalize("NFC", str(value)).translate(_BIDI)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    # Control characters (but line breaks) and lone surrogates have no place in a CV.
    return "".join(
        char for char in value if char == "\n" or unicodedata.category(char) not in ("Cc", "Cs", "Co")
    )


def clean_line(value):
    """One line of text: no control characters, spaces collapsed, trimmed."""
    return _SPACES.sub(" ", _clean_chars(value or "").replace("\n", " ")).strip()


def clean_text(value):
    """Lines of text: each line trimmed, at most one blank line in a row."""
    lines = [_SPACES.sub(" ", line).strip() for line in _clean_chars(value or "").split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


FIELD_LABELS = {
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "email": pgettext_lazy("CV", "E-mail"),
    "phone": pgettext_lazy("CV", "Phone"),
    "city": pgettext_lazy("CV", "City"),
    "headline": gettext_lazy("Job title"),
    "summary": pgettext_lazy("CV", "Profile"),
    "skills": pgettext_lazy("CV", "Skills"),
    "interests": pgettext_lazy("CV", "Interests"),
    "experiences": {
        "title": gettext_lazy("Job title"),
        "employer": gettext_lazy("Employer"),
        "place": gettext_lazy("Town"),
        "start": gettext_lazy("Start date"),
        "end": gettext_lazy("End date"),
        "description": gettext_lazy("Tasks and achievements"),
    },
    "education": {
        "title": gettext_lazy("Diploma or training"),
        "school": gettext_lazy("School or organisation"),
        "year": gettext_lazy("Year"),
        "description": gettext_lazy("More about this training"),
    },
    "languages": {"name": gettext_lazy("Language"), "level": gettext_lazy("Level")},
}


def entry_label(group, number):
    """An entry of a group as the form and the messages name it: "Experience 2"."""
    labels = {
        "experiences": _("Experience %(number)s"),
        "education": _("Training %(number)s"),
        "languages": _("Language %(number)s"),
    }
    return labels[group] % {"number": number}


def field_label(name):
    """The label of a form field (`email`, `experiences-0-title`), for messages."""
    match = _ENTRY_FIELD.fullmatch(name)
    if match:
        group, index, field = match.groups()
        return f"{entry_label(group, int(index) + 1)}, {str(FIELD_LABELS[group][field]).lower()}"
    return str(FIELD_LABELS[name])


def _too_long(name, limit):
    return _("%(field)s: %(max)s characters at most; the end was cut.") % {
        "field": field_label(name),
        "max": limit,
    }


class _Cleaner:
    """Reads posted values into a CV, collecting errors by field name."""

    def __init__(self, data):
        self.data = data
        self.errors = {}

    def error(self, name, message):
        self.errors.setdefault(name, message)

    def value(self, name, limit, *, multiline=False, report=None):
        raw = self.data.get(name, "")
        value = clean_text(raw) if multiline else clean_line(raw)
        if len(value) > limit:
            (report or self.error)(name, limit)
            value = value[:limit].rstrip()
        return value

    def items(self, name, limit, most):
        items, seen = [], set()
        for line in clean_text(self.data.get(name, "")).split("\n"):
            item = clean_line(_BULLET.sub("", line.strip()))
            if not item or item.casefold() in seen:
                continue
            if len(item) > limit:
                self.error(
                    name,
                    _("%(field)s: %(max)s characters at most per line; the end was cut.")
                    % {"field": field_label(name), "max": limit},
                )
                item = item[:limit].rstrip()
            seen.add(item.casefold())
            items.append(item)
        if len(items) > most:
            self.error(
                name,
                _("%(field)s: keep the %(max)s most useful ones, one per line.")
                % {"field": field_label(name), "max": most},
            )
            items = items[:most]
        return items

    def group(self, group):
        """The non-empty entries of a group in posted order, each as (posted index,
        entry, {field: limit} of the fields that were cut)."""
        spec = GROUPS[group]
        indexes = sorted(
            {
                int(match.group(2))
                for key in self.data
                if (match := _ENTRY_FIELD.fullmatch(key)) and match.group(1) == group
            }
        )
        entries = []
        for index in indexes:
            cut = {}
            entry = {
                field: self.value(
                    f"{group}-{index}-{field}",
                    limit,
                    multiline=field in spec["multiline"],
                    report=lambda name, limit, field=field, cut=cut: cut.setdefault(field, limit),
                )
                for field, limit in spec["fields"].items()
            }
            if any(entry.values()):
                entries.append((index, entry, cut))
        return entries[: spec["max"]]


def parse_form(data):
    """Read the CV builder's form (a QueryDict, or any mapping of strings).

    Returns `(cv, errors)`: `cv` is the cleaned CV, ready to store in `Answer.data`;
    `errors` maps field names to a translated message that names the field ("Experience
    2: give the job title."). The names are those of the saved CV as the form shows it:
    entries are numbered from 0 in the saved order, empty ones left out, so `errors`
    is `validate(cv)` plus what was cut. Fields with an error are kept as typed
    (shortened when too long): a draft never loses what was written, and
    `export_problem` refuses to export a CV that still has errors.

    The buttons of the form without JavaScript act here too: `add=<group>` appends an
    empty entry (kept until the next save, so that the page shows a new, empty slot),
    `remove=<group>-<n>` drops entry n, `move=<group>-<n>` moves it up by one (n as
    posted).
    """
    cleaner = _Cleaner(data)
    cv = empty_cv()
    for field, limit in IDENTITY_FIELDS.items():
        cv["identity"][field] = cleaner.value(
            field, limit, report=lambda name, limit: cleaner.error(name, _too_long(name, limit))
        )
    cv["headline"] = cleaner.value(
        "headline", HEADLINE_MAX, report=lambda name, limit: cleaner.error(name, _too_long(name, limit))
    )
    cv["summary"] = cleaner.value(
        "summary",
        SUMMARY_MAX,
        multiline=True,
        report=lambda name, limit: cleaner.error(name, _too_long(name, limit)),
    )
    for name, (limit, most) in LISTS.items():
        cv[name] = cleaner.items(name, limit, most)

    remove = _ENTRY_REF.fullmatch(clean_line(data.get(REMOVE, "")))
    move = _ENTRY_REF.fullmatch(clean_line(data.get(MOVE_UP, "")))
    for group, spec in GROUPS.items():
        entries = cleaner.group(group)
        if remove and remove.group(1) == group:
            entries = [item for item in entries if item[0] != int(remove.group(2))]
        if move and move.group(1) == group:
            position = next((n for n, item in enumerate(entries) if item[0] == int(move.group(2))), 0)
            if position > 0:
                entries[position - 1], entries[position] = entries[position], entries[position - 1]
        cv[group] = [entry for _index, entry, _cut in entries]
        for position, (_index, _entry, cut) in enumerate(entries):
            for field, limit in cut.items():
                name = f"{group}-{position}-{field}"
                cleaner.error(name, _too_long(name, limit))
        if clean_line(data.get(ADD, "")) == group and len(cv[group]) < spec["max"]:
            cv[group].append(dict.fromkeys(spec["fields"], ""))

    for name, message in validate(cv).items():
        cleaner.error(name, message)
    return cv, cleaner.errors


def _check_identity(identity, error):
    email = identity["email"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            error("email", _("E-mail: enter an address like name@example.com."))
    phone = identity["phone"]
    if phone:
        digits = sum(char.isdigit() for char in phone)
        if not _PHONE.fullmatch(phone) or not 6 <= digits <= 20 or "+" in phone[1:]:
            error(
                "phone",
                _(
                    "Phone: enter digits, with spaces or dots if you like, like 06 12 34 56 78 or +33 6 12 34 56 78."
                ),
            )


def _check_entry(group, number, entry, error):
    spec = GROUPS[group]
    if not any(entry.values()):
        return
    label = {"number": number}
    if not entry[spec["required"]]:
        error(
            spec["required"],
            {
                "experiences": _("Experience %(number)s: give the job title."),
                "education": _("Training %(number)s: give the name of the diploma or training."),
                "languages": _("Language %(number)s: give the name of the language."),
            }[group]
            % label,
        )
    if group == "languages" and entry["level"] and entry["level"] not in LANGUAGE_LEVELS:
        error("level", _("Language %(number)s: choose a level from the list.") % label)


def validate(cv):
    """The errors of a CV, by field name (the form's names for the saved CV)."""
    cv = normalize(cv)
    errors = {}

    def error(name, message):
        errors.setdefault(name, message)

    _check_identity(cv["identity"], error)
    for group in GROUPS:
        for index, entry in enumerate(cv[group]):
            _check_entry(
                group,
                index + 1,
                entry,
                lambda field, message, prefix=f"{group}-{index}-": error(prefix + field, message),
            )
    return errors


def normalize(data):
    """A complete CV from whatever `Answer.data` holds (missing keys, wrong types)."""
    data = data if isinstance(data, dict) else {}
    identity = data.get("identity") if isinstance(data.get("identity"), dict) else {}
    cv = {
        "identity": {field: clean_line(identity.get(field) or "") for field in IDENTITY_FIELDS},
        "headline": clean_line(data.get("headline") or ""),
        "summary": clean_text(data.get("summary") or ""),
    }
    for group, spec in GROUPS.items():
        entries = data.get(group) if isinstance(data.get(group), list) else []
        cv[group] = [
            {
                field: (clean_text if field in spec["multiline"] else clean_line)(
                    entry.get(field) if isinstance(entry.get(field), str) else ""
                )
                for field in spec["fields"]
            }
            for entry in entries
            if isinstance(entry, dict)
        ]
    for name in LISTS:
        values = data.get(name) if isinstance(data.get(name), list) else []
        cv[name] = [
            item for item in (clean_line(value) for value in values if isinstance(value, str)) if item
        ]
    # The order of EMPTY_CV, for whoever reads the stored JSON.
    cv = {key: cv[key] for key in EMPTY_CV}
    return cv


def is_empty(cv):
    """True when the CV holds nothing at all."""
    cv = normalize(cv)
    return not (
        any(cv["identity"].values())
        or cv["headline"]
        or cv["summary"]
        or any(cv[name] for name in LISTS)
        or any(any(entry.values()) for group in GROUPS for entry in cv[group])
    )


def export_problem(cv):
    """Why this CV cannot be exported yet (a translated sentence), or None."""
    cv = normalize(cv)
    if is_empty(cv):
        return _("Your CV is empty: fill in the CV builder before exporting it.")
    identity = cv["identity"]
    if not (identity["first_name"] or identity["last_name"]):
        return _("Your CV has no name: give your first and last name before exporting it.")
    errors = validate(cv)
    if errors:
        return _("Correct your CV before exporting it: %(errors)s") % {"errors": " ".join(errors.values())}
    return None


# ---------------------------------------------------------------------------
# What the exports show
# ---------------------------------------------------------------------------
def level_label(level):
    """The label of a language level: "Advanced (C1)" for "c1"; a level not in the list
    (written before it existed) as it is stored."""
    return str(LANGUAGE_LEVELS.get(level, level or ""))


def blocks(text):
    """Multi-line text as blocks, for the templates: {"kind": "paragraph", "lines": [...]}
    (its lines kept) or {"kind": "list", "lines": [...]}, from lines written "- ..." or
    "• ..."."""
    result = []
    for chunk in re.split(r"\n\s*\n", text or ""):
        current = None
        for line in chunk.split("\n"):
            line = line.strip()
            if not line:
                continue
            bullet = _BULLET.match(line)
            kind = "list" if bullet else "paragraph"
            if current is None or current["kind"] != kind:
                current = {"kind": kind, "lines": []}
                result.append(current)
            current["lines"].append(_BULLET.sub("", line) if bullet else line)
    return result


def dates(start, end):
    if start and end:
        return f"{start} – {end}"
    if start:
        return _("Since %(start)s") % {"start": start}
    return end


def prepare(cv):
    """The CV as its templates and the text export show it: empty entries left out,
    names, dates and language levels written out, long texts cut into blocks."""
    cv = normalize(cv)
    identity = cv["identity"]
    name = " ".join(part for part in (identity["first_name"], identity["last_name"]) if part)
    experiences = [
        {
            **entry,
            "dates": dates(entry["start"], entry["end"]),
            "where": " · ".join(part for part in (entry["employer"], entry["place"]) if part),
            "blocks": blocks(entry["description"]),
        }
        for entry in cv["experiences"]
        if any(entry.values())
    ]
    education = [
        {**entry, "blocks": blocks(entry["description"])} for entry in cv["education"] if any(entry.values())
    ]
    languages = [
        {**entry, "level_label": level_label(entry["level"])} for entry in cv["languages"] if entry["name"]
    ]
    return {
        **cv,
        "name": name,
        "summary_blocks": blocks(cv["summary"]),
        "experiences": experiences,
        "education": education,
        "languages": languages,
        "has_contact": any(identity[field] for field in ("email", "phone", "city")),
    }


def _lang():
    return translation.get_language() or "fr"


# ---------------------------------------------------------------------------
# Plain text, for applicant tracking systems
# ---------------------------------------------------------------------------
def _heading(title):
    title = title.upper()
    return [title, "=" * len(title)]


def _text_blocks(items):
    lines = []
    for block in items:
        bullet = "- " if block["kind"] == "list" else ""
        lines.extend(bullet + line for line in block["lines"])
    return lines


def render_text(cv):
    """The CV as plain UTF-8 text: one column, simple headings, no tables; what an
    applicant tracking system reads best, and what a seeker can paste into a form."""
    cv = prepare(cv)
    identity = cv["identity"]
    sections = []
    top = []
    if cv["name"]:
        top.append(cv["name"])
    if cv["headline"]:
        top.append(cv["headline"])
    contact = [
        (label, identity[field])
        for field, label in (
            ("email", pgettext("CV", "E-mail")),
            ("phone", pgettext("CV", "Phone")),
            ("city", pgettext("CV", "City")),
        )
        if identity[field]
    ]
    if contact:
        top.append("")
        top.extend(f"{label}: {value}" for label, value in contact)
    if top:
        sections.append(top)
    if cv["summary_blocks"]:
        lines = _heading(pgettext("CV", "Profile"))
        for block in cv["summary_blocks"]:
            lines.extend(_text_blocks([block]))
            lines.append("")
        sections.append(lines[:-1])
    if cv["experiences"]:
        lines = _heading(pgettext("CV", "Professional experience"))
        for entry in cv["experiences"]:
            lines.append(" – ".join(part for part in (entry["title"], entry["where"]) if part))
            if entry["dates"]:
                lines.append(entry["dates"])
            lines.extend(_text_blocks(entry["blocks"]))
            lines.append("")
        sections.append(lines[:-1])
    if cv["education"]:
        lines = _heading(pgettext("CV", "Education and training"))
        for entry in cv["education"]:
            lines.append(" – ".join(part for part in (entry["title"], entry["school"]) if part))
            if entry["year"]:
                lines.append(entry["year"])
            lines.extend(_text_blocks(entry["blocks"]))
            lines.append("")
        sections.append(lines[:-1])
    if cv["skills"]:
        sections.append(_heading(pgettext("CV", "Skills")) + [f"- {skill}" for skill in cv["skills"]])
    if cv["languages"]:
        sections.append(
            _heading(pgettext("CV", "Languages"))
            + [
                f"- {entry['name']}: {entry['level_label']}" if entry["level_label"] else f"- {entry['name']}"
                for entry in cv["languages"]
            ]
        )
    if cv["interests"]:
        sections.append(
            _heading(pgettext("CV", "Interests")) + [f"- {interest}" for interest in cv["interests"]]
        )
    return "\n\n".join("\n".join(lines) for lines in sections) + "\n"


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------
def render_html(cv, template):
    """The HTML the PDF is made from (in the active language)."""
    if template not in TEMPLATES:
        raise ValueError(f"Unknown CV template: {template!r}")
    return render_to_string(TEMPLATES[template], {"cv": prepare(cv), "lang": _lang()})


def render_pdf(cv, template, request=None):
    """The CV as an accessible PDF, as bytes: PDF/UA (tagged: headings, lists, reading
    order; title, author and language set), its text real and selectable. In the
    request's language. The templates need nothing from outside (system fonts, no
    image): core.pdf fetches no URL at all, whatever a CV holds."""
    language = getattr(request, "LANGUAGE_CODE", None) or _lang()
    with translation.override(language):
        html = render_html(cv, template)
    return html_to_pdf(html)


def file_stem(cv, version=None):
    """`cv-<name>[-v<n>]`: the name of a downloaded file, ASCII only."""
    identity = normalize(cv)["identity"]
    name = slugify(unicodedata.normalize("NFKD", f"{identity['first_name']} {identity['last_name']}"))
    name = name.encode("ascii", "ignore").decode()[:60].strip("-")
    stem = "-".join(part for part in ("cv", name) if part)
    return f"{stem}-v{version}" if version is not None else stem
