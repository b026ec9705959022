"""The examples in every source module's docstrings run and hold, the connectors' included."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

import pytest

import leadboard.sources

MODULES = [
    importlib.import_module(f"leadboard.sources.{info.name}")
    for info in pkgutil.iter_modules(leadboard.sources.__path__)
]


def test_every_connector_module_is_checked() -> None:
    from leadboard.sources.registry import CONNECTORS

    names = {module.__name__ for module in MODULES}
    assert {path.partition(":")[0] for path in CONNECTORS.values()} <= names


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
