"""site/nginx.conf.example lets through every body Django accepts (core.request_limits).

nginx refuses a body over its location's `client_max_body_size` with a bare page of its
own, before Django can say anything useful: a limit raised in Django and forgotten in
nginx breaks the upload in production only. So every URL of the project (with a sample
value for each argument, under /en/ too) is matched against the example's locations as
nginx matches them, and the body allowed there must be at least what Django accepts
for that view.
"""

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import translation

from core.request_limits import limit_for

CONF = Path(settings.BASE_DIR) / "site" / "nginx.conf.example"
NGINX_DEFAULT_BODY = 1024 * 1024  # client_max_body_size's default
# A page's routes are not in the URLconf: the e-atelier's file exercise (ateliers.models).
PAGE_ROUTE_UPLOADS = {
    f"/parcours/mon-cv/etape-1/exercices/{uuid.UUID(int=7)}/": lambda: settings.ATELIER_MAX_UPLOAD_BYTES,
}


# --- A reading of nginx's configuration, enough for this file -----------------------------------


@dataclass
class Block:
    words: list
    directives: dict = field(default_factory=dict)
    children: list = field(default_factory=list)
    parent: "Block | None" = None

    def setting(self, name):
        """A directive's value here or, as nginx inherits it, in the blocks around."""
        block = self
        while block is not None:
            if name in block.directives:
                return block.directives[name]
            block = block.parent
        return None


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{};]|[^\s{};"]+')


def parse(text):
    root = Block(["main"])
    current, words = root, []
    text = re.sub(r"^\s*#.*$|(?<=\s)#.*$", "", text, flags=re.MULTILINE)  # comments
    for token in _TOKEN.findall(text):
        if token == "{":
            child = Block(words, parent=current)
            current.children.append(child)
            current, words = child, []
        elif token == "}":
            current, words = current.parent, []
        elif token == ";":
            if words:
                current.directives[words[0]] = words[1:]
            words = []
        else:
            words.append(token.strip('"'))
    return root


def _locations(block):
    return [child for child in block.children if child.words[0] == "location"]


def _prefix(block, path):
    """The longest prefix location matching `path`, looking into nested prefix locations."""
    best = None
    for location in _locations(block):
        modifier, target = location.words[1:] if len(location.words) == 3 else ("", location.words[1])
        longer = best is None or len(target) > len(best.words[-1])
        if modifier in ("", "^~") and path.startswith(target) and longer:
            best = location
    if best is None:
        return None
    return _prefix(best, path) or best


def location_for(server, path):
    """The location nginx chooses for `path`: an exact match, else the first regular
    expression that matches (in the file's order) unless the longest prefix says ^~, else
    the longest prefix. (Regular expressions nested in a prefix location are not used
    by this file.)"""
    for location in _locations(server):
        if location.words[1:] == ["=", path]:
            return location
    prefix = _prefix(server, path)
    if prefix is None or prefix.words[1] != "^~":
        for location in _locations(server):
            modifier = location.words[1]
            if modifier in ("~", "~*"):
                flags = re.IGNORECASE if modifier == "~*" else 0
                if re.search(location.words[2], path, flags):
                    return location
    return prefix or server


def size(value):
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    value = value.lower()
    return int(value[:-1]) * units[value[-1]] if value[-1] in units else int(value)


@pytest.fixture(scope="module")
def server():
    [https] = [
        block
        for block in parse(CONF.read_text()).children
        if block.words == ["server"]
        and "server_name" in block.directives
        and "ssl_certificate" in block.directives
    ]
    return https


def allowed(server, path):
    value = location_for(server, path).setting("client_max_body_size")
    return size(value[0]) if value else NGINX_DEFAULT_BODY


# --- The project's URLs -------------------------------------------------------------------------


def _sample(converter):
    name = type(converter).__name__
    return {"IdConverter": 1, "UUIDConverter": uuid.UUID(int=7), "IntConverter": 1}.get(name, "exemple")


def _patterns(resolvers, namespace="", converters=None):
    """(name, sample kwargs) of every named URL pattern."""
    for entry in resolvers:
        found = {**(converters or {}), **entry.pattern.converters}
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, inner, found)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", {key: _sample(value) for key, value in found.items()}


def project_paths():
    """{path: language} of every named URL, in both languages."""
    paths = {}
    for language in ("fr", "en"):
        with translation.override(language):
            for name, kwargs in _patterns(get_resolver().url_patterns):
                try:
                    paths.setdefault(reverse(name, kwargs=kwargs), language)
                except NoReverseMatch:  # a pattern whose sample values do not fit
                    continue
    return paths


def django_limit(path, language):
    """The largest body Django accepts at `path` (POST), as core.request_limits says."""
    with translation.override(language):
        request = RequestFactory().post(path)
        request.resolver_match = resolve(path)
        return limit_for(request, request.resolver_match.func).body_bytes


def test_the_walk_finds_the_views_that_take_files():
    paths = project_paths()
    for name, kwargs in [
        ("resumable_upload", {"key": uuid.UUID(int=7)}),
        ("interviews:take_send_file", {"page_id": 1, "question_id": 1}),
        ("contact:my_messages", {}),
        ("contact:conversation", {"seeker_id": 1}),
        ("wagtailadmin_account", {}),
    ]:
        assert reverse(name, kwargs=kwargs) in paths
        with translation.override("en"):
            assert reverse(name, kwargs=kwargs) in paths


@pytest.mark.django_db
def test_nginx_lets_through_every_body_django_accepts(server):
    too_small = []
    checked = 0
    for path, language in project_paths().items():
        limit = django_limit(path, language)
        checked += 1
        if allowed(server, path) < limit:
            too_small.append(f"{path}: nginx {allowed(server, path)}, Django {limit}")
    for path, file_limit in PAGE_ROUTE_UPLOADS.items():
        for prefixed in (path, f"/en{path}"):
            limit = file_limit() + settings.REQUEST_MAX_BODY_BYTES
            if allowed(server, prefixed) < limit:
                too_small.append(f"{prefixed}: nginx {allowed(server, prefixed)}, Django {limit}")
    assert checked > 100
    assert not too_small, "\n".join(too_small)


def test_the_reading_of_the_configuration_follows_nginx(server):
    # An exact location, a regular expression before a shorter prefix, the default.
    assert allowed(server, "/admin/account/") == 12 * 1024**2
    assert allowed(server, "/mes-entretiens/3/questions/4/fichier/") == 302 * 1024**2
    assert allowed(server, "/en/mes-messages/") == 12 * 1024**2
    assert allowed(server, "/envois/0f3c8a52-2b1e-4d7a-9c55-6f0e1d2a3b4c/") == 34 * 1024**2
    assert allowed(server, "/admin/media/captions/1/") == 3 * 1024**2  # nested prefix
    assert allowed(server, "/mes-entretiens/3/") == 2 * 1024**2
