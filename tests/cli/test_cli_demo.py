"""``demo``: in-process, as a subprocess, against a "real" server, and failing clearly."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from _cli_helpers import invoke

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

STEPS = (
    "agent online",
    "configuration",
    "register visitor",
    "open room",
    "live events",
    "agent assignment",
    "messages both ways, live",
    "edit a message",
    "upload a file",
    "delete a message",
    "history",
    "satisfaction survey",
    "close the chat",
    "request the transcript",
)
REPLIES = (
    "Demo Visitor: Hello! I need help with my order.",
    ": Hello! I'm the demo agent. What's your order number?",
    ": Order #1024 shipped yesterday and arrives on Friday.",
    "Demo Visitor: It's order #1042, sorry. (edited)",
    ": No problem, I've updated order #1042.",
    "Demo Visitor: [file receipt.txt] my receipt",
    ": Thanks, I received “receipt.txt”.",
    " was deleted",
    "is typing…",
    "the chat was closed by",
    "Omnichannel transcript sent",
    "every step passed",
)


def assert_complete(transcript: str) -> None:
    for number, step in enumerate(STEPS, start=1):
        assert f"{number:>2}. {step}\n" in transcript, step
    for line in REPLIES:
        assert line in transcript, line


def test_demo_in_process_with_a_redacted_debug_log(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rocketchat_livechat.cli._demo.new_visitor_token", lambda: "demo-tok-1x")
    monkeypatch.setattr("rocketchat_livechat.server.runner.generate_password", lambda: "adm-pw-1x")
    started = time.perf_counter()
    result = invoke("demo", "-v")
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert_complete(result.stdout)
    assert "embedded server at http://127.0.0.1:" in result.stdout
    assert "DEBUG POST livechat/upload/{rid} -> 200" in result.stderr
    assert "demo-tok-1x" not in result.output
    assert "adm-pw-1x" not in result.output
    assert elapsed < 30


def test_demo_as_a_subprocess_finishes_quickly() -> None:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "rocketchat_livechat.cli", "demo"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert_complete(result.stdout)
    assert result.stderr == ""
    assert elapsed < 30, f"demo took {elapsed:.1f} s"


def test_demo_against_a_server_with_agent_credentials(
    livechat_server: LivechatTestServer, agent: Agent
) -> None:
    result = invoke(
        "demo",
        "--server",
        livechat_server.url,
        "--user",
        agent.username,
        "--password",
        agent.password,
    )
    assert result.exit_code == 0, result.output
    assert_complete(result.stdout)
    assert f"demo against {livechat_server.url}" in result.stdout
    assert f"agent {agent.username!r} is available" in result.stdout


def test_a_failing_step_stops_the_demo_with_a_clear_message(
    livechat_server: LivechatTestServer, agent: Agent
) -> None:
    livechat_server.set_setting("FileUpload_Enabled", False)
    env = {"ROCKETCHAT_USER_ID": agent.user_id, "ROCKETCHAT_AUTH_TOKEN": agent.auth_token}
    result = invoke("demo", "--server", livechat_server.url, env=env)
    assert result.exit_code == 1
    assert " 9. upload a file" in result.stdout
    assert "10. delete a message" not in result.stdout
    assert result.stderr.startswith(
        "error: demo failed at step 9 (upload a file): FileUploadDisabledError"
    )


def test_demo_against_a_server_needs_agent_credentials(
    livechat_server: LivechatTestServer,
) -> None:
    result = invoke("demo", "--server", livechat_server.url)
    assert result.exit_code == 2
    assert "agent credentials needed" in result.stderr


def test_demo_with_manual_routing_takes_the_inquiry(
    livechat_server: LivechatTestServer, agent: Agent
) -> None:
    livechat_server.set_routing("Manual_Selection")
    credentials = ("--user", agent.username, "--password", agent.password)
    result = invoke("demo", "--server", livechat_server.url, *credentials)
    assert result.exit_code == 0, result.output
    assert_complete(result.stdout)
