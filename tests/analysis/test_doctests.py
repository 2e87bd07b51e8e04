"""The examples in the docstrings of the pure packages run and give what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import analysis
import surveys

MODULES = sorted(
    name
    for package in (analysis, surveys)
    for _, name, _ in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
