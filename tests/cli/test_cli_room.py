"""``room open|close``, ``send``, ``history`` and ``upload``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from _cli_helpers import Run, output

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer


def test_room_open_routes_to_the_agent_and_is_idempotent(
    run: Run, visitor: dict[str, Any], agent: Agent
) -> None:
    again = output(run("room", "open", "--token", visitor["token"]))
    assert again["room"]["_id"] == visitor["rid"]
    assert again["newRoom"] is False
    assert again["room"]["servedBy"]["username"] == agent.username


def test_send_and_history_oldest_first(
    run: Run, visitor: dict[str, Any], livechat_server: LivechatTestServer, agent: Agent
) -> None:
    token, rid = visitor["token"], visitor["rid"]
    sent = output(run("send", "--token", token, "first question"))
    assert sent["rid"] == rid  # the open room was found without --rid
    livechat_server.agent_send(agent, rid, "an answer")
    output(run("send", "--token", token, "--rid", rid, "second question"))
    history = output(run("history", "--token", token))
    chat = [m["msg"] for m in history if m["t"] is None]
    assert chat == ["first question", "an answer", "second question"]
    assert [m["msg"] for m in output(run("history", "--token", token, "--limit", "1"))] == [
        "second question"
    ]
    everything = output(run("history", "--token", token, "--all"))
    assert [m["_id"] for m in everything] == [m["_id"] for m in history]


def test_history_text_output(run: Run, visitor: dict[str, Any]) -> None:
    output(run("send", "--token", visitor["token"], "hello table"))
    result = run("history", "--token", visitor["token"], "--no-json")
    assert result.exit_code == 0
    assert "Vera" in result.stdout
    assert "hello table" in result.stdout


def test_history_without_an_open_room_is_a_usage_error(run: Run) -> None:
    token = output(run("visitor", "register", "--name", "Roomless"))["token"]
    result = run("history", "--token", token)
    assert result.exit_code == 2
    assert "no open room" in result.stderr


def test_upload_a_file(run: Run, visitor: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"x" * 100_000)
    uploaded = output(run("upload", "--token", visitor["token"], "--description", "hi", str(path)))
    assert uploaded["rid"] == visitor["rid"]
    assert uploaded["file"]["name"] == "notes.txt"


def test_upload_of_a_missing_file_is_a_usage_error(run: Run, visitor: dict[str, Any]) -> None:
    result = run("upload", "--token", visitor["token"], "/nonexistent/file.txt")
    assert result.exit_code == 2


def test_close_room_then_send_fails(run: Run, visitor: dict[str, Any]) -> None:
    token, rid = visitor["token"], visitor["rid"]
    closed = output(run("room", "close", "--token", token))
    assert closed["rid"] == rid
    result = run("room", "close", "--token", token, "--rid", rid)
    assert result.exit_code == 1
    assert "RoomClosedError" in result.stderr


def test_results_never_show_the_visitor_token(
    run: Run, visitor: dict[str, Any], tmp_path: Path
) -> None:
    token = visitor["token"]
    path = tmp_path / "a.txt"
    path.write_text("a")
    results = [
        run("room", "open", "--token", token),
        run("send", "--token", token, "hello"),
        run("history", "--token", token),
        run("upload", "--token", token, str(path)),
        run("room", "open", "--token", token, "--no-json"),
        run("room", "close", "--token", token),
    ]
    for result in results:
        assert result.exit_code == 0, result.output
        assert token not in result.output
    assert '"token": "***"' in results[1].stdout  # a visitor message carries its token
