"""One fault at a time, through the fault proxy, with the sync client (generated from async).

For every fault kind: what the caller sees, and what the server ends up holding. ``send_message``
is idempotent (client-chosen ``_id``) and must end with the message stored exactly once;
a non-idempotent call is never replayed blindly once the request may have reached the server.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from _reliability_env import Deployment

from _support.faultproxy import Fault, FaultPlan, FaultProxy
from rocketchat_livechat import (
    APIConnectionError,
    APITimeoutError,
    LivechatClient,
    RateLimitError,
    RoomClosedError,
    ServerError,
    UnexpectedResponseError,
    new_visitor_token,
)

CLIENT_TIMEOUT = 1.0


@dataclass
class Chat:
    token: str
    rid: str


@pytest.fixture
def direct(deployment: Deployment) -> Iterator[LivechatClient]:
    with LivechatClient(deployment.url) as client:
        yield client


@pytest.fixture
def chat(direct: LivechatClient) -> Chat:
    token = new_visitor_token()
    direct.visitor.register_visitor(token, name="Fault Tester")
    return Chat(token, direct.room.get_room(token).room.id)


@pytest.fixture
def proxy(deployment: Deployment) -> Iterator[FaultProxy]:
    with FaultProxy(deployment.url, stall_seconds=2 * CLIENT_TIMEOUT) as proxy:
        yield proxy


@pytest.fixture
def client(proxy: FaultProxy) -> Iterator[LivechatClient]:
    with LivechatClient(proxy.url, timeout=CLIENT_TIMEOUT, max_rate_limit_wait=5) as client:
        yield client


def stored(direct: LivechatClient, chat: Chat, text: str) -> list[str]:
    """Ids of the room's messages whose text is ``text``."""
    history = direct.messages.get_message_history(chat.rid, chat.token, limit=1000)
    return [m.id for m in history if m.msg == text]


RECOVERED = [
    Fault.RESET_BEFORE,
    Fault.RESET_AFTER_REQUEST,
    Fault.RESET_MID_RESPONSE,
    Fault.TRUNCATE,
    Fault.STALL,
    Fault.HTML_502,
    Fault.STATUS_503,
    Fault.RATE_LIMIT,
]


@pytest.mark.parametrize("fault", RECOVERED)
def test_send_message_survives_one_fault_exactly_once(
    fault: Fault, chat: Chat, proxy: FaultProxy, client: LivechatClient, direct: LivechatClient
) -> None:
    proxy.plan = FaultPlan(script=[fault])
    text = f"survives {fault}"
    message = client.messages.send_message(chat.token, chat.rid, text)
    assert message.msg == text and message.rid == chat.rid
    assert stored(direct, chat, text) == [message.id]
    assert proxy.counts()[fault] == 1
    if fault.forwarded:  # the retry hit the duplicate id and was recovered by a lookup
        paths = [(r.method, r.path.rsplit("/", 1)[-1]) for r in proxy.records]
        assert paths == [
            ("POST", "message"),
            ("POST", "message"),
            ("GET", message.id),
        ]


@pytest.mark.parametrize("fault", RECOVERED)
def test_idempotent_read_survives_one_fault(
    fault: Fault, chat: Chat, proxy: FaultProxy, client: LivechatClient
) -> None:
    proxy.plan = FaultPlan(script=[fault])
    visitor = client.visitor.get_visitor(chat.token)  # the token travels in the path
    assert visitor.token == chat.token
    assert [r.fault for r in proxy.records] == [fault, Fault.PASS]


def test_unparseable_success_body_is_recovered_and_the_message_is_stored_once(
    chat: Chat, proxy: FaultProxy, client: LivechatClient, direct: LivechatClient
) -> None:
    """A garbled 200 is a lost answer: the send is repeated, found by its id and returned."""
    proxy.plan = FaultPlan(script=[Fault.SHORT_BODY])
    message = client.messages.send_message(chat.token, chat.rid, "short body")
    assert message.msg == "short body"
    assert len(stored(direct, chat, "short body")) == 1


def test_unparseable_success_body_of_a_call_unsafe_to_repeat_is_a_typed_error(
    chat: Chat, proxy: FaultProxy, client: LivechatClient, direct: LivechatClient
) -> None:
    proxy.plan = FaultPlan(script=[Fault.SHORT_BODY])
    with pytest.raises((UnexpectedResponseError, APIConnectionError)):
        client.room.close_room(chat.rid, chat.token)
    assert len(proxy.records) == 1  # never repeated: the room may already be closed
    with pytest.raises(RoomClosedError):
        direct.room.close_room(chat.rid, chat.token)


def test_retries_are_bounded_and_end_in_a_typed_error(
    chat: Chat, proxy: FaultProxy, client: LivechatClient, direct: LivechatClient
) -> None:
    proxy.plan = FaultPlan(script=[Fault.RESET_BEFORE] * 3)
    with pytest.raises(APIConnectionError) as caught:
        client.messages.send_message(chat.token, chat.rid, "never arrives")
    assert len(proxy.records) == 3  # max_retries=2
    assert chat.token not in str(caught.value) and chat.token not in repr(caught.value)
    assert stored(direct, chat, "never arrives") == []


def test_stall_on_every_attempt_is_a_timeout_error(
    chat: Chat, proxy: FaultProxy, direct: LivechatClient
) -> None:
    proxy.plan = FaultPlan(script=[Fault.STALL] * 2)
    with (
        LivechatClient(proxy.url, timeout=0.5, max_retries=1) as client,
        pytest.raises(APITimeoutError),
    ):
        client.messages.send_message(chat.token, chat.rid, "stalled twice")
    # both attempts reached the server; the id made the second one a no-op
    assert len(stored(direct, chat, "stalled twice")) == 1


def test_rate_limit_longer_than_the_budget_fails_at_once_with_retry_after(
    chat: Chat, proxy: FaultProxy, direct: LivechatClient
) -> None:
    proxy.rate_limit_window = 3.0
    proxy.plan = FaultPlan(script=[Fault.RATE_LIMIT])
    with (
        LivechatClient(proxy.url, max_rate_limit_wait=1.0) as client,
        pytest.raises(RateLimitError) as caught,
    ):
        client.messages.send_message(chat.token, chat.rid, "too soon")
    assert caught.value.code == 429 and caught.value.error == "error-too-many-requests"
    assert caught.value.retry_after is not None and 2.0 < caught.value.retry_after <= 3.1
    assert len(proxy.records) == 1
    assert stored(direct, chat, "too soon") == []


def test_rate_limit_burst_is_waited_out(
    chat: Chat, proxy: FaultProxy, client: LivechatClient, direct: LivechatClient
) -> None:
    proxy.rate_limit_window = 0.4
    proxy.plan = FaultPlan(script=[Fault.RATE_LIMIT])
    texts = [f"burst {i}" for i in range(3)]
    for text in texts:
        client.messages.send_message(chat.token, chat.rid, text)
    assert all(len(stored(direct, chat, text)) == 1 for text in texts)
    assert proxy.counts()[Fault.RATE_LIMIT] >= 1


@pytest.mark.parametrize("fault", [Fault.RESET_BEFORE, Fault.RESET_AFTER_REQUEST])
def test_non_idempotent_call_is_not_replayed_after_sending(
    fault: Fault, chat: Chat, proxy: FaultProxy, client: LivechatClient, direct: LivechatClient
) -> None:
    proxy.plan = FaultPlan(script=[fault])
    with pytest.raises(APIConnectionError):
        client.room.close_room(chat.rid, chat.token)
    assert len(proxy.records) == 1
    closed = direct.room.get_room(chat.token).new_room  # a closed room means a new one opens
    assert closed is fault.forwarded


@pytest.mark.parametrize("fault", [Fault.RATE_LIMIT, Fault.HTML_502, Fault.STATUS_503])
def test_non_idempotent_call_after_a_refusal(
    fault: Fault, chat: Chat, proxy: FaultProxy, client: LivechatClient
) -> None:
    """A 429 is retried whatever the method (Rocket.Chat refuses before running the endpoint);
    a 502/503 is not, for a non-idempotent call: the caller gets a typed error."""
    proxy.plan = FaultPlan(script=[fault])
    if fault is Fault.RATE_LIMIT:
        assert client.room.close_room(chat.rid, chat.token).rid == chat.rid
        return
    with pytest.raises(ServerError) as caught:
        client.room.close_room(chat.rid, chat.token)
    assert caught.value.code in (502, 503)
