"""The CE default business hour (``Livechat_enable_business_hours``) as Rocket.Chat runs it.

Cases from ``apps/meteor/tests/end-to-end/api/livechat/19-business-hours.ts`` ("should not
allow a user to be available if BH are closed", "... if BH are open") and ``agents`` tests (a
manager's change outside the hours fails silently); behaviour from
``apps/meteor/app/livechat/server/business-hour/`` (the default hour: Monday-Friday
08:00-20:00) and the ``Users`` model's business-hour updates. The server's clock is moved to a
Saturday and to working hours; the cron runs every second, so the tests wait on the outcome.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import pytest

from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

SATURDAY = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
MONDAY_MORNING = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
MONDAY_EVENING = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)


class SettableClock:
    """A server clock the test moves (strictly increasing within one setting)."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment

    def __call__(self) -> datetime:
        with self._lock:
            self._now += timedelta(milliseconds=1)
            return self._now


@pytest.fixture(scope="module")
def bh_server() -> Iterator[tuple[LivechatTestServer, SettableClock]]:
    settings = {"Accounts_TwoFactorAuthentication_Enforce_Password_Fallback": False}
    with (
        EmbeddedServer(rate_limit=False, settings=settings) as embedded,
        httpx2.Client(base_url=embedded.url, timeout=30) as http,
    ):
        clock = SettableClock(SATURDAY)
        embedded.state.clock = clock
        login = http.post(
            "/api/v1/login",
            json={"user": embedded.admin_username, "password": embedded.admin_password},
        ).json()["data"]
        admin = {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]}
        yield LivechatTestServer(embedded, http, admin), clock


@pytest.fixture
def hours(
    bh_server: tuple[LivechatTestServer, SettableClock],
) -> Iterator[tuple[LivechatTestServer, SettableClock]]:
    server, clock = bh_server
    clock.set(SATURDAY)
    yield server, clock
    server.set_setting("Livechat_enable_business_hours", False)
    server.reset()


def _status(server: LivechatTestServer, agent: Agent, **body: Any) -> httpx2.Response:
    return server.http.post("/api/v1/livechat/agent.status", json=body, headers=agent.headers)


def _agent(server: LivechatTestServer, agent: Agent) -> dict[str, Any]:
    found = server.http.get(
        f"/api/v1/livechat/users/agent/{agent.user_id}", headers=server.admin_headers
    )
    user: dict[str, Any] = found.json()["user"]
    return user


def _new_agent_status(server: LivechatTestServer) -> str:
    """``statusLivechat`` of a user just made an agent (``POST livechat/users/agent``)."""
    name = f"bh-{time.monotonic_ns()}"
    user = {"username": name, "email": f"{name}@x.io", "name": name, "password": "pw-123456"}
    headers = server.admin_headers
    server.http.post("/api/v1/users.create", json=user, headers=headers).raise_for_status()
    added = server.http.post(
        "/api/v1/livechat/users/agent", json={"username": name}, headers=headers
    )
    user_id = added.json()["user"]["_id"]
    found = server.http.get(f"/api/v1/livechat/users/agent/{user_id}", headers=headers)
    status: str = found.json()["user"]["statusLivechat"]
    return status


def _online(server: LivechatTestServer) -> bool:
    return bool(server.http.get("/api/v1/livechat/config").json()["config"]["online"])


def _until(condition: Callable[[], bool], what: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_off_by_default(hours: tuple[LivechatTestServer, SettableClock]) -> None:
    server, _ = hours
    agent = server.create_agent()  # on a Saturday
    assert _agent(server, agent)["statusLivechat"] == "available" and _online(server)


def test_closed_hours_make_agents_unavailable(
    hours: tuple[LivechatTestServer, SettableClock],
) -> None:
    server, _ = hours
    agent = server.create_agent()
    server.set_setting("Livechat_enable_business_hours", True)  # on a Saturday
    assert _agent(server, agent)["statusLivechat"] == "not-available"
    assert _online(server) is False
    refused = _status(server, agent, status="available")
    assert (refused.status_code, refused.json()) == (
        400,
        {"success": False, "error": "error-business-hours-are-closed"},
    )
    # a manager's change outside the hours fails silently (the status stays)
    by_admin = server.http.post(
        "/api/v1/livechat/agent.status",
        json={"status": "available", "agentId": agent.user_id},
        headers=server.admin_headers,
    )
    assert by_admin.json() == {"status": "not-available", "success": True}
    assert _status(server, agent, status="not-available").json()["success"] is True
    assert _new_agent_status(server) == "not-available"  # onNewAgentCreated


def test_the_hours_open_and_close_on_time(
    hours: tuple[LivechatTestServer, SettableClock],
) -> None:
    server, clock = hours
    agent = server.create_agent()
    server.set_setting("Livechat_enable_business_hours", True)
    assert _online(server) is False
    clock.set(MONDAY_MORNING)
    _until(lambda: _agent(server, agent)["statusLivechat"] == "available", "the hours opened")
    assert _online(server) is True
    assert _status(server, agent, status="not-available").json()["success"] is True
    assert _status(server, agent, status="available").json()["success"] is True
    assert _new_agent_status(server) == "available"
    clock.set(MONDAY_EVENING)
    _until(lambda: _online(server) is False, "the hours closed")
    assert _agent(server, agent)["statusLivechat"] == "not-available"


def test_switching_off_keeps_statuses_and_lifts_the_check(
    hours: tuple[LivechatTestServer, SettableClock],
) -> None:
    server, _ = hours
    agent = server.create_agent()
    server.set_setting("Livechat_enable_business_hours", True)
    server.set_setting("Livechat_enable_business_hours", False)
    assert _agent(server, agent)["statusLivechat"] == "not-available"
    assert _status(server, agent, status="available").json() == {
        "status": "available",
        "success": True,
    }
