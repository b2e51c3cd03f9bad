"""Visitor A's token against visitor B's room and messages, on every visitor endpoint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from _server_helpers import error, new_chat

from rocketchat_livechat.testing.plugin import Agent

pytestmark = pytest.mark.e2e

Call = Callable[[httpx2.Client, dict[str, str]], httpx2.Response]
INVALID_ROOM = (400, {"success": False, "error": "invalid-room"})

# each case gets ids: ta/ra (A's token/room), tb/rb, mb (B's message id), ma (A's message id)
MATRIX: list[tuple[str, Call, tuple[int, dict[str, Any]]]] = [
    (
        "get room",
        lambda h, i: h.get("livechat/room", params={"token": i["ta"], "rid": i["rb"]}),
        INVALID_ROOM,
    ),
    (
        "send message",
        lambda h, i: h.post(
            "livechat/message", json={"token": i["ta"], "rid": i["rb"], "msg": "x"}
        ),
        INVALID_ROOM,
    ),
    (
        "get message via B's room",
        lambda h, i: h.get(
            f"livechat/message/{i['mb']}", params={"token": i["ta"], "rid": i["rb"]}
        ),
        INVALID_ROOM,
    ),
    (
        "get B's message via own room",
        lambda h, i: h.get(
            f"livechat/message/{i['mb']}", params={"token": i["ta"], "rid": i["ra"]}
        ),
        (400, {"success": False, "error": "invalid-message"}),
    ),
    (
        "edit via B's room",
        lambda h, i: h.put(
            f"livechat/message/{i['mb']}", json={"token": i["ta"], "rid": i["rb"], "msg": "x"}
        ),
        INVALID_ROOM,
    ),
    (
        "edit B's message via own room",
        lambda h, i: h.put(
            f"livechat/message/{i['mb']}", json={"token": i["ta"], "rid": i["ra"], "msg": "x"}
        ),
        (400, {"success": False, "error": "error-action-not-allowed"}),
    ),
    (
        "delete B's message via own room",
        lambda h, i: h.request(
            "DELETE", f"livechat/message/{i['mb']}", json={"token": i["ta"], "rid": i["ra"]}
        ),
        (400, {"success": False, "error": "error-action-not-allowed"}),
    ),
    (
        "delete via B's room",
        lambda h, i: h.request(
            "DELETE", f"livechat/message/{i['mb']}", json={"token": i["ta"], "rid": i["rb"]}
        ),
        INVALID_ROOM,
    ),
    (
        "history",
        lambda h, i: h.get(f"livechat/messages.history/{i['rb']}", params={"token": i["ta"]}),
        INVALID_ROOM,
    ),
    (
        "close",
        lambda h, i: h.post("livechat/room.close", json={"token": i["ta"], "rid": i["rb"]}),
        INVALID_ROOM,
    ),
    (
        "survey",
        lambda h, i: h.post(
            "livechat/room.survey",
            json={
                "token": i["ta"],
                "rid": i["rb"],
                "data": [{"name": "satisfaction", "value": "1"}],
            },
        ),
        INVALID_ROOM,
    ),
    (
        "department.transfer",
        lambda h, i: h.post(
            "livechat/visitor/department.transfer",
            json={"token": i["ta"], "rid": i["rb"], "department": "d"},
        ),
        (400, {"success": False, "error": "error-invalid-room"}),
    ),
    (
        "department.transfer",
        lambda h, i: h.post(
            "livechat/visitor/department.transfer",
            json={"token": i["ta"], "rid": i["rb"], "department": "d"},
        ),
        (400, {"success": False, "error": "error-invalid-room"}),
    ),
    (
        "transcript",
        lambda h, i: h.post(
            "livechat/transcript", json={"token": i["ta"], "rid": i["rb"], "email": "a@b.io"}
        ),
        (400, {"success": False, "error": "error-invalid-visitor"}),
    ),
    ("agent.info", lambda h, i: h.get(f"livechat/agent.info/{i['rb']}/{i['ta']}"), INVALID_ROOM),
    (
        "upload",
        lambda h, i: h.post(
            f"livechat/upload/{i['rb']}",
            headers={"x-visitor-token": i["ta"]},
            files={"file": ("a.txt", b"x", "text/plain")},
        ),
        (403, {"success": False, "error": "unauthorized"}),
    ),
]


@pytest.fixture
def two_visitors(http: httpx2.Client, agent: Agent) -> dict[str, str]:
    ta, room_a = new_chat(http)
    tb, room_b = new_chat(http)
    send = "livechat/message"
    ma = http.post(send, json={"token": ta, "rid": room_a["_id"], "msg": "a"}).json()["message"]
    mb = http.post(send, json={"token": tb, "rid": room_b["_id"], "msg": "b"}).json()["message"]
    return {
        "ta": ta,
        "ra": room_a["_id"],
        "tb": tb,
        "rb": room_b["_id"],
        "ma": ma["_id"],
        "mb": mb["_id"],
    }


def test_cross_visitor_matrix(http: httpx2.Client, two_visitors: dict[str, str]) -> None:
    ids = two_visitors
    for name, call, (status, body) in MATRIX:
        assert error(call(http, ids), status) == body, name
    history = http.get(f"livechat/messages.history/{ids['rb']}", params={"token": ids["tb"]}).json()
    b_messages = [m for m in history["messages"] if "t" not in m]
    assert [(m["_id"], m["msg"]) for m in b_messages] == [(ids["mb"], "b")]
    room = http.get("livechat/room", params={"token": ids["tb"], "rid": ids["rb"]}).json()["room"]
    assert room["open"] is True and "surveyFeedback" not in room
