"""``serve``: the embedded server in the foreground, as a user starts it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
from _cli_helpers import invoke, output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(*options: str) -> Iterator[str]:
    """``rocketchat-livechat serve`` on a free port; yields its URL, stops it on exit."""
    port = _free_port()
    command = [sys.executable, "-m", "rocketchat_livechat.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, *options], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while not _answers(url):
            assert process.poll() is None, process.communicate()[0]
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def _answers(url: str) -> bool:
    try:
        return httpx2.get(f"{url}/api/info", timeout=1).status_code == 200
    except httpx2.TransportError:
        return False


def test_serve_runs_the_server_with_the_given_admin(tmp_path: Path) -> None:
    with serving(
        "--admin-username", "boss", "--admin-password", "s3cret", "--no-rate-limit"
    ) as url:
        login = httpx2.post(f"{url}/api/v1/login", json={"user": "boss", "password": "s3cret"})
        assert login.status_code == 200
        assert output(invoke("--server", url, "config"))["enabled"] is True


def test_serve_keeps_data_in_the_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with serving("--data-dir", str(data), "--admin-password", "pw") as url:
        token = output(invoke("--server", url, "visitor", "register", "--name", "Kept"))["token"]
    assert (data / "livechat.sqlite3").is_file()
    with serving("--data-dir", str(data)) as url:
        visitor = output(invoke("--server", url, "visitor", "get", "--token", token))
    assert visitor["name"] == "Kept"


def test_serve_rejects_a_bad_port() -> None:
    result = invoke("serve", "--port", "70000")
    assert result.exit_code == 2
