"""Every kind's ``board_from_url`` takes any text a person pastes: URLs of other kinds, no
scheme, malformed hosts — it names a board or says None, never raises."""

from __future__ import annotations

import pytest

from leadboard.sources.boards import BoardSpecError, detect_board
from leadboard.sources.registry import KINDS, connector_class

NOT_BOARDS = [
    "https://[abc/x",  # an unclosed IPv6 bracket: urlsplit raises ValueError
    "http://[::1",
    "",
    "   ",
    "not a url at all",
    "https://www.example.com/careers",
    "mailto:jobs@example.com",
]


@pytest.mark.parametrize("kind", KINDS)
def test_no_board_in_text_that_names_none(kind: str) -> None:
    for text in NOT_BOARDS:
        assert connector_class(kind).board_from_url(text) is None, (kind, text)


@pytest.mark.parametrize("text", NOT_BOARDS)
def test_detecting_a_board_in_bad_text_is_a_clear_error(text: str) -> None:
    with pytest.raises(BoardSpecError, match="no supported job board recognised"):
        detect_board(text)
