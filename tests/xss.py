"""XSS test data and checks shared by the tests of every page that shows user text."""

import re
from pathlib import Path

# Public payload lists (PayloadsAllTheThings), kept with the tests: see data/xss/README.md.
CORPUS_DIR = Path(__file__).resolve().parent / "data" / "xss"

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "background",
    "poster",
    "lowsrc",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")


def corpus_payloads():
    """Every non-empty line of the public payload lists."""
    return [
        line
        for path in sorted(CORPUS_DIR.glob("*.txt"))
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
        if line.strip()
    ]


def executable_parts(element, forbidden):
    """What could run in this parsed HTML (BeautifulSoup): elements of `forbidden`,
    event, style or srcdoc attributes, script URLs."""
    problems = []
    for tag in element.find_all(True):
        if tag.name in forbidden:
            problems.append(f"<{tag.name}>")
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.startswith("on") or name in ("style", "srcdoc"):
                problems.append(f"{tag.name} {name}={value!r}")
            if name in URL_ATTRIBUTES:
                normalised = re.sub(r"[\s\x00-\x20\x7f-\x9f]+", "", value or "").lower()
                if normalised.startswith(BAD_SCHEMES):
                    problems.append(f"{tag.name} {name}={value!r}")
    return problems
