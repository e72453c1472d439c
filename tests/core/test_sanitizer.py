"""core.sanitizer and the `sanitize` template filter.

Every XSS payload goes through sanitize_html and the output is *parsed* (Python's html.parser,
and the HTML5 spec parser that bleach vendors) to check that nothing executable survives:
only allow-listed elements, only href/title/rel attributes (on links only), no on* attribute,
no comment or declaration, and every href an absolute http/https/mailto URL.

The payloads written below always run. The public lists in tests/data/xss/
(see its README) run as well, one case per non-empty line.
"""

import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from core.sanitizer import sanitize_html
from tests.xss import CORPUS_DIR

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"href", "title", "rel"}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
REL = "nofollow noopener"


# Anything the URL parser of a browser could ignore, and more: all whitespace, C0/C1 controls.
_IGNORABLE_IN_URL = re.compile(r"[\s\x00-\x20\x7f-\x9f]+")
# Outside real tags, the output must not contain a single "<".
_TAG_NAMES = "|".join(sorted(ALLOWED_TAGS, key=len, reverse=True))
_TAG_OPENING = re.compile(rf"</?(?:{_TAG_NAMES})(?=[\s/>])")


# --- The check: nothing executable survives ------------------------------------------------


def _href_problem(value):
    if value is None:
        return "href without a value"
    normalised = _IGNORABLE_IN_URL.sub("", value).lower()
    scheme, colon, _ = normalised.partition(":")
    if not colon or scheme not in ALLOWED_SCHEMES:
        return f"href with a forbidden or missing scheme: {value!r}"
    return None


def _element_problems(tag, attrs):
    """attrs: (name, unescaped value) pairs."""
    problems = []
    if tag not in ALLOWED_TAGS:
        problems.append(f"element <{tag}>")
    if attrs and tag != "a":
        problems.append(f"attributes on <{tag}>: {attrs!r}")
    names = [name for name, _ in attrs]
    for name, value in attrs:
        if name.lower().startswith("on"):
            problems.append(f"event attribute {name}={value!r}")
        if name not in ALLOWED_ATTRIBUTES:
            problems.append(f"attribute {name}={value!r}")
        if name == "href" and (problem := _href_problem(value)):
            problems.append(problem)
    if tag == "a" and (names.count("rel") != 1 or dict(attrs).get("rel") != REL):
        problems.append(f"link without rel={REL!r}: {attrs!r}")
    return problems


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        self.problems += _element_problems(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self.problems += _element_problems(tag, attrs)

    def handle_endtag(self, tag):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"end tag </{tag}>")

    def handle_comment(self, data):
        self.problems.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.problems.append(f"declaration {decl!r}")

    def handle_pi(self, data):
        self.problems.append(f"processing instruction {data!r}")

    def unknown_decl(self, data):
        self.problems.append(f"declaration {data!r}")


def _html_parser_problems(output):
    inspector = _Inspector()
    inspector.feed(output)
    inspector.close()
    return inspector.problems


def _html5_problems(output):
    """The same check with an HTML5 (browser-grade) parser: the html5lib bleach ships."""
    try:
        from bleach._vendor import html5lib
    except ImportError:  # bleach stopped vendoring it: html.parser and the lexical check remain
        return []
    fragment = html5lib.parseFragment(output, treebuilder="etree", namespaceHTMLElements=False)
    problems = []
    for element in fragment.iter():
        if element is fragment:
            continue
        if not isinstance(element.tag, str):
            problems.append(f"comment or other node {element.tag!r}")
            continue
        problems += _element_problems(element.tag, list(element.attrib.items()))
    return problems


def _lexical_problems(output):
    return [
        f"stray '<' at {match.start()}: {output[match.start() : match.start() + 40]!r}"
        for match in re.finditer("<", output)
        if not _TAG_OPENING.match(output, match.start())
    ]


def assert_inert(payload):
    output = sanitize_html(payload)
    problems = _lexical_problems(output) + _html_parser_problems(output) + _html5_problems(output)
    assert not problems, f"{payload!r}\n-> {output!r}\n" + "\n".join(problems)
    return output


# --- Payloads ------------------------------------------------------------------------------

PAYLOADS = {
    # <script>, plain and disguised
    "script": "<script>alert(1)</script>",
    "script-src": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "script-unclosed": "<script>alert(1)",
    "script-nested": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "script-doubled": "<<script>script>alert(1)//<</script>/script>",
    "script-slash-attr": '<SCRIPT/XSS SRC="//evil.example/x.js"></SCRIPT>',
    "attribute-breakout": '"><script>alert(1)</script>',
    "script-in-link": '<a href="https://ok.example"><script>alert(1)</script></a>',
    # event handlers
    "img-onerror": "<img src=x onerror=alert(1)>",
    "img-onerror-selfclosing": '<img src="x" onerror="alert(1)"/>',
    "img-slashes": "<img/src/onerror=alert(1)>",
    "body-onload": "<body onload=alert(1)>",
    "p-onmouseover": '<p onmouseover="alert(1)">survol</p>',
    "p-slash-onclick": "<p/onclick=alert(1)>x</p>",
    "b-onclick": "<b onclick=alert(1)>gras</b>",
    "li-onclick": "<ul><li onclick=alert(1)>x</li></ul>",
    "link-onclick": '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "link-onmouseover-unquoted": "<a title=x onmouseover=alert(1) href=https://ok.example>x</a>",
    "input-onfocus": "<input autofocus onfocus=alert(1)>",
    "details-ontoggle": "<details open ontoggle=alert(1)>",
    "video-source-onerror": "<video><source onerror=alert(1)></video>",
    "marquee-onstart": "<marquee onstart=alert(1)>x</marquee>",
    # javascript:, vbscript:, data: links, with encoding, whitespace and case tricks
    "href-javascript": '<a href="javascript:alert(1)">x</a>',
    "href-javascript-mixed-case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "href-javascript-unquoted": "<a href=javascript:alert(1)>x</a>",
    "href-javascript-digits": '<a href="javascript:1">x</a>',
    "href-tab-entity": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "href-tab-literal": '<a href="jav\tascript:alert(1)">x</a>',
    "href-newline-entity": '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    "href-cr-entity": '<a href="jav&#x0D;ascript:alert(1)">x</a>',
    "href-nul": '<a href="java\x00script:alert(1)">x</a>',
    "href-leading-control": '<a href="\x01javascript:alert(1)">x</a>',
    "href-leading-entity-control": '<a href=" &#14;  javascript:alert(1)">x</a>',
    "href-decimal-entity": '<a href="&#106;avascript:alert(1)">x</a>',
    "href-hex-entities": '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    "href-padded-entities-no-semicolon": (
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114'
        '&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>'
    ),
    "href-colon-named-entity": '<a href="javascript&colon;alert(1)">x</a>',
    "href-colon-entity-no-semicolon": '<a href="javascript&#58alert(1)">x</a>',
    "href-fullwidth": '<a href="ｊａｖａｓｃｒｉｐｔ:alert(1)">x</a>',
    "href-vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "href-data-base64": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "href-data-uppercase": '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    "img-src-javascript": "<IMG SRC=JaVaScRiPt:alert(1)>",
    # SVG and MathML
    "svg-onload": "<svg onload=alert(1)>",
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "svg-xlink": '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    "svg-animate": "<svg><animate onbegin=alert(1) attributeName=x dur=1s></svg>",
    "math-href": '<math href="javascript:alert(1)">CLICK</math>',
    "math-mxss": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "link-xlink-href": (
        '<a href="https://ok.example" xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' xlink:href="javascript:alert(1)">x</a>'
    ),
    # frames, plugins
    "iframe-javascript": '<iframe src="javascript:alert(1)"></iframe>',
    "iframe-srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object-data": '<object data="javascript:alert(1)"></object>',
    "embed-data-svg": '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    # CSS
    "style-expression": '<p style="width: expression(alert(1))">x</p>',
    "style-url-javascript": '<div style="background:url(javascript:alert(1))">x</div>',
    "style-element": "<style>@import 'https://evil.example/x.css';</style>",
    "link-stylesheet": "<link rel=stylesheet href=javascript:alert(1)>",
    "style-class-id-on-link": '<a href="https://ok.example" style="color:red" class="btn" id="x">x</a>',
    # document-level tags
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base-href": '<base href="javascript:alert(1)//">',
    "form-action": '<form action="javascript:alert(1)"><button>go</button></form>',
    "button-formaction": '<button formaction="javascript:alert(1)">x</button>',
    "isindex": "<isindex action=javascript:alert(1) type=image>",
    "table-background": '<table background="javascript:alert(1)">',
    "target-blank-rel-opener": '<a href="https://ok.example" rel="opener" target="_blank">x</a>',
    # malformed, unclosed, comments, raw-text elements (mutation XSS)
    "img-unclosed-quote": '<img src="x onerror=alert(1)',
    "link-unclosed": '<a href="https://ok.example" onclick=alert(1)',
    "comment-hiding-img": "<!--<img src=x onerror=alert(1)>-->",
    "conditional-comment": "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
    "cdata": '<![CDATA[<img src=x onerror=alert(1)>]]><a href="javascript:alert(1)">x</a>',
    "noscript-title": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "textarea": "<textarea><img src=x onerror=alert(1)></textarea>",
    "plaintext": "<plaintext><a href=javascript:alert(1)>x</a>",
    "xmp": "<xmp><img src=x onerror=alert(1)></xmp>",
    "template": "<template><img src=x onerror=alert(1)></template>",
    "title-with-markup": """<a href="https://ok.example" title='"><script>alert(1)</script>'>x</a>""",
    "mailto-with-markup": '<a href="mailto:x@example.org?body=<script>alert(1)</script>">x</a>',
}


def _corpus_cases():
    cases = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        cases += [
            pytest.param(line, id=f"{path.stem}:{number}")
            for number, line in enumerate(lines, start=1)
            if line.strip()
        ]
    return cases


def test_enough_payloads_are_embedded():
    assert len(PAYLOADS) >= 40
    assert len(set(PAYLOADS.values())) == len(PAYLOADS)


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_payload_is_made_inert(payload):
    assert_inert(payload)


@pytest.mark.parametrize("payload", _corpus_cases())
def test_corpus_payload_is_made_inert(payload):
    assert_inert(payload)


def test_the_check_itself_catches_executable_html():
    """The checks above must fail on what they are meant to catch."""
    for bad in (
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="jav&#x09;ascript:alert(1)" rel="nofollow noopener">x</a>',
        '<a href="/relative" rel="nofollow noopener">x</a>',
        '<a href="https://ok.example">no rel</a>',
        '<p class="x">x</p>',
        "<!-- comment -->",
    ):
        assert _lexical_problems(bad) + _html_parser_problems(bad) + _html5_problems(bad), bad


# --- What must survive, exactly --------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<p>Bonjour <strong>Karim</strong></p>",
        "<p>Un <b>gras</b>, un <em>italique</em> et un <i>autre</i>.</p>",
        "<ul><li>CV</li><li>Lettre de motivation</li></ul>",
        "<ol><li>Se présenter</li><li>Poser des questions</li></ol>",
        "Ligne 1<br>Ligne 2",
        "<p>À bientôt, Zoé ! Ça s’est très bien passé — « merci » œuvre ÉLÈVE</p>",
    ],
)
def test_allowed_formatting_is_kept_unchanged(html):
    assert assert_inert(html) == html


def test_self_closing_line_break_is_kept():
    assert sanitize_html("Ligne 1<br/>Ligne 2") == "Ligne 1<br>Ligne 2"


def test_https_link_gets_rel():
    assert (
        assert_inert('<a href="https://example.org">x</a>')
        == '<a href="https://example.org" rel="nofollow noopener">x</a>'
    )


def test_http_link_with_title_is_kept():
    assert (
        assert_inert('<a href="http://example.org/offres?a=1&amp;b=2" title="Offres">offres</a>')
        == '<a href="http://example.org/offres?a=1&amp;b=2" title="Offres" rel="nofollow noopener">offres</a>'
    )


def test_mailto_link_is_kept():
    assert (
        assert_inert('<a href="mailto:conseillere@exemple.test">écrire</a>')
        == '<a href="mailto:conseillere@exemple.test" rel="nofollow noopener">écrire</a>'
    )


def test_rel_written_by_the_user_is_replaced():
    assert (
        assert_inert('<a rel="opener me" href="https://example.org" target="_blank">x</a>')
        == '<a href="https://example.org" rel="nofollow noopener">x</a>'
    )


@pytest.mark.parametrize(
    "href",
    [
        "/accounts/",
        "offres.html",
        "#haut",
        "//evil.example/x",
        "ftp://example.org/",
        "tel:+33100000000",
        "javascript:1",
        "jav&#x09;ascript:alert(1)",
        "h&#116;tps://example.org",
    ],
)
def test_href_without_an_allowed_scheme_is_removed(href):
    assert assert_inert(f'<a href="{href}">x</a>') == '<a rel="nofollow noopener">x</a>'


def test_disallowed_tags_are_removed_and_their_text_is_inert():
    assert sanitize_html("<div><span>Texte</span></div>") == "Texte"
    assert sanitize_html("<script>alert(1)</script>") == "alert(1)"
    assert sanitize_html("2 < 3 & 4 > 1") == "2 &lt; 3 &amp; 4 &gt; 1"


def test_comments_and_presentation_attributes_are_removed():
    assert sanitize_html("<p>a<!-- secret -->b</p>") == "<p>ab</p>"
    assert sanitize_html('<p style="color:red" class="x" id="y" onclick="z()">t</p>') == "<p>t</p>"


@pytest.mark.parametrize("empty", [None, ""])
def test_nothing_gives_empty_string(empty):
    assert sanitize_html(empty) == ""


def test_concurrent_use_gives_the_same_results():
    inputs = list(PAYLOADS.values()) * 5
    expected = [sanitize_html(payload) for payload in inputs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(sanitize_html, inputs)) == expected


# --- The template filter ---------------------------------------------------------------------


def _render(value):
    return Template("{% load sanitize %}<div>{{ value|sanitize }}</div>").render(Context({"value": value}))


def test_filter_renders_allowed_html_unescaped():
    assert (
        _render('<p>Bonjour <strong>Karim</strong>, voir <a href="https://example.org">ici</a></p>')
        == '<div><p>Bonjour <strong>Karim</strong>, voir <a href="https://example.org" rel="nofollow noopener">ici</a></p></div>'
    )


def test_filter_makes_payloads_inert():
    rendered = _render(
        '<img src=x onerror=alert(1)><script>alert(2)</script><a href="javascript:alert(3)">x</a>'
    )
    assert rendered == '<div>alert(2)<a rel="nofollow noopener">x</a></div>'


@pytest.mark.parametrize("empty", [None, ""])
def test_filter_renders_nothing_for_empty_values(empty):
    assert _render(empty) == "<div></div>"
