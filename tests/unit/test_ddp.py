"""DDP framing, EJSON and error shapes (``packages/ddp-client/src/``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rocketchat_livechat._core import ddp

T0 = datetime(2024, 10, 15, 2, 52, 42, 123000, tzinfo=UTC)
T0_MS = 1728960762123


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (T0, {"$date": T0_MS}),
        (T0.replace(microsecond=123999), {"$date": T0_MS}),  # truncated, never rounded up
        (T0.astimezone(timezone(timedelta(hours=2))), {"$date": T0_MS}),
        (T0.replace(tzinfo=None), {"$date": T0_MS}),  # naive = UTC
        (datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=UTC), {"$date": -1}),
        ({"ts": T0, "n": 1}, {"ts": {"$date": T0_MS}, "n": 1}),
        ([T0, (T0,)], [{"$date": T0_MS}, [{"$date": T0_MS}]]),
        ("text", "text"),
        (None, None),
    ],
)
def test_ejson_encode(value: Any, encoded: Any) -> None:
    assert ddp.ejson_encode(value) == encoded


@pytest.mark.parametrize(
    ("value", "decoded"),
    [
        ({"$date": T0_MS}, T0),
        ({"a": [{"$date": 0}]}, {"a": [datetime(1970, 1, 1, tzinfo=UTC)]}),
        ({"$date": T0_MS, "other": 1}, {"$date": T0_MS, "other": 1}),  # not a date
        ({"$date": "2024"}, {"$date": "2024"}),
        ({"$date": True}, {"$date": True}),
        ([1, "x"], [1, "x"]),
    ],
)
def test_ejson_decode(value: Any, decoded: Any) -> None:
    assert ddp.ejson_decode(value) == decoded


@given(st.datetimes(timezones=st.just(UTC)))
def test_ejson_round_trip_at_millisecond_precision(value: datetime) -> None:
    expected = value.replace(microsecond=value.microsecond // 1000 * 1000)
    assert ddp.ejson_decode(ddp.ejson_encode(value)) == expected


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (ddp.connect(), {"msg": "connect", "version": "1", "support": ["1", "pre2", "pre1"]}),
        (ddp.ping(), {"msg": "ping"}),
        (ddp.ping("7"), {"msg": "ping", "id": "7"}),
        (ddp.pong("7"), {"msg": "pong", "id": "7"}),
        (ddp.pong(), {"msg": "pong"}),
        (
            ddp.method("3", "stream-notify-room", ["r/user-activity", "guest-1", [], {}]),
            {
                "msg": "method",
                "id": "3",
                "method": "stream-notify-room",
                "params": ["r/user-activity", "guest-1", [], {}],
            },
        ),
        (
            ddp.sub("4", "stream-room-messages", ddp.stream_params("RID", [{"token": "t"}])),
            {
                "msg": "sub",
                "id": "4",
                "name": "stream-room-messages",
                "params": ["RID", {"useCollection": False, "args": [{"token": "t"}]}],
            },
        ),
        (ddp.unsub("4"), {"msg": "unsub", "id": "4"}),
        (ddp.connected("S1"), {"msg": "connected", "session": "S1"}),
        (ddp.failed(), {"msg": "failed", "version": "1"}),
        (ddp.result("1"), {"msg": "result", "id": "1"}),  # void: no result key
        (ddp.result("1", None), {"msg": "result", "id": "1", "result": None}),
        (ddp.result("1", {"a": 1}), {"msg": "result", "id": "1", "result": {"a": 1}}),
        (ddp.updated(["1"]), {"msg": "updated", "methods": ["1"]}),
        (ddp.ready(["4", "5"]), {"msg": "ready", "subs": ["4", "5"]}),
        (ddp.nosub("4"), {"msg": "nosub", "id": "4"}),
        (
            ddp.changed("stream-room-messages", "RID", [{"_id": "m"}]),
            {
                "msg": "changed",
                "collection": "stream-room-messages",
                "id": "id",
                "fields": {"eventName": "RID", "args": [{"_id": "m"}]},
            },
        ),
    ],
)
def test_frame_builders(frame: ddp.Frame, expected: ddp.Frame) -> None:
    assert frame == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("not-allowed",),
            {
                "isClientSafe": True,
                "error": "not-allowed",
                "message": "[not-allowed]",
                "errorType": "Meteor.Error",
            },
        ),
        (
            (403, "You've been logged out by the server. Please log in again."),
            {
                "isClientSafe": True,
                "error": 403,
                "reason": "You've been logged out by the server. Please log in again.",
                "message": "You've been logged out by the server. Please log in again. [403]",
                "errorType": "Meteor.Error",
            },
        ),
        (
            ("error-invalid-user", "Invalid user", {"method": "sendMessage"}),
            {
                "isClientSafe": True,
                "error": "error-invalid-user",
                "reason": "Invalid user",
                "message": "Invalid user [error-invalid-user]",
                "errorType": "Meteor.Error",
                "details": {"method": "sendMessage"},
            },
        ),
    ],
)
def test_meteor_error_shape(args: tuple[Any, ...], expected: dict[str, Any]) -> None:
    assert ddp.meteor_error(*args) == expected


def test_result_error_and_nosub_with_error() -> None:
    error = ddp.meteor_error("not-allowed")
    assert ddp.result_error("9", error) == {"msg": "result", "id": "9", "error": error}
    assert ddp.nosub("9", error) == {"msg": "nosub", "id": "9", "error": error}


@pytest.mark.parametrize(
    ("error", "code", "reason", "message"),
    [
        (ddp.meteor_error("not-allowed"), "not-allowed", None, "[not-allowed]"),
        (ddp.meteor_error(403, "Nope"), "403", "Nope", "Nope [403]"),
        ({"error": "x", "reason": "Why"}, "x", "Why", "Why [x]"),
        ({"error": "x"}, "x", None, "[x]"),
        ("raw text", "raw text", None, "raw text"),
        ({}, "unknown-error", None, "[unknown-error]"),
    ],
)
def test_parse_error(error: Any, code: str, reason: str | None, message: str) -> None:
    info = ddp.parse_error(error)
    assert (info.code, info.reason, info.message) == (code, reason, message)


def test_dumps_is_compact_json_with_ejson_dates() -> None:
    text = ddp.dumps(ddp.changed("s", "e", [{"ts": T0, "msg": "héllo"}]))
    assert " " not in text.replace("héllo", "")
    assert json.loads(text)["fields"]["args"][0] == {"ts": {"$date": T0_MS}, "msg": "héllo"}


def test_loads_decodes_dates() -> None:
    frame = ddp.loads('{"msg":"changed","fields":{"args":[{"ts":{"$date":1728960762123}}]}}')
    assert frame["fields"]["args"][0]["ts"] == T0


@pytest.mark.parametrize("data", ['{"server_id":"0"}', b'{"msg":"ping"}'])
def test_loads_accepts(data: str | bytes) -> None:
    assert isinstance(ddp.loads(data), dict)


@pytest.mark.parametrize(
    "data", ["", "not json", "[]", '"ping"', '{"id":"1"}', '{"msg":3}', b"\xff\xfe"]
)
def test_loads_rejects(data: str | bytes) -> None:
    with pytest.raises(ddp.DDPProtocolError):
        ddp.loads(data)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (["RID", {"useCollection": False, "args": [{"token": "t"}]}], ("RID", [{"token": "t"}])),
        (["RID", False], ("RID", [])),
        (["RID"], ("RID", [])),
        (["RID", {"useCollection": False}], ("RID", [])),
        (["RID", {"args": "nope"}], ("RID", [])),
        ([5, {"args": []}], ("", [])),
        ([], ("", [])),
        ("RID", ("", [])),
        (None, ("", [])),
    ],
)
def test_parse_stream_params(params: Any, expected: tuple[str, list[Any]]) -> None:
    assert ddp.parse_stream_params(params) == expected


def test_stream_params_round_trip() -> None:
    assert ddp.parse_stream_params(ddp.stream_params("r/typing", ["a"])) == ("r/typing", ["a"])


def test_id_sequence_is_increasing_and_per_instance() -> None:
    first, second = ddp.IdSequence(), ddp.IdSequence()
    assert [first.next() for _ in range(3)] == ["1", "2", "3"]
    assert second.next() == "1"
