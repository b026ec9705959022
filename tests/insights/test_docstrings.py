"""The examples in the insights modules' docstrings run and say what they show."""

import doctest

import pytest

from leadboard.insights import charts, figures, page, stats


@pytest.mark.parametrize("module", [stats, figures, page, charts], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted and not result.failed
