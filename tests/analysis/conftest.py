"""Fixtures for the analysis core tests (pure functions, no database)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.analysis import Program, default_program_path, load_program
from tests.analysis.analysis_support import contact

ContactFactory = Callable[..., dict[str, Any]]


@pytest.fixture(scope="session")
def program() -> Program:
    return load_program(default_program_path())


@pytest.fixture
def make_contact() -> ContactFactory:
    return contact


def numeric_leaves(value: Any) -> Iterator[float]:
    """Every int/float in a nested JSON-like value (bools excluded)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from numeric_leaves(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from numeric_leaves(item)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield float(value)


@pytest.fixture
def assert_all_finite() -> Callable[[Any], None]:
    def check(value: Any) -> None:
        leaves = list(numeric_leaves(value))
        assert leaves, "expected some numbers"
        bad = [leaf for leaf in leaves if not math.isfinite(leaf)]
        assert not bad, f"non-finite numbers: {bad}"

    return check
