"""``serve --widget [DIR]``: a build given, the cached one, or an install with npm when asked."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import httpx2
import pytest
from _cli_helpers import invoke

from _support.servers import serve_command, start_server
from _support.widget_build import INDEX, make_build
from rocketchat_livechat.cli._widget import cached_build, npm_install_command

#: stands in for npm: records its arguments, "installs" the stand-in build under --prefix
FAKE_NPM = """#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_NPM_LOG"
[ -n "$FAKE_NPM_FAIL" ] && exit 7
mkdir -p "$3/node_modules/@rocket.chat/livechat/build"
cp -r "$FAKE_BUILD/." "$3/node_modules/@rocket.chat/livechat/build/"
"""


@pytest.fixture
def fake_npm(tmp_path: Path) -> dict[str, str]:
    """Env for a PATH whose only ``npm`` is :data:`FAKE_NPM`, and an empty cache."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text(FAKE_NPM)
    npm.chmod(npm.stat().st_mode | stat.S_IXUSR)
    return {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "FAKE_NPM_LOG": str(tmp_path / "npm-args"),
        "FAKE_BUILD": str(make_build(tmp_path / "fake-build")),
    }


def served_index(url: str) -> str:
    response = httpx2.get(f"{url}/livechat")
    assert response.status_code == 200
    return response.text


def test_serve_widget_dir(tmp_path: Path) -> None:
    build = make_build(tmp_path / "build")
    with start_server(serve_command("--port", "0", "--widget", str(build)), timeout=20) as server:
        assert served_index(server.url) == INDEX.replace(
            "<body>", f"<body><script> SERVER_URL = '{server.url}'; </script>"
        )
        assert httpx2.get(f"{server.url}/livechat/demo").status_code == 200
    printed = "".join(server.output)
    assert f"Widget: {server.url}/livechat (npm @rocket.chat/livechat 1.13.3" in printed
    assert f"{server.url}/livechat/demo" in printed


def test_serve_widget_broken_dir_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke("serve", "--port", "0", "--widget", str(tmp_path))
    assert result.exit_code == 2
    assert f"error: no widget build in {tmp_path.resolve()}: index.html is missing" in (
        result.stderr
    )


def test_not_installed_says_what_to_run_and_downloads_nothing(
    tmp_path: Path, fake_npm: dict[str, str]
) -> None:
    result = invoke("serve", "--port", "0", "--widget", env=fake_npm)
    assert result.exit_code == 2
    prefix = Path(fake_npm["XDG_CACHE_HOME"]) / "rocketchat-livechat" / "widget" / "1.13.3"
    assert "rocketchat-livechat serve --widget --install-widget" in result.stderr
    assert " ".join(npm_install_command("npm", prefix)) in result.stderr
    assert not Path(fake_npm["FAKE_NPM_LOG"]).exists()  # npm never ran
    assert not prefix.exists()


def test_without_npm_says_what_to_download(tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = invoke("serve", "--widget", "--install-widget", env=env)
    assert result.exit_code == 2
    assert "npm is not on PATH" in result.stderr
    assert "https://registry.npmjs.org/@rocket.chat/livechat/-/livechat-1.13.3.tgz" in (
        result.stderr
    )


def test_install_widget_installs_into_the_cache_then_serves(
    tmp_path: Path, fake_npm: dict[str, str]
) -> None:
    command = serve_command("--port", "0", "--widget", "--install-widget")
    with start_server(command, timeout=20, env=fake_npm) as server:
        assert "SERVER_URL" in served_index(server.url)
    prefix = Path(fake_npm["XDG_CACHE_HOME"]) / "rocketchat-livechat" / "widget" / "1.13.3"
    args = Path(fake_npm["FAKE_NPM_LOG"]).read_text().split()
    assert args == npm_install_command("npm", prefix)[1:]
    assert (cached_build(prefix) / "index.html").is_file()
    assert "Installing the widget:" in "".join(server.output)

    Path(fake_npm["FAKE_NPM_LOG"]).unlink()  # installed: later starts use the cache, no npm
    with start_server(serve_command("--port", "0", "--widget"), timeout=20, env=fake_npm) as again:
        assert "SERVER_URL" in served_index(again.url)
    assert not Path(fake_npm["FAKE_NPM_LOG"]).exists()


def test_failed_npm_install(fake_npm: dict[str, str]) -> None:
    result = invoke("serve", "--widget", "--install-widget", env={**fake_npm, "FAKE_NPM_FAIL": "1"})
    assert result.exit_code == 1
    assert "npm install failed (exit 7)" in result.stderr


def test_install_widget_needs_widget() -> None:
    result = invoke("serve", "--install-widget")
    assert result.exit_code == 2
    assert "--install-widget goes with --widget" in result.stderr
