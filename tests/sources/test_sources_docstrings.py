"""The examples in the sources' docstrings run and hold (the connectors' own files run theirs)."""

from __future__ import annotations

import doctest

import pytest

from leadboard.sources import ashby, base, boards, greenhouse, http, lever, registry

MODULES = [ashby, base, boards, greenhouse, http, lever, registry]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0
