"""Retries: the pure decisions of ``_core/retry.py``, then the drivers acting on them.

The drivers' sleeps are recorded instead of slept (the ``sleeps`` fixture in conftest.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import httpx2
import pytest
from _harness import Driver, Recorder, body_json, json_response, query, raw_path

from rocketchat_livechat import errors as e
from rocketchat_livechat._core.backoff import backoff_delay
from rocketchat_livechat._core.retry import (
    GIVE_UP,
    Decision,
    RetryPolicy,
    decide_after_status,
    decide_after_transport_error,
    server_retry_after,
)
from rocketchat_livechat.models import Message

NOW = 1_700_000_000.0
POLICY = RetryPolicy(max_retries=2, backoff_base=0.5, backoff_cap=8.0, max_rate_limit_wait=30.0)
TOKEN = "tok-1"
RID = "room-1"
MESSAGE = {"_id": "m1", "rid": RID, "msg": "hi", "token": TOKEN}


def now() -> float:
    return NOW


def reset_in(seconds: float, clock: Callable[[], float] = now) -> dict[str, str]:
    """Rocket.Chat's rate-limit headers with the reset ``seconds`` from now (epoch ms)."""
    return {
        "x-ratelimit-limit": "10",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": str(int((clock() + seconds) * 1000)),
    }


# --- pure decisions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "headers", "idempotent", "attempt", "expected"),
    [
        (400, {}, True, 1, GIVE_UP),
        (401, {}, True, 1, GIVE_UP),
        (404, {}, True, 1, GIVE_UP),
        (500, {}, True, 1, GIVE_UP),
        (502, {"retry-after": "2"}, True, 1, Decision(True, 2.0)),
        (503, {"retry-after": "0"}, True, 2, Decision(True, 0.0)),
        (504, {"retry-after": "1.5"}, True, 1, Decision(True, 1.5)),
        (408, {"retry-after": "1"}, True, 1, Decision(True, 1.0)),
        (503, {"retry-after": "1"}, False, 1, GIVE_UP),  # not idempotent
        (503, {"retry-after": "1"}, True, 3, GIVE_UP),  # retries used up
        (503, {"retry-after": "31"}, True, 1, GIVE_UP),  # longer than the budget
        # 429: retried whatever the method, waiting for the reset
        (429, reset_in(5), False, 1, Decision(True, 5.0, 5.0)),
        (429, reset_in(5), True, 2, Decision(True, 5.0, 5.0)),
        (429, reset_in(5), True, 3, Decision(True, 5.0, 5.0)),  # not bounded by max_retries
        (429, reset_in(5), True, 11, Decision(False, 0.0, 5.0)),  # max_rate_limit_retries
        (429, reset_in(120), True, 1, Decision(False, 0.0, 120.0)),
        (429, reset_in(-3), True, 1, Decision(True, 0.0, 0.0)),  # reset already passed
        (429, {"retry-after": "4", **reset_in(9)}, True, 1, Decision(True, 4.0, 4.0)),
    ],
)
def test_decide_after_status(
    status: int, headers: dict[str, str], idempotent: bool, attempt: int, expected: Decision
) -> None:
    decision = decide_after_status(
        POLICY, attempt, status, httpx2.Headers(headers), idempotent=idempotent, now=now
    )
    assert decision.retry == expected.retry
    assert decision.delay == pytest.approx(expected.delay)
    assert decision.retry_after == pytest.approx(expected.retry_after)


def test_429_waits_are_budgeted_in_total() -> None:
    headers = httpx2.Headers(reset_in(5))
    within = decide_after_status(
        POLICY, 4, 429, headers, idempotent=True, rate_limit_waited=25, now=now
    )
    over = decide_after_status(
        POLICY, 4, 429, headers, idempotent=True, rate_limit_waited=25.5, now=now
    )
    assert (within.retry, over.retry, over.retry_after) == (True, False, 5.0)


def test_429_is_not_retried_when_the_body_cannot_be_sent_again() -> None:
    headers = httpx2.Headers(reset_in(5))
    decision = decide_after_status(
        POLICY, 1, 429, headers, idempotent=False, replayable=False, now=now
    )
    assert (decision.retry, decision.retry_after) == (False, 5.0)


@pytest.mark.parametrize("status", [408, 429, 502, 503, 504])
@pytest.mark.parametrize("attempt", [1, 2])
def test_backoff_without_server_hint_is_capped_exponential_with_jitter(
    status: int, attempt: int
) -> None:
    decision = decide_after_status(
        POLICY, attempt, status, httpx2.Headers(), idempotent=True, now=now
    )
    ceiling = min(POLICY.backoff_cap, POLICY.backoff_base * 2 ** (attempt - 1))
    assert decision.retry
    assert ceiling / 2 <= decision.delay <= ceiling


@pytest.mark.parametrize(
    ("request_sent", "idempotent", "attempt", "retry"),
    [
        (False, False, 1, True),  # never reached the server: always safe
        (False, True, 2, True),
        (True, True, 1, True),
        (True, False, 1, False),  # may have run on the server
        (False, True, 3, False),  # retries used up
    ],
)
def test_decide_after_transport_error(
    request_sent: bool, idempotent: bool, attempt: int, retry: bool
) -> None:
    decision = decide_after_transport_error(
        POLICY, attempt, request_sent=request_sent, idempotent=idempotent
    )
    assert decision.retry is retry
    if retry:
        assert 0 < decision.delay <= POLICY.backoff_base * 2 ** (attempt - 1)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({}, None),
        ({"retry-after": "7"}, 7.0),
        ({"retry-after": "-2"}, 0.0),
        (
            {"retry-after": format_datetime(datetime.fromtimestamp(NOW + 30, UTC), usegmt=True)},
            30.0,
        ),
        ({"retry-after": "soon"}, None),
        ({"x-ratelimit-reset": str(int((NOW + 12.5) * 1000))}, 12.5),  # epoch milliseconds
        ({"x-ratelimit-reset": str(int((NOW - 1) * 1000))}, 0.0),
        ({"x-ratelimit-reset": "garbage"}, None),
        ({"retry-after": "soon", "x-ratelimit-reset": str(int((NOW + 3) * 1000))}, 3.0),
    ],
)
def test_server_retry_after(headers: dict[str, str], seconds: float | None) -> None:
    assert server_retry_after(httpx2.Headers(headers), now=now) == pytest.approx(seconds)


def test_backoff_delay_bounds() -> None:
    assert backoff_delay(1, base=1.0, cap=10.0, rand=lambda: 0.0) == 0.5
    assert backoff_delay(1, base=1.0, cap=10.0, rand=lambda: 1.0) == 1.0
    assert backoff_delay(3, base=1.0, cap=10.0, rand=lambda: 1.0) == 4.0
    assert backoff_delay(10, base=1.0, cap=10.0, rand=lambda: 1.0) == 10.0
    with pytest.raises(ValueError):
        backoff_delay(0)


# --- the drivers -----------------------------------------------------------------------------


def script(*outcomes: httpx2.Response | type[httpx2.TransportError]) -> Recorder:
    """A transport that answers (or fails) each attempt in turn."""
    remaining: Iterator[httpx2.Response | type[httpx2.TransportError]] = iter(outcomes)

    def respond(request: httpx2.Request) -> httpx2.Response:
        outcome = next(remaining)
        if isinstance(outcome, httpx2.Response):  # a copy: a response is consumed once
            return httpx2.Response(
                outcome.status_code, headers=outcome.headers, content=outcome.content
            )
        raise outcome("injected", request=request)

    return Recorder(respond)


VISITOR_OK = json_response({"visitor": {"_id": "v1", "token": TOKEN}})
CLOSED_OK = json_response({"rid": RID, "comment": "Closed by visitor"})


@pytest.mark.parametrize(
    "failure", [httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout]
)
def test_failures_before_sending_are_retried_even_for_non_idempotent_calls(
    driver: Driver, sleeps: list[float], failure: type[httpx2.TransportError]
) -> None:
    recorder = script(failure, failure, CLOSED_OK)
    closed = driver.call(recorder, "room.close_room", RID, TOKEN)
    assert closed.rid == RID
    assert len(recorder.requests) == 3
    assert len(sleeps) == 2
    assert 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0


@pytest.mark.parametrize(
    "failure",
    [httpx2.ReadTimeout, httpx2.ReadError, httpx2.RemoteProtocolError, httpx2.WriteError],
)
def test_failures_after_sending_are_retried_for_idempotent_calls(
    driver: Driver, sleeps: list[float], failure: type[httpx2.TransportError]
) -> None:
    recorder = script(failure, VISITOR_OK)
    assert driver.call(recorder, "visitor.get_visitor", TOKEN).id == "v1"
    assert len(recorder.requests) == 2
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    ("failure", "raised"),
    [
        (httpx2.ReadTimeout, e.APITimeoutError),
        (httpx2.ReadError, e.APIConnectionError),
        (httpx2.RemoteProtocolError, e.APIConnectionError),
    ],
)
def test_close_room_is_not_retried_after_it_may_have_reached_the_server(
    driver: Driver,
    sleeps: list[float],
    failure: type[httpx2.TransportError],
    raised: type[e.APIError],
) -> None:
    recorder = script(failure, CLOSED_OK)
    with pytest.raises(raised) as caught:
        driver.call(recorder, "room.close_room", RID, TOKEN)
    assert type(caught.value) is raised
    assert caught.value.code == 0
    assert caught.value.error_type == "API"
    what = "timed out" if raised is e.APITimeoutError else "connection failed"
    assert str(caught.value) == f"POST livechat/room.close {what} ({failure.__name__})"
    assert isinstance(caught.value.__cause__, failure)
    assert len(recorder.requests) == 1
    assert sleeps == []


def test_connection_errors_give_up_after_max_retries(driver: Driver, sleeps: list[float]) -> None:
    recorder = script(*[httpx2.ConnectError] * 10)
    with pytest.raises(e.APIConnectionError):
        driver.call(recorder, "visitor.get_visitor", TOKEN, client_kwargs={"max_retries": 3})
    assert len(recorder.requests) == 4
    assert len(sleeps) == 3


def test_max_retries_zero_never_retries(driver: Driver, sleeps: list[float]) -> None:
    recorder = script(httpx2.ConnectError, VISITOR_OK)
    with pytest.raises(e.APIConnectionError):
        driver.call(recorder, "visitor.get_visitor", TOKEN, client_kwargs={"max_retries": 0})
    assert len(recorder.requests) == 1


@pytest.mark.parametrize("status", [408, 502, 503, 504])
def test_retryable_statuses_are_retried_for_idempotent_calls(
    driver: Driver, sleeps: list[float], status: int
) -> None:
    recorder = script(httpx2.Response(status, text="busy"), VISITOR_OK)
    assert driver.call(recorder, "visitor.get_visitor", TOKEN).id == "v1"
    assert len(recorder.requests) == 2
    assert len(sleeps) == 1


@pytest.mark.parametrize("status", [502, 503, 504])
def test_retryable_statuses_are_not_retried_for_non_idempotent_calls(
    driver: Driver, sleeps: list[float], status: int
) -> None:
    recorder = script(httpx2.Response(status, text="busy"), CLOSED_OK)
    with pytest.raises(e.ServerError) as caught:
        driver.call(recorder, "room.close_room", RID, TOKEN)
    assert caught.value.code == status
    assert len(recorder.requests) == 1


def test_server_errors_give_up_after_max_retries(driver: Driver, sleeps: list[float]) -> None:
    recorder = script(*[httpx2.Response(503, headers={"retry-after": "1"})] * 5)
    with pytest.raises(e.ServerError):
        driver.call(recorder, "visitor.get_visitor", TOKEN)
    assert len(recorder.requests) == 3
    assert sleeps == [1.0, 1.0]


def test_non_retryable_errors_fail_at_once(driver: Driver, sleeps: list[float]) -> None:
    recorder = script(json_response({"success": False, "error": "invalid-token"}, 400))
    with pytest.raises(e.InvalidTokenError):
        driver.call(recorder, "visitor.get_visitor", TOKEN)
    assert len(recorder.requests) == 1
    assert sleeps == []


TOO_MANY = {
    "success": False,
    "error": "Error, too many requests. Please slow down. You must wait 2 seconds before "
    "trying this endpoint again. [error-too-many-requests]",
}


def test_429_with_a_near_reset_waits_and_succeeds(driver: Driver, sleeps: list[float]) -> None:
    def respond(request: httpx2.Request) -> httpx2.Response:
        if len(recorder.requests) == 1:
            return json_response(TOO_MANY, 429, reset_in(1.5, time.time))
        return json_response({"rid": RID, "comment": "Closed by visitor"})

    recorder = Recorder(respond)
    # 429 is refused before the endpoint runs: even close_room is retried
    assert driver.call(recorder, "room.close_room", RID, TOKEN).rid == RID
    assert len(recorder.requests) == 2
    assert sleeps == [pytest.approx(1.5, abs=0.3)]
    assert recorder.requests[0].content == recorder.requests[1].content


def test_429_with_a_far_reset_fails_with_retry_after(driver: Driver, sleeps: list[float]) -> None:
    recorder = Recorder(lambda request: json_response(TOO_MANY, 429, reset_in(120, time.time)))
    with pytest.raises(e.RateLimitError) as caught:
        driver.call(recorder, "visitor.get_visitor", TOKEN)
    assert caught.value.retry_after == pytest.approx(120, abs=1)
    assert caught.value.code == 429
    assert caught.value.error == "error-too-many-requests"
    assert len(recorder.requests) == 1
    assert sleeps == []


def test_429_budget_is_the_client_option(driver: Driver, sleeps: list[float]) -> None:
    recorder = Recorder(lambda request: json_response(TOO_MANY, 429, {"retry-after": "5"}))
    with pytest.raises(e.RateLimitError) as caught:
        driver.call(
            recorder, "visitor.get_visitor", TOKEN, client_kwargs={"max_rate_limit_wait": 4.0}
        )
    assert caught.value.retry_after == 5.0
    assert len(recorder.requests) == 1


def test_429_retries_are_bounded_and_keep_retry_after(driver: Driver, sleeps: list[float]) -> None:
    recorder = Recorder(lambda request: json_response(TOO_MANY, 429, {"retry-after": "2"}))
    with pytest.raises(e.RateLimitError) as caught:
        driver.call(recorder, "visitor.get_visitor", TOKEN)
    assert len(recorder.requests) == 11  # max_rate_limit_retries, within the 30 s budget
    assert sleeps == [2.0] * 10
    assert caught.value.retry_after == 2.0


def test_429_waits_stop_at_the_total_budget(driver: Driver, sleeps: list[float]) -> None:
    recorder = Recorder(lambda request: json_response(TOO_MANY, 429, {"retry-after": "8"}))
    with pytest.raises(e.RateLimitError):
        driver.call(recorder, "visitor.get_visitor", TOKEN)
    assert sleeps == [8.0, 8.0, 8.0]  # a fourth wait would pass 30 s


def test_429_without_headers_uses_the_wait_in_the_text(driver: Driver, sleeps: list[float]) -> None:
    recorder = Recorder(lambda request: json_response(TOO_MANY, 429))
    with pytest.raises(e.RateLimitError) as caught:
        driver.call(recorder, "visitor.get_visitor", TOKEN, client_kwargs={"max_retries": 0})
    assert caught.value.retry_after == 2.0


# --- send_message: idempotent thanks to its client-chosen _id ---------------------------------


class MessageStore:
    """A fake server for ``livechat/message``: duplicate ``_id`` → Rocket.Chat's 400 (§3.13)."""

    def __init__(self, lose_first_response: type[httpx2.TransportError] | None = None) -> None:
        self.stored: dict[str, dict[str, Any]] = {}
        self.lose_first_response = lose_first_response
        self.recorder = Recorder(self.respond)

    def respond(self, request: httpx2.Request) -> httpx2.Response:
        path = raw_path(request)
        if request.method == "POST" and path == "/api/v1/livechat/message":
            body = body_json(request)
            if body["_id"] in self.stored:
                error = "Cannot convert undefined or null to object"
                return json_response({"success": False, "error": error}, 400)
            self.stored[body["_id"]] = {**body, "ts": "2024-10-15T02:52:42.123Z"}
            if self.lose_first_response is not None:
                failure, self.lose_first_response = self.lose_first_response, None
                raise failure("response lost", request=request)
            return json_response({"message": self.stored[body["_id"]]})
        if request.method == "GET" and path.startswith("/api/v1/livechat/message/"):
            message = self.stored.get(path.rsplit("/", 1)[1])
            if message is None or request.url.params["rid"] != message["rid"]:
                return json_response({"success": False, "error": "invalid-message"}, 400)
            return json_response({"message": message})
        raise AssertionError(f"unexpected {request.method} {path}")


@pytest.mark.parametrize("failure", [httpx2.ReadError, httpx2.ReadTimeout])
def test_send_message_retried_after_a_read_error_returns_the_stored_message(
    driver: Driver, sleeps: list[float], failure: type[httpx2.TransportError]
) -> None:
    server = MessageStore(lose_first_response=failure)
    message = driver.call(server.recorder, "messages.send_message", TOKEN, RID, "hello")
    first, second, lookup = server.recorder.requests
    assert first.content == second.content  # the very same _id is sent again
    message_id = body_json(first)["_id"]
    assert list(server.stored) == [message_id]  # never duplicated
    assert lookup.method == "GET"
    assert raw_path(lookup) == f"/api/v1/livechat/message/{message_id}"
    assert query(lookup) == [("token", TOKEN), ("rid", RID)]
    assert isinstance(message, Message)
    assert (message.id, message.msg) == (message_id, "hello")
    assert len(sleeps) == 1


def test_send_message_400_on_the_first_attempt_is_not_looked_up(driver: Driver) -> None:
    server = MessageStore()
    server.stored["dup"] = {"_id": "dup", "rid": RID, "msg": "old"}
    with pytest.raises(e.BadRequestError) as caught:
        driver.call(server.recorder, "messages.send_message", TOKEN, RID, "x", message_id="dup")
    assert caught.value.error == "Cannot convert undefined or null to object"
    assert len(server.recorder.requests) == 1


def test_send_message_retried_400_whose_lookup_fails_raises_the_original_error(
    driver: Driver,
) -> None:
    recorder = script(
        httpx2.ReadError,
        json_response({"success": False, "error": "room-closed"}, 400),
        json_response({"success": False, "error": "invalid-message"}, 400),
    )
    with pytest.raises(e.RoomClosedError):
        driver.call(recorder, "messages.send_message", TOKEN, RID, "x")
    assert [r.method for r in recorder.requests] == ["POST", "POST", "GET"]


def test_send_agent_message_retried_400_is_looked_up_with_chat_get_message(
    driver: Driver,
) -> None:
    def respond(request: httpx2.Request) -> httpx2.Response:
        if raw_path(request) == "/api/v1/chat.getMessage":
            msg_id = request.url.params["msgId"]
            return json_response({"message": {"_id": msg_id, "rid": RID, "msg": "hi"}})
        if len(recorder.requests) == 1:
            raise httpx2.ReadError("lost", request=request)
        return json_response({"success": False, "error": "duplicate"}, 400)

    recorder = Recorder(respond)
    message = driver.call(recorder, "messages.send_agent_message", RID, "hi")
    sent_id = body_json(recorder.requests[0])["message"]["_id"]
    assert recorder.paths() == [
        "/api/v1/chat.sendMessage",
        "/api/v1/chat.sendMessage",
        "/api/v1/chat.getMessage",
    ]
    assert query(recorder.last) == [("msgId", sent_id)]
    assert recorder.last.headers["x-auth-token"]
    assert message.id == sent_id
