"""Printing untrusted text on a terminal: dumps, boards and résumés put their own text (titles,
CSV headers, error reasons) in what the CLI prints, and a terminal obeys some characters."""

from __future__ import annotations

import re

import typer

# Characters a terminal obeys rather than shows: C0 and C1 controls but tab and newline (ESC moves
# the cursor, recolours, retitles), and the bidirectional overrides that reorder what is read.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""``text`` safe to print on a terminal: what a terminal would obey is shown escaped.

    >>> printable("title\x1b[2J\x1b]0;owned\x07 end\r\tok \u202egnp.exe")
    'title\\x1b[2J\\x1b]0;owned\\x07 end\\x0d\tok \\u202egnp.exe'
    """
    return _UNPRINTABLE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def echo(message: str = "", *, err: bool = False) -> None:
    """Print a line; all the CLI prints goes through here, since dumps, boards and résumés put
    their own text (titles, CSV headers, reasons) in what it prints."""
    typer.echo(printable(message), err=err)
