"""Fixtures for the response-model tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

SEED_FILE = Path(__file__).with_name("seed_responses.json")


@pytest.fixture(scope="session")
def seed() -> dict[str, dict[str, Any]]:
    """The example responses of the Node.js SDK manual (shared/seeds/000_...), by endpoint."""
    data: dict[str, dict[str, Any]] = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def round_trip() -> Callable[[BaseModel, dict[str, Any]], None]:
    """Assert that a model dumps back to exactly the JSON it was parsed from."""

    def check(model: BaseModel, payload: dict[str, Any]) -> None:
        dumped = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
        assert dumped == payload
        assert type(model).model_validate(model.model_dump(by_alias=True)) == model

    return check
