"""Reliability suite fixtures: embedded-server deployments.

The full-size tests are marked ``slow`` and run with ``--run-slow`` (see ``tests/conftest.py``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from _reliability_env import Deployment, start_deployment


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    """One server per test module."""
    yield from start_deployment()
