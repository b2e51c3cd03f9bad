"""Reliability suite fixtures: the ``--run-slow`` switch and embedded-server deployments.

``--run-slow`` (or ``RUN_SLOW=1``) runs the full-size tests marked ``slow``; without it they
are skipped. pytest only parses options registered by the conftest files it loads before
collection, so the flag works when the run starts in or below ``tests/reliability`` (e.g.
``pytest tests/reliability --run-slow``); from the repository root use ``RUN_SLOW=1``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from _reliability_env import Deployment, start_deployment

HERE = Path(__file__).parent


def pytest_addoption(parser: pytest.Parser) -> None:
    with contextlib.suppress(ValueError):  # another conftest may have registered it
        parser.addoption(
            "--run-slow", action="store_true", default=False, help="run tests marked slow"
        )


def run_slow(config: pytest.Config) -> bool:
    """Whether the full-size (``slow``) tests run."""
    return bool(config.getoption("--run-slow", default=False)) or os.environ.get("RUN_SLOW") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if run_slow(config):
        return
    skip = pytest.mark.skip(reason="full size: run with --run-slow (or RUN_SLOW=1)")
    for item in items:
        if HERE in item.path.parents and item.get_closest_marker("slow") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    """One server per test module."""
    yield from start_deployment()
