"""DDP rate limits as Rocket.Chat's ``DDPRateLimiter`` rules set them.

Rules from ``apps/meteor/app/lib/server/startup/rateLimiter.ts`` with the defaults of
``apps/meteor/server/settings/rate.ts``; the refusal is Meteor's
``Meteor.Error('too-many-requests', ..., {timeToReset})`` (a method's ``result`` error, a
subscription's ``nosub`` error).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_ddp_server import Raw
from websockets.sync.client import connect

from rocketchat_livechat.server import EmbeddedServer, ServerState
from rocketchat_livechat.server.ddp_ratelimit import RULES, Call, DDPRateLimiter

pytestmark = pytest.mark.e2e

TOO_MANY = re.compile(
    r"Error, too many requests\. Please slow down\. You must wait (\d+) seconds before trying"
    r" again\."
)


@pytest.fixture(scope="module")
def limited() -> Iterator[EmbeddedServer]:
    """A server with the rate limiters on (the shared test server has them off), on 7.10: the
    method counted is ``livechat:setUpConnection``, which 8.0 removed."""
    with EmbeddedServer(rc_version="7.10") as server:
        yield server


@pytest.fixture
def open_raw(limited: EmbeddedServer) -> Iterator[Any]:
    opened = []

    def open_one() -> Raw:
        url = limited.url.replace("http://", "ws://") + "/websocket"
        ws = connect(url, ping_interval=None).__enter__()
        opened.append(ws)
        client = Raw(ws)
        client.handshake()
        return client

    yield open_one
    for ws in opened:
        ws.close()


def _assert_too_many(error: dict[str, Any], window_ms: int) -> None:
    assert (error["error"], error["errorType"], error["isClientSafe"]) == (
        "too-many-requests",
        "Meteor.Error",
        True,
    )
    assert 0 < error["details"]["timeToReset"] <= window_ms
    wait = TOO_MANY.fullmatch(error["reason"])
    assert wait and int(wait.group(1)) == -(-error["details"]["timeToReset"] // 1000)
    assert error["message"] == f"{error['reason']} [too-many-requests]"


def test_ten_calls_of_a_method_per_connection_in_ten_seconds(open_raw: Any) -> None:
    token = {"token": f"rl-{secrets.token_hex(4)}"}
    client = open_raw()
    for _ in range(10):
        result, _ = client.call("livechat:setUpConnection", token)
        assert "error" not in result
    refused, _ = client.call("livechat:setUpConnection", token)
    _assert_too_many(refused["error"], 10_000)
    other_method, _ = client.call("stream-notify-room", "x/user-activity", "u", [], {})
    assert "error" not in other_method  # a stream-* method: its own counter (40 in 40 s)
    fresh, _ = open_raw().call("livechat:setUpConnection", token)
    assert "error" not in fresh  # another connection


def test_forty_stream_subscriptions_per_connection(open_raw: Any) -> None:
    client = open_raw()
    for _ in range(40):
        assert client.sub("stream-room-messages", "no-such-room")["error"]["error"] == "not-allowed"
    refused = client.sub("stream-room-messages", "no-such-room")
    assert refused["msg"] == "nosub"
    _assert_too_many(refused["error"], 40_000)


def test_a_disabled_rule_counts_nothing(limited: EmbeddedServer, open_raw: Any) -> None:
    settings = limited.state.settings
    settings.set("DDP_Rate_Limit_Connection_By_Method_Enabled", False)
    try:
        client = open_raw()
        for _ in range(12):
            result, _ = client.call("livechat:setUpConnection", {"token": "t"})
            assert "error" not in result
    finally:
        settings.set("DDP_Rate_Limit_Connection_By_Method_Enabled", True)


# --- the rules, with a controlled clock --------------------------------------------------------


@pytest.fixture
def rules(tmp_path: Path) -> Iterator[tuple[DDPRateLimiter, list[int]]]:
    state = ServerState.open(tmp_path)
    now = [1_000_000]
    try:
        yield DDPRateLimiter(state.settings, lambda: now[0], enabled=True), now
    finally:
        state.close()


def _call(name: str, *, user: dict[str, Any] | None = None, address: str = "127.0.0.1") -> Call:
    return Call("method", name, "conn-1", address, user)


def test_the_window_restarts_after_its_interval(rules: tuple[DDPRateLimiter, list[int]]) -> None:
    limiter, now = rules
    assert [limiter.hit(_call("m")) for _ in range(10)] == [None] * 10
    now[0] += 4_000
    assert limiter.hit(_call("m")) == 6_000
    now[0] += 6_001
    assert limiter.hit(_call("m")) is None


def test_send_message_has_its_own_rule(rules: tuple[DDPRateLimiter, list[int]]) -> None:
    limiter, _ = rules
    agent = {"_id": "u1", "roles": ["user", "livechat-agent"]}
    admin = {"_id": "u2", "roles": ["admin"]}
    assert [limiter.hit(_call("sendMessage", user=agent)) for _ in range(5)] == [None] * 5
    assert limiter.hit(_call("sendMessage", user=agent)) == 1_000  # 5 per second
    # send-many-messages (admin, bot, app): only the general rules; no per-method rule either
    assert all(limiter.hit(_call("sendMessage", user=admin)) is None for _ in range(25))


def test_per_user_and_per_address_rules(rules: tuple[DDPRateLimiter, list[int]]) -> None:
    limiter, _ = rules
    user = {"_id": "u3", "roles": ["user"]}
    calls = [Call("method", "m", f"conn-{i}", "127.0.0.1", user) for i in range(21)]
    assert [limiter.hit(c) for c in calls][-2:] == [None, 10_000]  # 20 per user in 10 s
    limiter.enabled = False
    assert limiter.hit(calls[0]) is None


def test_local_clients_are_not_limited_by_address() -> None:
    [ip_rule] = [r for r in RULES if r.setting == "IP"]
    assert not ip_rule.applies(_call("m")) and ip_rule.applies(_call("m", address="10.0.0.9"))
