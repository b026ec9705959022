"""The examples in the normalize docstrings are true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["__init__", "html", "location", "salary", "dates", "title"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(
        "leadboard.normalize" if name == "__init__" else f"leadboard.normalize.{name}"
    )
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
