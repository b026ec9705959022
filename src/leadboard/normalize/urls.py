"""Links from outside: only ``http``/``https`` URLs with a host may be stored or shown as links.

A posting's URL comes from dumps, boards and crawled pages, so it can be ``javascript:…`` in any
disguise. Browsers drop tabs and newlines anywhere in a URL and strip control characters and
spaces around it before they read the scheme (``" JaVa\\tScRiPt:alert(1)"`` runs); this module
reads it the same way and keeps the URL only when the scheme is ``http`` or ``https``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_URL = 8_192  # characters; longer is not a posting's address
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_AROUND = "".join(chr(c) for c in range(0x21))  # C0 controls and space, as the URL standard strips
_ALLOWED_SCHEMES = {"http", "https"}


def safe_http_url(value: str | None) -> str | None:
    """``value`` as a browser would read it, when it is an http(s) URL with a host; else None.

    >>> safe_http_url("  https://jobs.example.com/42 ")
    'https://jobs.example.com/42'
    >>> safe_http_url("HTTP://Example.com"), safe_http_url("//example.com/x")
    ('HTTP://Example.com', None)
    >>> [safe_http_url(v) for v in (
    ...     "javascript:alert(1)", " JAVASCRIPT:alert(1)", "java\\tscript:alert(1)",
    ...     "\\x01javascript:alert(1)", "javascript&colon;alert(1)", "data:text/html,x",
    ...     "https:alert(1)", "http://", "/jobs/1")]
    [None, None, None, None, None, None, None, None, None]
    """
    if not value or len(value) > MAX_URL:
        return None
    url = _TAB_OR_NEWLINE.sub("", value).strip(_AROUND)
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() not in _ALLOWED_SCHEMES or not host:
        return None
    return url
