"""Descriptions: HTML (or escaped HTML, or plain text) → clean text and safe display HTML.

Sources hand us three shapes of description:

* real HTML (Ashby, Lever, most scrapers), sometimes with entities escaped twice (``&amp;amp;``);
* HTML that arrives entity-*escaped* (Greenhouse ``content``: ``&lt;p&gt;Hello&lt;/p&gt;``);
* plain text (LinkedIn and CSV dumps).

``clean_description`` turns any of them into a ``CleanDescription``: readable text (block elements
become line breaks, list items become ``- `` lines) for search and the ML, and sanitised HTML that
is safe to render (allow-list via ``nh3``: no script/style/iframe, no ``on*`` attributes, no
``javascript:`` URLs, links get ``rel="nofollow noopener"``).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field

import nh3
from selectolax.lexbor import LexborHTMLParser

# Descriptions are a few KB; anything past ~1 MB is a scraping accident (a whole page, base64
# images). Truncating keeps a 5 MB input well under a second instead of stalling the importer.
MAX_DESCRIPTION_CHARS = 1_000_000

# Tags a job description may keep for display. Images are left out on purpose: they are mostly
# tracking pixels and logos, and they load third-party URLs in the reader's browser.
_ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
# Tags removed together with everything inside them (their content is never readable text).
_DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "noscript",
    "template",
    "object",
    "embed",
    "svg",
    "math",
    "head",
    "title",
    "textarea",
    "select",
    "button",
    "form",
}
_SANITIZER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    clean_content_tags=_DROPPED_WITH_CONTENT,
    attributes={"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
    url_schemes={"http", "https", "mailto"},
    link_rel="nofollow noopener",
    strip_comments=True,
)

# Elements that start a new line in rendered HTML. Private-use characters mark the breaks while
# the tree is flattened, so they survive the collapsing of the source's own (meaningless) newlines.
_LINE_TAGS = "br, dd, div, dt, figcaption, li, tr"
_PARAGRAPH_TAGS = (
    "address, article, aside, blockquote, dl, fieldset, figure, footer, h1, h2, h3, h4, h5, h6, "
    "header, hr, main, nav, ol, p, pre, section, table, ul"
)
_BREAK = "\ue000"
_PARAGRAPH = "\ue002"
_BULLET = "\ue001"
_BULLET_GAP = re.compile("\ue001\\s*")
_GAP_BEFORE_BULLET = re.compile(r"\n{2,}(?=- )")
_MARKER_RUN = re.compile(r"\s*[\ue000\ue002][\s\ue000\ue002]*")

_REAL_TAG = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*|/[a-zA-Z][a-zA-Z0-9]*)[\s>/]")
_ESCAPED_TAG = re.compile(r"&lt;/?[a-zA-Z][a-zA-Z0-9]*(?:\s|&gt;|/&gt;)")
_COMMON_TAG = re.compile(
    r"</?(?:p|div|br|ul|ol|li|h[1-6]|span|strong|b|em|i|a|table)\b[^>]*>", re.I
)
_DOUBLE_ESCAPED = re.compile(r"&amp;(#\d+;|#x[0-9a-fA-F]+;|[a-zA-Z][a-zA-Z0-9]*;)")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
# C0/C1 control characters except tab and newline, zero-width characters and the BOM.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u2060\ufeff]")
_ANY_WHITESPACE = re.compile(r"\s+")


@dataclass
class CleanDescription:
    """A description as text (for search and ML) and as safe HTML (for display)."""

    text: str
    html: str
    warnings: list[str] = field(default_factory=list)


def looks_escaped_html(value: str) -> bool:
    """True when markup arrived entity-escaped: escaped tags and no real ones.

    >>> looks_escaped_html("&lt;p&gt;Hello&lt;/p&gt;")
    True
    >>> looks_escaped_html("<p>Fish &amp; chips</p>")
    False
    """
    return bool(_ESCAPED_TAG.search(value)) and not _REAL_TAG.search(value)


def looks_like_html(value: str) -> bool:
    """Guess the format of an unlabelled description: real or escaped common tags → HTML.

    >>> looks_like_html("<ul><li>Python</li></ul>"), looks_like_html("salary < 100k")
    (True, False)
    """
    return bool(_COMMON_TAG.search(value)) or looks_escaped_html(value)


def unescape_entities(text: str) -> str:
    """Decode ``&name;`` / ``&#nn;`` entities only (``R&D`` and ``AT&T`` stay as they are).

    >>> unescape_entities("Fish &amp; chips, R&D, caf&eacute;")
    'Fish & chips, R&D, café'
    """
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: html_lib.unescape(m.group(0)), text)


def clean_plain_text(text: str) -> str:
    """Normalise whitespace and drop control characters; keep paragraph breaks.

    >>> clean_plain_text("  Hello\\x00   world \\r\\n\\n\\n\\nBye  ")
    'Hello world\\n\\nBye'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    # str.split() knows every Unicode space (NBSP, thin spaces…) and is far faster than a regex.
    text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def html_to_text(markup: str) -> str:
    """Readable text from HTML: blocks become lines, list items ``- `` lines, no script/style.

    >>> html_to_text("<p>Hi <b>there</b></p><ul><li>Python</li><li>SQL</li></ul><script>x</script>")
    'Hi there\\n- Python\\n- SQL'
    """
    markup = _collapse_double_escaping(markup)
    tree = LexborHTMLParser(markup)
    root = tree.body or tree.root
    if root is None:
        return ""
    for node in tree.css(", ".join(sorted(_DROPPED_WITH_CONTENT))):
        node.decompose()
    for node in tree.css("li"):
        if node.text(deep=True).strip():
            node.insert_before(_BREAK + _BULLET)
    for node in tree.css(_LINE_TAGS):
        node.insert_after(_BREAK)
    for node in tree.css(_PARAGRAPH_TAGS):
        node.insert_before(_PARAGRAPH)
        node.insert_after(_PARAGRAPH)
    for node in tree.css("td, th"):
        node.insert_after(" ")
    flat = root.text(deep=True, separator="")
    # Source newlines are just whitespace in HTML; only our markers are real breaks.
    flat = _ANY_WHITESPACE.sub(" ", flat)
    flat = _MARKER_RUN.sub(lambda m: "\n\n" if _PARAGRAPH in m.group(0) else "\n", flat)
    flat = _BULLET_GAP.sub("- ", flat)
    # Entities that were escaped twice come out of the parser still encoded once.
    flat = unescape_entities(flat)
    text = clean_plain_text(flat)
    # Keep list items together even when they wrap paragraphs.
    return _GAP_BEFORE_BULLET.sub("\n", text)


def sanitize_html(markup: str) -> str:
    """HTML that is safe to render: allow-listed tags only, safe links, no scripts.

    >>> sanitize_html('<p onclick="x()">Hi <a href="javascript:alert(1)">x</a><script>y</script>')
    '<p>Hi <a rel="nofollow noopener">x</a></p>'
    """
    return _SANITIZER.clean(_collapse_double_escaping(markup)).strip()


def text_to_html(text: str) -> str:
    """Display HTML for a plain-text description: paragraphs and line breaks, all escaped.

    >>> text_to_html("Hello <you>\\nline two\\n\\nNext")
    '<p>Hello &lt;you&gt;<br>line two</p>\\n<p>Next</p>'
    """
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "\n".join(
        "<p>" + "<br>".join(html_lib.escape(line, quote=False) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )


def clean_description(raw: str | None, description_format: str | None = None) -> CleanDescription:
    """Clean one description of any shape into text and safe HTML.

    ``description_format`` is the source's claim ("html", "text" or None to guess); escaped HTML
    is recognised whatever the claim, since Greenhouse-derived dumps label it "text".

    >>> d = clean_description("&lt;p&gt;Hello &amp;amp; welcome&lt;/p&gt;", "html")
    >>> d.text, d.html
    ('Hello & welcome', '<p>Hello &amp; welcome</p>')
    """
    if not raw:
        return CleanDescription(text="", html="")
    warnings: list[str] = []
    if len(raw) > MAX_DESCRIPTION_CHARS:
        warnings.append(
            f"description truncated from {len(raw):,} to {MAX_DESCRIPTION_CHARS:,} characters"
        )
        raw = raw[:MAX_DESCRIPTION_CHARS]

    if looks_escaped_html(raw):
        markup: str | None = html_lib.unescape(raw)
    elif description_format == "html" or (description_format is None and looks_like_html(raw)):
        markup = raw
    elif description_format == "text" and len(_COMMON_TAG.findall(raw, 0, 20_000)) >= 3:
        markup = raw  # labelled text but plainly markup (several real tags)
    else:
        markup = None

    if markup is None:
        text = clean_plain_text(unescape_entities(raw))
        return CleanDescription(text=text, html=text_to_html(text), warnings=warnings)
    return CleanDescription(
        text=html_to_text(markup), html=sanitize_html(markup), warnings=warnings
    )


MAX_NESTING = 200  # deeper than any real posting; HTML parsers slow down with the square of depth
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


def flatten_deep_nesting(markup: str, limit: int = MAX_NESTING) -> str:
    """Drop the tags nested deeper than ``limit`` (their text stays), in one linear pass.

    Both HTML parsers we use (lexbor to read text, html5ever in nh3 to sanitise) take time that
    grows with the square of the nesting depth: 100k nested ``<div>`` took 110 s. No real posting
    nests 200 deep, so past that the tags carry nothing worth the time.

    >>> flatten_deep_nesting("<div><div><p>x</p></div></div>", limit=2)
    '<div><div>x</div></div>'
    """
    if markup.count("<") <= limit:
        return markup
    depth = 0
    kept: list[str] = []
    start = 0
    for match in _TAG.finditer(markup):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            continue
        if closing:
            drop = depth > limit
            depth = max(0, depth - 1)
        else:
            depth += 1
            drop = depth > limit
        if drop:
            kept.append(markup[start : match.start()])
            start = match.end()
    kept.append(markup[start:])
    return "".join(kept)


def _collapse_double_escaping(markup: str) -> str:
    """``&amp;amp;`` → ``&amp;`` (and ``&amp;lt;`` → ``&lt;``), a few rounds at most; and
    nesting no parser should spend quadratic time on, flattened (``flatten_deep_nesting``)."""
    markup = flatten_deep_nesting(markup)
    for _ in range(3):
        if "&amp;" not in markup:
            break
        collapsed = _DOUBLE_ESCAPED.sub(r"&\1", markup)
        if collapsed == markup:
            break
        markup = collapsed
    return markup
