"""Global options, start-up cost, exit codes, error lines and the redacted debug log."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import time
from typing import Any

from _cli_helpers import Run, invoke, output

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

HEAVY = ("httpx2", "pydantic", "rich", "uvicorn", "starlette", "websockets")


def test_help_imports_only_click_and_the_commands() -> None:
    code = (
        "import sys\n"
        "from rocketchat_livechat.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Commands:" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_help_starts_fast() -> None:
    command = [sys.executable, "-m", "rocketchat_livechat.cli", "--help"]
    subprocess.run(command, capture_output=True, check=True)  # warm the bytecode cache
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    assert "demo" in result.stdout
    assert elapsed < 1.0, f"--help took {elapsed:.2f} s"


def test_every_command_has_help() -> None:
    for args in (
        ["demo"], ["serve"], ["chat"], ["config"], ["visitor", "register"], ["visitor", "get"],
        ["visitor", "delete"], ["room", "open"], ["room", "close"], ["send"], ["history"],
        ["upload"], ["offline-message"], ["rooms", "list"], ["inquiries", "list"],
        ["inquiries", "take"],
    ):  # fmt: skip
        result = invoke(*args, "--help")
        assert result.exit_code == 0, args
        assert "--server URL" in result.stdout, args


def test_missing_server_is_a_usage_error() -> None:
    result = invoke("config")
    assert result.exit_code == 2
    assert result.stderr == "error: no server: pass --server URL or set ROCKETCHAT_URL\n"


def test_unknown_option_is_a_usage_error() -> None:
    assert invoke("config", "--bogus").exit_code == 2


def test_global_options_after_the_command(livechat_server: LivechatTestServer) -> None:
    config = output(invoke("config", "--server", livechat_server.url, "--timeout", "5"))
    assert config["enabled"] is True


def test_server_from_the_environment_and_explicit_option_wins(
    livechat_server: LivechatTestServer,
) -> None:
    env = {"ROCKETCHAT_URL": livechat_server.url}
    assert output(invoke("config", env=env))["enabled"] is True
    refused = invoke("--server", f"http://127.0.0.1:{_closed_port()}", "config", env=env)
    assert refused.exit_code == 3


def test_connection_refused_exit_code() -> None:
    result = invoke("--server", f"http://127.0.0.1:{_closed_port()}", "config")
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: APIConnectionError: GET livechat/config")


def test_bad_credentials_exit_code(run: Run, livechat_server: LivechatTestServer) -> None:
    result = run("rooms", "list", "--user", livechat_server.admin_username, "--password", "nope")
    assert result.exit_code == 4
    assert result.stderr.startswith("error: AuthenticationError")
    assert "Incorrect password" in result.stderr


def test_bad_token_exit_code(run: Run) -> None:
    result = run("rooms", "list", "--user-id", "someone", "--auth-token", "forged")
    assert result.exit_code == 4


def test_api_error_line_names_class_and_code(run: Run, visitor: dict[str, Any]) -> None:
    result = run("room", "close", "--token", visitor["token"], "--rid", "no-such-room")
    assert result.exit_code == 1, result.output
    line = result.stderr.strip()
    assert "\n" not in line
    assert line.startswith("error: InvalidRoomError [invalid-room]: POST livechat/room.close")


def test_verbose_log_has_routes_but_no_secrets(
    run: Run, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    token = "cli-secret-visitor-token-0123456789"
    results = [
        run("-v", "visitor", "register", "--token", token, "--name", "Vic"),
        run("room", "open", "--token", token, "-v"),
        run("-v", "send", "--token", token, "secret-free text"),
        run("-v", "history", "--token", token),
        run(
            "-v",
            "rooms",
            "list",
            "--mine",
            "--user-id",
            agent.user_id,
            "--auth-token",
            agent.auth_token,
        ),
        run(
            "-v", "rooms", "list", "--mine", "--user", agent.username, "--password", agent.password
        ),
    ]
    log = "".join(result.stderr for result in results)
    assert all(result.exit_code == 0 for result in results), log
    assert "DEBUG POST livechat/visitor -> 200" in log
    assert "GET livechat/messages.history/{rid} -> 200" in log
    assert "POST login -> 200" in log
    for secret in (token, agent.auth_token, agent.password):
        assert secret not in log
    logger = logging.getLogger("rocketchat_livechat")
    assert logger.level == logging.NOTSET and not logger.handlers  # restored after the command


def test_redactor_scrubs_known_secrets_from_any_record() -> None:
    from rocketchat_livechat.cli._app import _Redactor

    record = logging.LogRecord("rocketchat_livechat", logging.DEBUG, "", 0, "t=%s", ("abc",), None)
    assert _Redactor({"abc"}).filter(record)
    assert record.getMessage() == "t=***"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
