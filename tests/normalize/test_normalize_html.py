"""Descriptions: HTML, escaped HTML and plain text → clean text and safe display HTML."""

from __future__ import annotations

import time

import pytest

from leadboard.normalize.html import (
    MAX_DESCRIPTION_CHARS,
    clean_description,
    clean_plain_text,
    html_to_text,
    looks_escaped_html,
    sanitize_html,
)

GREENHOUSE_ESCAPED = (
    "&lt;div class=&quot;content-intro&quot;&gt;&lt;p&gt;Anduril Industries is a defense "
    "technology company.&lt;/p&gt;&lt;/div&gt;&lt;h2&gt;About the job&lt;/h2&gt;&lt;ul&gt;"
    "&lt;li&gt;Build &amp;amp; ship&lt;/li&gt;&lt;li&gt;Lead&lt;/li&gt;&lt;/ul&gt;"
)


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>Hello <b>world</b></p>", "Hello world"),
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<ul><li>Python</li><li>SQL</li></ul>", "- Python\n- SQL"),
        ("<p>Reqs:</p><ul><li><p>Python</p></li><li>SQL</li></ul>", "Reqs:\n- Python\n- SQL"),
        ("line one<br>line two", "line one\nline two"),
        ("<div>a\n\n   b</div>", "a b"),  # source newlines are only whitespace
        ("<p>x</p><script>alert(1)</script><style>p{}</style>", "x"),
        ("<h3>Snapshot&nbsp;</h3><p>Fish &amp; chips</p>", "Snapshot\n\nFish & chips"),
        ("<p>Double &amp;amp; escaped</p>", "Double & escaped"),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "a b"),
        ("<ul><li>kept</li><li> </li></ul>", "- kept"),
        (
            '<span>$156,000</span><span class="divider">&mdash;</span><span>$225,600 USD</span>',
            "$156,000—$225,600 USD",
        ),
    ],
)
def test_html_to_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


@pytest.mark.parametrize(
    ("markup", "forbidden"),
    [
        ("<p>Hi</p><script>alert(1)</script>", "<script"),
        ("<p>Hi</p><script>alert(1)</script>", "alert"),
        ("<style>body{display:none}</style><p>Hi</p>", "display"),
        ('<iframe src="https://evil.example"></iframe><p>Hi</p>', "iframe"),
        ('<p onclick="steal()">Hi</p>', "onclick"),
        ('<img src=x onerror="steal()">', "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<a href="data:text/html;base64,xx">x</a>', "data:"),
        ('<p style="position:fixed">Hi</p>', "style="),
        ("<form><input name=q></form>", "<input"),
    ],
)
def test_sanitize_html_removes_dangerous_markup(markup: str, forbidden: str) -> None:
    assert forbidden not in sanitize_html(markup).lower()


def test_sanitize_html_keeps_structure_and_marks_links() -> None:
    html = sanitize_html(
        '<h2>Role</h2><ul><li><a href="https://acme.example/jobs">Apply</a></li></ul>'
    )
    assert "<h2>Role</h2>" in html
    assert '<a href="https://acme.example/jobs" rel="nofollow noopener">Apply</a>' in html


def test_looks_escaped_html() -> None:
    assert looks_escaped_html(GREENHOUSE_ESCAPED)
    assert not looks_escaped_html("<p>Real &lt;b&gt; inside</p>")
    assert not looks_escaped_html("I &lt;3 ML")  # an entity, not a tag


def test_greenhouse_escaped_content_is_unescaped_before_stripping() -> None:
    clean = clean_description(GREENHOUSE_ESCAPED, "html")
    assert clean.text == (
        "Anduril Industries is a defense technology company.\n\n"
        "About the job\n- Build & ship\n- Lead"
    )
    assert "<h2>About the job</h2>" in clean.html
    assert "&lt;" not in clean.html


def test_escaped_html_labelled_text_is_still_read_as_html() -> None:
    assert clean_description("&lt;p&gt;Hello&lt;/p&gt;", "text").text == "Hello"


@pytest.mark.parametrize(
    ("raw", "fmt", "text"),
    [
        ("  Hello\x00   world \r\n\n\n\nBye  ", "text", "Hello world\n\nBye"),
        ("Tabs\tand\u00a0nbsp\u200b", "text", "Tabs and nbsp"),
        ("R&D at AT&T, fish &amp; chips", "text", "R&D at AT&T, fish & chips"),
        ("salary < $100k and > $50k", None, "salary < $100k and > $50k"),
        ("<p>guessed</p>", None, "guessed"),
        ("", "html", ""),
        (None, None, ""),
    ],
)
def test_clean_description_text(raw: str | None, fmt: str | None, text: str) -> None:
    assert clean_description(raw, fmt).text == text


def test_plain_text_gets_escaped_display_html() -> None:
    clean = clean_description("Hello <you>\nline two\n\nNext", "text")
    assert clean.html == "<p>Hello &lt;you&gt;<br>line two</p>\n<p>Next</p>"


def test_clean_plain_text_keeps_paragraphs() -> None:
    assert clean_plain_text("a\n\n\n\nb\nc") == "a\n\nb\nc"


def test_huge_description_is_truncated_quickly_with_a_warning() -> None:
    huge = "<p>" + "word " * 1_000_000 + "</p>"  # 5 MB
    started = time.process_time()
    clean = clean_description(huge, "html")
    elapsed = time.process_time() - started
    assert elapsed < 2.0, f"5 MB description took {elapsed:.2f} CPU-s"  # CPU: load-proof
    assert len(clean.text) <= MAX_DESCRIPTION_CHARS
    assert clean.warnings and "truncated" in clean.warnings[0]


def test_deep_nesting_is_flattened_in_linear_time() -> None:
    """100k nested tags took ~110 s to parse (both parsers are quadratic in depth): issue 12."""
    from leadboard.normalize.html import MAX_NESTING, clean_description, flatten_deep_nesting

    depth = 100_000
    markup = "<div>" * depth + "<p>Lead the ML team</p>" + "</div>" * depth
    started = time.process_time()
    cleaned = clean_description(markup, "html")
    assert time.process_time() - started < 5
    assert cleaned.text == "Lead the ML team"
    flat = flatten_deep_nesting(markup)
    assert flat.count("<div>") == MAX_NESTING and flat.count("</div>") == MAX_NESTING
    shallow = "<div><ul><li>Python</li></ul></div>"
    assert flatten_deep_nesting(shallow) == shallow
