"""``chat``: scripted input, live agent events, the state file, and a real terminal (tmux)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from _cli_helpers import Run, invoke
from click.testing import Result

from _support.servers import server_command, start_server
from rocketchat_livechat import LivechatClient
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

ROOM_LINE = re.compile(r"room (\w+) as ")


def state(config_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((config_dir / "rocketchat-livechat/state.json").read_text())
    return data


def test_chat_sends_lists_history_requests_transcript_and_closes(
    run: Run, agent: Agent, clean_env: Path, livechat_server: LivechatTestServer, tmp_path: Path
) -> None:
    upload = tmp_path / "photo.png"
    upload.write_bytes(b"\x89PNG" + b"0" * 5000)
    script = f"hello there\n/upload {upload}\n/history\n/transcript carl@example.com\n/close\n"
    result = run("chat", "--name", "Carl", "--email", "carl@example.com", input=script)
    assert result.exit_code == 0, result.output
    rid = ROOM_LINE.search(result.stdout)
    assert rid is not None, result.stdout
    assert f"agent: {agent.username}" in result.stdout
    assert "uploaded photo.png" in result.stdout
    assert re.search(r"\] Carl: hello there\n", result.stdout)  # from /history, not echoed live
    assert result.stdout.count("hello there") == 1
    assert "Carl: [file photo.png]" in result.stdout
    assert "Omnichannel transcript sent" in result.stdout
    assert result.stdout.rstrip().endswith("chat closed")
    path = clean_env / "rocketchat-livechat/state.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    token = state(clean_env)["servers"][livechat_server.url]["token"]
    assert token not in result.output
    with LivechatClient(livechat_server.url) as client:
        assert client.visitor.get_visitor(token).name == "Carl"


def test_chat_resumes_the_stored_visitor_and_room(run: Run, agent: Agent, clean_env: Path) -> None:
    first = run("chat", "--name", "Rita", input="remember me\n/quit\n")
    assert first.exit_code == 0, first.output
    assert "left the chat; it stays open" in first.stdout
    second = run("chat", input="/quit\n")
    assert second.exit_code == 0, second.output
    room = ROOM_LINE.search(first.stdout)
    assert room is not None
    assert f"room {room.group(1)} as Rita" in second.stdout
    assert "Rita: remember me" in second.stdout  # replayed on resume
    other = run("chat", "--token", "someone-else-token", "--name", "Sam", input="")
    assert other.exit_code == 0, other.output
    assert room.group(1) not in other.stdout
    assert "end of input" in other.stdout


def test_chat_without_an_agent_suggests_an_offline_message(run: Run) -> None:
    result = run("chat", "--name", "Nobody", input="")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: NoAgentOnlineError [no-agent-online]")
    assert "offline-message" in result.stderr


def test_chat_shows_live_agent_messages_and_ends_when_the_agent_closes(
    livechat_server: LivechatTestServer, agent: Agent
) -> None:
    read_fd, write_fd = os.pipe()
    results: list[Result] = []
    with os.fdopen(read_fd) as stdin, os.fdopen(write_fd, "w") as keyboard:
        thread = threading.Thread(
            target=lambda: results.append(
                invoke("--server", livechat_server.url, "chat", "--name", "Liv", input=stdin)
            )
        )
        thread.start()
        rid = _wait_for(lambda: _open_room(livechat_server, agent), "the chat's room")
        keyboard.write("question from the terminal\n")
        keyboard.flush()
        _wait_for(lambda: _visitor_said(livechat_server, agent, rid), "the visitor's message")
        livechat_server.agent_send(agent, rid, "live answer from the agent")
        livechat_server.close_room(agent, rid, "solved")
        thread.join(15)
    assert not thread.is_alive()
    result = results[0]
    assert result.exit_code == 0, result.output
    assert f"{agent.username.title()}: live answer from the agent" in result.stdout
    assert f"the chat was closed by {agent.username}: solved" in result.stdout


def _open_room(server: LivechatTestServer, agent: Agent) -> str | None:
    with LivechatClient(server.url, user_id=agent.user_id, auth_token=agent.auth_token) as client:
        rooms = client.room.list_rooms(agents=[agent.user_id], open=True).items
    return rooms[0].id if rooms else None


def _visitor_said(server: LivechatTestServer, agent: Agent, rid: str) -> bool:
    with LivechatClient(server.url, user_id=agent.user_id, auth_token=agent.auth_token) as client:
        rooms = client.room.list_rooms(agents=[agent.user_id], open=True).items
    room = next(r for r in rooms if r.id == rid)
    return room.last_message is not None and room.last_message.msg == "question from the terminal"


def _wait_for(probe: Callable[[], Any], what: str, timeout: float = 15) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


# --- a real terminal --------------------------------------------------------------------------


@pytest.fixture
def server_process() -> Iterator[str]:
    """``python -m rocketchat_livechat.server`` in a subprocess (admin password ``x``)."""
    command = server_command("--port", "0", "--no-rate-limit", "--admin-password", "x")
    with start_server(command, timeout=15) as server:
        yield server.url


class RestAgent:
    """An online agent on the subprocess server, driven over REST."""

    def __init__(self, url: str) -> None:
        self.http = httpx2.Client(base_url=f"{url}/api/v1/", timeout=10)
        admin = self._login("admin", "x")
        user = {"username": "tmuxagent", "password": "pw-1", "email": "t@example.com", "name": "T"}
        self._ok(self.http.post("users.create", json={**user, "roles": ["user"]}, headers=admin))
        agent = {"username": "tmuxagent"}
        self._ok(self.http.post("livechat/users/agent", json=agent, headers=admin))
        self.headers = self._login("tmuxagent", "pw-1")
        self._ok(self.http.post("users.setStatus", json={"status": "online"}, headers=self.headers))

    def _login(self, user: str, password: str) -> dict[str, str]:
        data = self._ok(self.http.post("login", json={"user": user, "password": password}))["data"]
        return {"X-User-Id": data["userId"], "X-Auth-Token": data["authToken"]}

    @staticmethod
    def _ok(response: httpx2.Response) -> dict[str, Any]:
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def history(self, rid: str, token: str) -> list[str]:
        params: dict[str, str | int] = {"token": token, "limit": 50}
        body = self._ok(self.http.get(f"livechat/messages.history/{rid}", params=params))
        return [m.get("msg", "") for m in body["messages"]]

    def say(self, rid: str, text: str) -> None:
        body = {"message": {"rid": rid, "msg": text}}
        self._ok(self.http.post("chat.sendMessage", json=body, headers=self.headers))


class Tmux:
    """A detached tmux session on a private server (its socket in ``folder``)."""

    def __init__(self, folder: Path, command: str) -> None:
        self.base = ["tmux", "-S", str(folder / "tmux.sock")]
        self.name = "chat"
        subprocess.run(
            [*self.base, "new-session", "-d", "-s", self.name, "-x", "150", "-y", "40", command],
            check=True,
        )

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.base, "send-keys", "-t", self.name, *keys], check=True)

    def screen(self) -> str:
        return subprocess.run(
            [*self.base, "capture-pane", "-p", "-J", "-S", "-200", "-t", self.name],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def wait_for(self, text: str) -> str:
        return str(_wait_for(lambda: text in self.screen() and self.screen(), repr(text)))

    def kill(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True)


@pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not on PATH (.ci/run installs it)"
)
def test_chat_in_a_real_terminal(server_process: str, tmp_path: Path) -> None:
    agent = RestAgent(server_process)
    chat = [sys.executable, "-m", "rocketchat_livechat.cli", "chat"]
    chat += ["--server", server_process, "--name", "Terminal"]
    command = (
        f"env XDG_CONFIG_HOME={shlex.quote(str(tmp_path))} {shlex.join(chat)}; "
        "echo CHAT-EXIT=$?; sleep 60"
    )
    tmux = Tmux(tmp_path, command)
    try:
        screen = tmux.wait_for("Commands: /upload")
        found = ROOM_LINE.search(screen)
        assert found is not None, screen
        rid = found.group(1)
        assert "agent: tmuxagent" in screen
        token = state(tmp_path)["servers"][server_process]["token"]
        tmux.keys("hello from tmux", "Enter")
        _wait_for(lambda: "hello from tmux" in agent.history(rid, token), "the typed message")
        agent.say(rid, "hello from the agent")
        tmux.wait_for("T: hello from the agent")
        tmux.keys("/close", "Enter")
        screen = tmux.wait_for("CHAT-EXIT=0")
        assert "chat closed" in screen
    finally:
        tmux.kill()
