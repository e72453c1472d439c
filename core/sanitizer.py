"""The project's one HTML sanitiser.

Every piece of HTML written by a user (atelier answers, counsellor notes, feedback...) goes
through `sanitize_html` before it is stored or shown; templates show it with the `sanitize`
filter (core/templatetags/sanitize.py), the only allowed use of mark_safe for user HTML.

The allow-list is deliberately small: paragraphs, line breaks, bold, italic, lists and
links. Disallowed tags are removed (their text is kept, escaped, so it is inert), comments
are dropped, no style/class/event attribute survives, links keep only an absolute
http/https/mailto `href` (plus `title`) and always get rel="nofollow noopener".
"""

import re
import threading

from bleach.html5lib_shim import Filter
from bleach.sanitizer import Cleaner

ALLOWED_TAGS = frozenset({"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a"})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"

# The scheme must be written out plainly: browsers ignore leading C0 controls and spaces,
# anything else (entities, tabs inside the scheme, a relative URL) loses the href.
_ALLOWED_HREF = re.compile(r"[\x00-\x20]*(?:https?|mailto):", re.IGNORECASE)


def _allow_link_attribute(tag: str, name: str, value: str) -> bool:
    """Attribute allow-list for <a>: `title`, and an `href` with an allowed scheme.

    bleach keeps scheme-less (relative) URLs and, because its vendored urlparse takes
    "javascript:123" for a host and port, even `javascript:<digits>`; hence this check,
    on top of bleach's own protocol check.
    """
    if name == "title":
        return True
    return name == "href" and _ALLOWED_HREF.match(value) is not None


class _ForceLinkRel(Filter):
    """html5lib filter run after bleach's sanitiser: every <a> gets our rel, and only it.

    bleach has already dropped any rel written by the user (rel is not allow-listed).
    """

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "a":
                attrs = dict(token.get("data") or {})
                attrs[(None, "rel")] = LINK_REL
                token["data"] = attrs
            yield token


def _build_cleaner() -> Cleaner:
    return Cleaner(
        tags=ALLOWED_TAGS,
        attributes={"a": _allow_link_attribute},
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[_ForceLinkRel],
    )


# bleach documents Cleaner as NOT thread-safe (its html5lib parser keeps state between
# calls), and Django serves requests from several threads; so one Cleaner per thread,
# built on first use, instead of one shared module-level instance.
_local = threading.local()


def _cleaner() -> Cleaner:
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = _build_cleaner()
    return cleaner


def sanitize_html(html: str | None) -> str:
    """Return `html` reduced to the allow-list above; None or "" gives ""."""
    if not html:
        return ""
    return _cleaner().clean(str(html))
