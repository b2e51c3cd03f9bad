"""``--rc-version`` on both commands and on ``EmbeddedServer``: ``/api/info`` reports the line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest

import rocketchat_livechat
from _support.servers import serve_command, server_command, start_server
from rocketchat_livechat.server import EmbeddedServer

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("command", "line"),
    [(server_command, "7.10"), (serve_command, "6.14")],
    ids=["python -m rocketchat_livechat.server", "rocketchat-livechat serve"],
)
def test_the_command_emulates_the_line(command: object, line: str) -> None:
    argv = command("--port", "0", "--rc-version", line)  # type: ignore[operator]
    with start_server(argv) as server:
        assert httpx2.get(f"{server.url}/api/info").json()["version"] == f"{line}.0"
        assert f"Rocket.Chat {line}.0-compatible" in "".join(server.output)


def test_an_unknown_line_is_a_usage_error() -> None:
    with pytest.raises(ValueError, match=r"one of 6\.14, 7\.10, 8\.8, 9\.0"):
        EmbeddedServer(rc_version="7.4")


def test_embedded_server_default_and_choice() -> None:
    with EmbeddedServer(rate_limit=False, rc_version="8.8") as server:
        assert httpx2.get(f"{server.url}/api/info").json()["version"] == "8.8.0"
    assert EmbeddedServer().line.full_version == "9.0.0"


@pytest.mark.parametrize("line", ["6.14", "9.0"])
def test_the_offline_message_limit_by_line(line: str) -> None:
    """7.x gave ``offline.message`` its own limit (1 per 5 s); 6.14 applied the default."""
    body = {"name": "Olga", "email": "olga@example.com", "message": "call me"}
    with EmbeddedServer(rc_version=line) as server:
        url = f"{server.url}/api/v1/livechat/offline.message"
        first, second = (httpx2.post(url, json=body) for _ in range(2))
    assert first.headers["x-ratelimit-limit"] == ("10" if line == "6.14" else "1")
    assert second.status_code == (200 if line == "6.14" else 429)


PROBE = """
import httpx2
import pytest


def test_session_line(livechat_server):
    assert httpx2.get(livechat_server.url + "/api/info").json()["version"] == "{session}.0"


@pytest.mark.rc_version("6.14")
def test_marked_line(livechat_server):
    assert httpx2.get(livechat_server.url + "/api/info").json()["version"] == "6.14.0"
"""


def test_the_plugin_option_and_marker(tmp_path: Path) -> None:
    """``pytest --rc-version 7.10`` in a user's project; the marker overrides it per test."""
    (tmp_path / "test_probe.py").write_text(PROBE.replace("{session}", "7.10"))
    src = str(Path(rocketchat_livechat.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rc-version", "7.10"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
