"""Fixtures shared by the SDK unit tests (see ``_harness.py`` for the fake server)."""

from __future__ import annotations

import pytest
from _harness import Driver

import rocketchat_livechat._async.client as async_client
import rocketchat_livechat._sync.client as sync_client


@pytest.fixture(params=["sync", "async"])
def driver(request: pytest.FixtureRequest) -> Driver:
    """Runs a test once with ``LivechatClient`` and once with ``AsyncLivechatClient``."""
    return Driver(request.param)


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The drivers' retry waits, recorded instead of slept."""
    waits: list[float] = []

    def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    async def fake_async_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(sync_client, "sleep", fake_sleep)
    monkeypatch.setattr(async_client, "async_sleep", fake_async_sleep)
    return waits
