"""A rate-limit storm from the embedded server's own limiter (not the proxy's imitation).

The server runs Rocket.Chat's limiter with a short window (10 calls per second per route and
IP). Visitors send far faster than that: every 429 must be waited out using the server's
``X-RateLimit-Reset`` (absolute epoch milliseconds), and every message must end up stored
exactly once. With a budget shorter than the window the caller gets :class:`RateLimitError`
with ``retry_after`` at once instead.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

import httpx2
import pytest

from rocketchat_livechat import LivechatClient, RateLimitError, new_visitor_token
from rocketchat_livechat.server import EmbeddedServer

WINDOW_MS = 1000
CALLS_PER_WINDOW = 10


class CountingTransport(httpx2.HTTPTransport):
    """Counts the statuses the client really received (retries included)."""

    def __init__(self) -> None:
        super().__init__()
        self.statuses: Counter[int] = Counter()
        self._lock = threading.Lock()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = super().handle_request(request)
        with self._lock:
            self.statuses[response.status_code] += 1
        return response


@pytest.fixture(scope="module")
def limited() -> Iterator[EmbeddedServer]:
    settings = {
        "API_Enable_Rate_Limiter_Limit_Time_Default": WINDOW_MS,
        "API_Enable_Rate_Limiter_Limit_Calls_Default": CALLS_PER_WINDOW,
        "Livechat_accept_chats_with_no_agents": True,  # rooms open without an agent
    }
    with EmbeddedServer(rate_limit=True, settings=settings) as server:
        yield server


def _chat(client: LivechatClient) -> tuple[str, str]:
    token = new_visitor_token()
    client.visitor.register_visitor(token, name="Storm")
    return token, client.room.get_room(token).room.id


def test_storm_is_waited_out_and_nothing_is_lost_or_doubled(limited: EmbeddedServer) -> None:
    transport = CountingTransport()
    texts = [f"storm {i}" for i in range(3 * CALLS_PER_WINDOW)]
    with LivechatClient(
        limited.url, transport=transport, max_retries=5, max_rate_limit_wait=2.0
    ) as client:
        token, rid = _chat(client)
        sent = [client.messages.send_message(token, rid, text) for text in texts]
        history = client.messages.get_message_history(rid, token, limit=1000)
    assert [m.msg for m in sent] == texts
    stored = Counter(m.msg for m in history if m.msg in texts)
    assert stored == Counter(texts)  # each exactly once
    assert transport.statuses[429] >= 2  # the limiter really fired, and was waited out


def test_budget_shorter_than_the_window_fails_at_once(limited: EmbeddedServer) -> None:
    with LivechatClient(limited.url, max_rate_limit_wait=0.0) as client:
        token, rid = _chat(client)
        with pytest.raises(RateLimitError) as caught:
            for i in range(3 * CALLS_PER_WINDOW):
                client.messages.send_message(token, rid, f"impatient {i}")
    assert caught.value.code == 429
    assert caught.value.retry_after is not None
    assert 0 < caught.value.retry_after <= WINDOW_MS / 1000
