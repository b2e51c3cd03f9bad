"""Fixtures for the CLI tests: the command runner against the shared embedded server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _cli_helpers import Run, invoke, output
from click.testing import Result

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

ENV_VARS = (
    "ROCKETCHAT_URL",
    "ROCKETCHAT_USER",
    "ROCKETCHAT_PASSWORD",
    "ROCKETCHAT_USER_ID",
    "ROCKETCHAT_AUTH_TOKEN",
    "ROCKETCHAT_VISITOR_TOKEN",
    "ROCKETCHAT_ADMIN_PASSWORD",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No credentials from the environment; the chat state file goes to a temporary dir."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config


@pytest.fixture
def run(livechat_server: LivechatTestServer) -> Run:
    """``run(*args)``: the CLI with ``--server`` pointing at the embedded server."""

    def run_cli(*args: str, **kwargs: Any) -> Result:
        return invoke("--server", livechat_server.url, *args, **kwargs)

    return run_cli


@pytest.fixture
def agent(livechat_server: LivechatTestServer) -> Agent:
    """An available agent (so that rooms can be opened and routed)."""
    return livechat_server.create_agent()


@pytest.fixture
def visitor(run: Run, agent: Agent) -> Iterator[dict[str, Any]]:
    """A registered visitor with an open room: ``{"token", "rid", ...visitor}``."""
    registered = output(run("visitor", "register", "--name", "Vera", "--email", "vera@example.com"))
    room = output(run("room", "open", "--token", registered["token"]))
    yield {**registered, "rid": room["room"]["_id"]}
