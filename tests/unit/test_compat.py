"""``compat.RocketChatLivechat`` sends what ``rocketchat_API`` (PyPI) sends, and returns dicts.

Both libraries run against fakes: ``rocketchat_API`` over a recording ``requests``-like session,
the compat layer over ``httpx2.MockTransport``. For each method the two requests must agree on
method, path, query pairs, JSON body and (agent side) the auth headers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx2
import pytest
from _harness import Recorder, body_json, json_response, raw_path
from rocketchat_API.rocketchat import RocketChat  # type: ignore[import-untyped]

from rocketchat_livechat import InvalidArgumentError, LivechatClient
from rocketchat_livechat.compat import RocketChatLivechat

SERVER = "http://rc.test"
USER_ID = "user-1"
AUTH_TOKEN = "auth-1"
TOKEN = "tok-1"
RID = "room-1"

BODIES: dict[str, Any] = {
    "livechat/visitor": {"visitor": {"_id": "v1", "token": TOKEN}},
    "livechat/room": {"room": {"_id": RID}, "newRoom": True},
    "livechat/message": {"message": {"_id": "m1", "rid": RID, "msg": "hi"}},
    "livechat/inquiries.getOne": {"inquiry": {"_id": "i1", "rid": RID}},
    "livechat/appearance": {"appearance": [{"_id": "Livechat_title", "value": "Hi"}]},
}


def body_for(path: str) -> Any:
    route = path.removeprefix("/api/v1/")
    for prefix, body in BODIES.items():
        if route.startswith(prefix):
            return {**body, "success": True}
    return {"success": True, "user": {"_id": "u2", "username": "bob"}}


@dataclass
class Sent:
    """One request, in a form both libraries can be compared in."""

    method: str
    path: str
    query: list[tuple[str, str]]
    body: Any
    headers: dict[str, str]


class FakeResponse:
    def __init__(self, body: Any) -> None:
        self.status_code = 200
        self._body = body
        self.text = json.dumps(body)

    def json(self) -> Any:
        return self._body


class RecordingSession:
    """Stands in for ``requests.Session`` under ``rocketchat_API``."""

    def __init__(self, pages: Callable[[str, list[tuple[str, str]]], Any] | None = None) -> None:
        self.sent: list[Sent] = []
        self.pages = pages

    def _record(self, method: str, url: str, **kwargs: Any) -> FakeResponse:
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        headers = {k.lower(): v for k, v in (kwargs.get("headers") or {}).items()}
        self.sent.append(Sent(method, parts.path, query, kwargs.get("json"), headers))
        body = self.pages(parts.path, query) if self.pages else body_for(parts.path)
        return FakeResponse(body)

    def get(self, url: str, **kwargs: Any) -> FakeResponse:
        return self._record("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> FakeResponse:
        return self._record("POST", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> FakeResponse:
        return self._record("DELETE", url, **kwargs)


def sent_by_httpx(request: httpx2.Request) -> Sent:
    headers = {k.lower(): v for k, v in request.headers.items()}
    return Sent(
        request.method,
        raw_path(request),
        list(request.url.params.multi_items()),
        body_json(request),
        headers,
    )


def both(
    method: str,
    *args: Any,
    pages: Callable[[str, list[tuple[str, str]]], Any] | None = None,
    **kwargs: Any,
) -> tuple[list[Sent], list[Sent], Any]:
    """Run ``method`` with rocketchat_API and with the compat layer; both request lists and the
    compat result (iterators are drained)."""
    session = RecordingSession(pages)
    reference = RocketChat(
        user_id=USER_ID, auth_token=AUTH_TOKEN, server_url=SERVER, session=session
    )
    outcome = getattr(reference, method)(*args, **kwargs)
    if not isinstance(outcome, dict):
        list(outcome)

    def respond(request: httpx2.Request) -> httpx2.Response:
        path = raw_path(request)
        query = list(request.url.params.multi_items())
        return json_response(pages(path, query) if pages else body_for(path))

    recorder = Recorder(respond)
    compat = RocketChatLivechat(server_url=SERVER, user_id=USER_ID, auth_token=AUTH_TOKEN)
    compat.client.close()
    compat.client = LivechatClient(
        SERVER,
        user_id=USER_ID,
        auth_token=AUTH_TOKEN,
        transport=httpx2.MockTransport(recorder),
    )
    with compat.client:
        result = getattr(compat, method)(*args, **kwargs)
        if not isinstance(result, dict):
            result = list(result)
    return session.sent, [sent_by_httpx(r) for r in recorder.requests], result


AGENT_SIDE = {
    "livechat_inquiries_take",
    "livechat_inquiries_get_one",
    "livechat_get_user",
    "livechat_create_user",
    "livechat_delete_user",
    "livechat_rooms",
    "livechat_inquiries_list",
    "livechat_get_users",
    "livechat_get_appearance",
    "livechat_set_appearance",
}

SAME_REQUEST = [
    ("livechat_register_visitor", (TOKEN,), {}),
    (
        "livechat_register_visitor",
        (TOKEN,),
        {"visitor": {"name": "Alice", "email": "alice@example.com", "department": "d1"}},
    ),
    ("livechat_get_visitor", (TOKEN,), {}),
    ("livechat_room", (TOKEN,), {}),
    ("livechat_room", (TOKEN,), {"rid": RID}),
    ("livechat_message", (TOKEN, RID, "hello"), {"_id": "m1"}),
    ("livechat_inquiries_take", ("inq-1",), {}),
    ("livechat_inquiries_get_one", (RID,), {}),
    ("livechat_create_user", ("agent",), {"username": "bob"}),
    ("livechat_get_user", ("manager", "u2"), {}),
    ("livechat_delete_user", ("agent", "u2"), {}),
    ("livechat_get_appearance", (), {}),
    ("livechat_set_appearance", ([{"_id": "Livechat_title", "value": "Support"}],), {}),
    (
        "livechat_set_appearance",
        (
            [
                {"_id": "Livechat_registration_form", "value": False},
                {"_id": "Livechat_message_character_limit", "value": 100},
                {"_id": "Livechat_hide_system_messages", "value": ["uj"]},
            ],
        ),
        {},
    ),
]


@pytest.mark.parametrize(
    ("method", "args", "kwargs"), SAME_REQUEST, ids=[m for m, _, _ in SAME_REQUEST]
)
def test_same_request_as_rocketchat_api(
    method: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    expected, actual, result = both(method, *args, **kwargs)
    assert len(expected) == len(actual) == 1
    (want,), (got,) = expected, actual
    assert (got.method, got.path) == (want.method, want.path)
    assert sorted(got.query) == sorted(want.query)
    assert got.body == want.body
    if method in AGENT_SIDE:
        assert got.headers["x-user-id"] == USER_ID
        assert got.headers["x-auth-token"] == AUTH_TOKEN
    else:  # rocketchat_API sends the agent's credentials everywhere; visitor calls need none
        assert "x-auth-token" not in got.headers
    assert isinstance(result, dict)
    assert result["success"] is True


def test_livechat_message_adds_an_id_where_rocketchat_api_sends_none() -> None:
    expected, actual, result = both("livechat_message", TOKEN, RID, "hello")
    assert expected[0].body == {"token": TOKEN, "rid": RID, "msg": "hello"}
    sent = actual[0].body
    assert {k: v for k, v in sent.items() if k != "_id"} == expected[0].body
    assert len(sent["_id"]) == 17  # idempotent sends
    assert result["message"]["_id"] == "m1"


def paged(key: str, total: int) -> Callable[[str, list[tuple[str, str]]], Any]:
    def pages(path: str, query: list[tuple[str, str]]) -> Any:
        params = dict(query)
        offset, count = int(params.get("offset", 0)), int(params.get("count", 50))
        items = [
            {"_id": f"x{i}", "rid": f"r{i}"} for i in range(offset, min(total, offset + count))
        ]
        return {key: items, "count": len(items), "offset": offset, "total": total, "success": True}

    return pages


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "key"),
    [
        ("livechat_rooms", (), {"count": 2}, "rooms"),
        ("livechat_rooms", (), {"count": 2, "open": "true", "agents": ["a1", "a2"]}, "rooms"),
        ("livechat_inquiries_list", (), {"count": 2}, "inquiries"),
        ("livechat_get_users", ("agent",), {"count": 2}, "users"),
        ("livechat_get_users", ("manager",), {"count": 2, "max_count": 3}, "users"),
    ],
)
@pytest.mark.parametrize("total", [3, 4])
def test_paginated_methods_match_rocketchat_api(
    method: str, args: tuple[Any, ...], kwargs: dict[str, Any], key: str, total: int
) -> None:
    expected, actual, items = both(method, *args, pages=paged(key, total), **kwargs)
    wanted = min(total, kwargs.get("max_count", total))
    assert [item["_id"] for item in items] == [f"x{i}" for i in range(wanted)]
    assert all(isinstance(item, dict) for item in items)
    # same pages asked for, in the same way (rocketchat_API may ask one page more at the end)
    for want, got in zip(expected, actual, strict=False):
        assert (got.method, got.path) == (want.method, want.path)
        assert sorted(got.query) == sorted(want.query)
        assert got.headers["x-auth-token"] == AUTH_TOKEN
    assert 1 <= len(actual) <= len(expected)


def test_messages_history_yields_dicts_newest_first() -> None:
    stamps = ["2024-10-15T10:00:00.003Z", "2024-10-15T10:00:00.002Z", "2024-10-15T10:00:00.001Z"]
    messages = [{"_id": f"m{i}", "rid": RID, "msg": "x", "ts": ts} for i, ts in enumerate(stamps)]

    def respond(request: httpx2.Request) -> httpx2.Response:
        end = request.url.params.get("end")
        kept = [m for m in messages if end is None or m["ts"] < end]
        return json_response({"messages": kept[: int(request.url.params["limit"])]})

    recorder = Recorder(respond)
    compat = RocketChatLivechat(server_url=SERVER)
    compat.client.close()
    compat.client = LivechatClient(SERVER, transport=httpx2.MockTransport(recorder))
    with compat.client:
        result = list(compat.livechat_messages_history(RID, TOKEN, count=2))
    assert [m["_id"] for m in result] == ["m0", "m1", "m2"]
    assert result[0]["ts"] == "2024-10-15T10:00:00.003Z"
    assert all(raw_path(r) == f"/api/v1/livechat/messages.history/{RID}" for r in recorder.requests)
    assert recorder.requests[0].url.params["token"] == TOKEN


def test_compat_validates_what_rocketchat_api_would_send_blindly() -> None:
    compat = RocketChatLivechat(server_url=SERVER)
    with pytest.raises(InvalidArgumentError) as caught:
        compat.livechat_get_visitor("a/../b")
    assert caught.value.argument == "token"
    compat.close()


def test_compat_appearance_answers_and_checks_like_the_sdk() -> None:
    _, _, got = both("livechat_get_appearance")
    assert got == {"appearance": [{"_id": "Livechat_title", "value": "Hi"}], "success": True}
    compat = RocketChatLivechat(server_url=SERVER, user_id=USER_ID, auth_token=AUTH_TOKEN)
    with pytest.raises(InvalidArgumentError) as caught:
        compat.livechat_set_appearance([{"_id": "Livechat_title"}])
    assert caught.value.argument == "settings[0]"
    compat.close()
