"""``serve``: the embedded server in the foreground, as a user starts it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import pytest
from _cli_helpers import invoke, output

from _support.servers import serve_command, start_server


@contextmanager
def serving(*options: str) -> Iterator[str]:
    """``rocketchat-livechat serve`` on a free port; yields its URL, stops it on exit."""
    with start_server(serve_command("--port", "0", *options), timeout=20) as server:
        yield server.url


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


def test_serve_defines_custom_fields_and_takes_offline_messages() -> None:
    with serving("--custom-field", "plan", "--custom-field", "tier") as url:
        token = output(invoke("--server", url, "visitor", "register", "--name", "Bob"))["token"]
        for key in ("plan", "tier"):
            body = {"token": token, "key": key, "value": "pro", "overwrite": True}
            assert httpx2.post(f"{url}/api/v1/livechat/custom.field", json=body).json()["success"]
        offline = {"name": "Bob", "email": "bob@example.com", "message": "Call me"}
        sent = httpx2.post(f"{url}/api/v1/livechat/offline.message", json=offline).json()
    assert sent == {"message": "Livechat offline message sent", "success": True}


def test_serve_keeps_an_offline_email_set_to_empty(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data"), "--admin-password", "pw"]
    with serving(*data) as url:
        login = httpx2.post(f"{url}/api/v1/login", json={"user": "admin", "password": "pw"})
        auth = login.json()["data"]
        headers = {
            "X-User-Id": auth["userId"],
            "X-Auth-Token": auth["authToken"],
            "X-2fa-Code": "pw",
            "X-2fa-Method": "password",
        }
        setting = f"{url}/api/v1/settings/Livechat_offline_email"
        assert httpx2.post(setting, json={"value": ""}, headers=headers).status_code == 200
    with serving(*data) as url:
        offline = {"name": "Bob", "email": "bob@example.com", "message": "Call me"}
        refused = httpx2.post(f"{url}/api/v1/livechat/offline.message", json=offline).json()
    assert refused == {"success": False, "error": "Error sending Omnichannel offline message"}


def test_serve_rejects_a_bad_custom_field_name() -> None:
    result = invoke("serve", "--port", "0", "--custom-field", "not valid")
    assert result.exit_code == 2
    assert "Invalid value for '--custom-field': invalid custom field name" in result.output


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_the_server_module_refuses_a_bad_port_as_a_usage_error(port: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rocketchat_livechat.server", "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "argument --port" in done.stderr
    assert "Traceback" not in done.stderr
