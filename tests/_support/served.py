"""``rocketchat-livechat serve`` as a test's server, with the pytest plugin's admin helpers:
``with served("--custom-field", "plan") as server:`` gives a ``LivechatTestServer``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

import httpx2

from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.testing.plugin import LivechatTestServer

from .servers import serve_command, start_server

ADMIN_PASSWORD = "served-admin-password"


@dataclass(frozen=True)
class Served:
    """What :class:`LivechatTestServer` reads of an :class:`EmbeddedServer`."""

    url: str
    admin_username: str = "admin"
    admin_password: str = ADMIN_PASSWORD


@contextmanager
def served(*options: str) -> Iterator[LivechatTestServer]:
    """``serve`` on a free port with these options, until the block ends."""
    command = serve_command("--port", "0", "--admin-password", ADMIN_PASSWORD, *options)
    with start_server(command) as process, httpx2.Client(base_url=process.url, timeout=30) as http:
        login = {"user": "admin", "password": ADMIN_PASSWORD}
        data = http.post("/api/v1/login", json=login).json()["data"]
        headers = {"X-User-Id": data["userId"], "X-Auth-Token": data["authToken"]}
        yield LivechatTestServer(cast(EmbeddedServer, Served(process.url)), http, headers)
