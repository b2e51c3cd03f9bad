"""Fixtures for the embedded-server tests (real sockets, httpx2)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest
from _server_helpers import EventLog

from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer


@pytest.fixture(scope="session")
def _event_log(livechat_embedded_server: EmbeddedServer) -> EventLog:
    log = EventLog()
    livechat_embedded_server.state.broadcaster.add_listener(log)
    return log


@pytest.fixture
def events(_event_log: EventLog) -> EventLog:
    """Events published during this test."""
    _event_log.clear()
    return _event_log


@pytest.fixture
def http(livechat_server: LivechatTestServer) -> Iterator[httpx2.Client]:
    """An anonymous client on ``<url>/api/v1/``."""
    with httpx2.Client(base_url=f"{livechat_server.url}/api/v1/", timeout=30) as client:
        yield client


@pytest.fixture
def admin(livechat_server: LivechatTestServer) -> dict[str, str]:
    """Admin auth headers."""
    return livechat_server.admin_headers


@pytest.fixture
def agent(livechat_server: LivechatTestServer) -> Agent:
    """An online, available agent."""
    return livechat_server.create_agent()
