"""Data survives restarts and ``kill -9`` (SQLite WAL, commit before responding)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx2
import pytest

from rocketchat_livechat.server import EmbeddedServer

pytestmark = pytest.mark.e2e


def _chat(base: str) -> tuple[str, str]:
    with httpx2.Client(base_url=f"{base}/api/v1/") as http:
        http.post("livechat/visitor", json={"visitor": {"token": "persist", "name": "P"}})
        login = http.post("login", json={"user": "admin", "password": "pw"}).json()["data"]
        headers = {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]}
        http.post(
            "settings/Livechat_accept_chats_with_no_agents",
            json={"value": True},
            headers={**headers, "X-2fa-Code": "pw", "X-2fa-Method": "password"},
        )
        rid = http.get("livechat/room", params={"token": "persist"}).json()["room"]["_id"]
        sent = http.post("livechat/message", json={"token": "persist", "rid": rid, "msg": "kept"})
        return rid, sent.json()["message"]["_id"]


def _check(base: str, rid: str, message_id: str) -> None:
    with httpx2.Client(base_url=f"{base}/api/v1/") as http:
        assert http.get("livechat/visitor/persist").json()["visitor"]["name"] == "P"
        got = http.get(f"livechat/message/{message_id}", params={"token": "persist", "rid": rid})
        assert got.json()["message"]["msg"] == "kept"
        login = http.post("login", json={"user": "admin", "password": "pw"}).json()
        assert login["status"] == "success"
        config = http.get("livechat/config").json()["config"]
        assert config["online"] is True  # the changed setting persisted


def test_restart_keeps_data(tmp_path: Path) -> None:
    with EmbeddedServer(data_dir=tmp_path, admin_password="pw", rate_limit=False) as server:
        rid, message_id = _chat(server.url)
    assert (tmp_path / "livechat.sqlite3").exists()
    with EmbeddedServer(data_dir=tmp_path, admin_password="pw", rate_limit=False) as server:
        _check(server.url, rid, message_id)
        name = f"livechat-server-{server.url}"
        assert name in {t.name for t in threading.enumerate()}
    assert name not in {t.name for t in threading.enumerate()}


def test_temporary_data_dir_is_removed() -> None:
    with EmbeddedServer(rate_limit=False) as server:
        data_dir = server.data_dir
        assert (data_dir / "livechat.sqlite3").exists()
    assert not data_dir.exists()


def _start(data_dir: Path | None) -> tuple[subprocess.Popen[str], str, str]:
    env = {**os.environ, "ROCKETCHAT_ADMIN_PASSWORD": "pw"}
    where = ["--data-dir", str(data_dir)] if data_dir else []
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rocketchat_livechat.server",
            "--port",
            "0",
            "--no-rate-limit",
            *where,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    match = re.search(r"listening on (http://\S+)", first)
    assert match, first
    lines = [process.stdout.readline() for _ in range(2)]
    assert any(
        "password from $ROCKETCHAT_ADMIN_PASSWORD" in line or "existing" in line for line in lines
    )
    base = match.group(1)
    for _ in range(200):
        try:
            httpx2.get(f"{base}/api/info", timeout=1)
            break
        except httpx2.TransportError:
            threading.Event().wait(0.05)
    return process, base, lines[0]


def test_kill_9_keeps_acknowledged_writes(tmp_path: Path) -> None:
    process, base, _ = _start(tmp_path)
    try:
        rid, message_id = _chat(base)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    process, base, _ = _start(tmp_path)
    try:
        _check(base, rid, message_id)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0


def test_sigterm_removes_temporary_data_dir() -> None:
    process, base, data_line = _start(None)
    match = re.match(r"Data: (\S+) \(temporary, removed on exit\)", data_line)
    assert match, data_line
    data_dir = Path(match.group(1))
    assert (data_dir / "livechat.sqlite3").exists()
    assert httpx2.get(f"{base}/api/info").status_code == 200
    process.send_signal(signal.SIGTERM)
    assert process.wait(10) == 0
    assert not data_dir.exists()
