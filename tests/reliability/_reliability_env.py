"""Embedded-server deployments shared by the reliability tests (imported by conftest and tests).

Kept out of ``conftest.py`` so tests can import it by a name no other test directory uses.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2

from _support.servers import ServerProcess, server_command, start_server
from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer


@dataclass
class Deployment:
    """An embedded server with a logged-in admin view and one online agent."""

    server: EmbeddedServer
    admin: LivechatTestServer
    agent: Agent

    @property
    def url(self) -> str:
        return self.server.url


def start_server_process(
    data_dir: Path, *, admin_password: str, debug_logging: bool = False
) -> ServerProcess:
    """``python -m rocketchat_livechat.server`` in a child process, once it answers.

    ``debug_logging``: every logger the server leaves alone at DEBUG.
    """
    options = ["--data-dir", str(data_dir), "--port", "0", "--no-rate-limit"]
    options += ["--admin-password", admin_password]
    if debug_logging:
        return start_server([sys.executable, "-c", _DEBUG_LAUNCHER, *options])
    return start_server(server_command(*options))


_DEBUG_LAUNCHER = (
    "import logging, sys; "
    "logging.basicConfig(level=logging.DEBUG, format='%(levelname)s %(name)s: %(message)s'); "
    "from rocketchat_livechat.server._main import serve; sys.exit(serve(sys.argv[1:]))"
)


def admin_view(server: EmbeddedServer, http: httpx2.Client) -> LivechatTestServer:
    """The plugin's admin helpers (create_agent, set_setting...) for ``server``."""
    login = http.post(
        "/api/v1/login", json={"user": server.admin_username, "password": server.admin_password}
    ).json()["data"]
    headers = {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]}
    return LivechatTestServer(server, http, headers)


def rest_agent(url: str, admin_password: str, username: str, password: str) -> Agent:
    """Create an online agent over REST as ``admin`` (for servers run as a child process)."""
    with httpx2.Client(base_url=f"{url}/api/v1/", timeout=10) as http:
        login = http.post("login", json={"user": "admin", "password": admin_password}).json()
        admin = {"X-User-Id": login["data"]["userId"], "X-Auth-Token": login["data"]["authToken"]}
        user = {"username": username, "password": password, "email": f"{username}@example.com"}
        user["name"] = username.title()
        created = http.post("users.create", json={**user, "roles": ["user"]}, headers=admin)
        assert created.is_success, created.text
        http.post("livechat/users/agent", json={"username": username}, headers=admin)
        data = http.post("login", json={"user": username, "password": password}).json()["data"]
        agent = Agent(data["userId"], username, data["authToken"], password)
        online = http.post("users.setStatus", json={"status": "online"}, headers=agent.headers)
        assert online.is_success, online.text
        return agent


def start_deployment(**settings: Any) -> Iterator[Deployment]:
    """Run a fresh server (rate limiter off, ``settings`` applied) until the generator closes."""
    with (
        EmbeddedServer(rate_limit=False, settings=settings) as server,
        httpx2.Client(base_url=server.url, timeout=30) as http,
    ):
        admin = admin_view(server, http)
        yield Deployment(server, admin, admin.create_agent())
