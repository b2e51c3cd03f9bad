"""``GET livechat/rooms`` filters, from Rocket.Chat's ``tests/end-to-end/api/livechat/00-rooms.ts``.

Behaviour from ``apps/meteor/app/livechat/imports/server/rest/rooms.ts``: ``validateDateParams``
``JSON.parse``\\ s ``createdAt`` / ``closedAt`` (the parser's ``SyntaxError`` is the 400 answer),
``isBoolean(open)``; ``roomName`` between double quotes matches exactly.
"""

from __future__ import annotations

import json
import secrets

import httpx2
import pytest
from _server_helpers import error, new_chat

from rocketchat_livechat.server.routes.rooms import _as_before_313
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("createdAt", "invalid", "Unexpected token 'i', \"invalid\" is not valid JSON"),
        ("closedAt", "invalid", "Unexpected token 'i', \"invalid\" is not valid JSON"),
        ("createdAt", '{"start"', "Unexpected end of JSON input"),
        (
            "closedAt",
            '{"start":"2024-01-01T00:00:00Z",}',
            "Expected double-quoted property name in JSON at position 32 (line 1 column 33)",
        ),
        (
            "createdAt",
            '{"start":"nope"}',
            'The "createdAt.start" query parameter must be a valid date.',
        ),
        ("closedAt", '{"end":"nope"}', 'The "closedAt.end" query parameter must be a valid date.'),
    ],
)
def test_date_ranges_that_are_not_json_date_ranges_are_refused(
    http: httpx2.Client, admin: dict[str, str], name: str, raw: str, message: str
) -> None:
    response = http.get("livechat/rooms", params={name: raw}, headers=admin)
    assert error(response) == {"success": False, "error": message}


def test_date_ranges_are_checked_before_the_access(http: httpx2.Client, agent: Agent) -> None:
    """rooms.ts validates the dates, then answers ``unauthorized`` to an agent asking for all."""
    bad = http.get("livechat/rooms", params={"createdAt": "invalid"}, headers=agent.headers)
    assert error(bad)["error"] == "Unexpected token 'i', \"invalid\" is not valid JSON"
    assert error(http.get("livechat/rooms", headers=agent.headers), 403) == {
        "success": False,
        "error": "unauthorized",
    }


def test_valid_date_ranges_filter(http: httpx2.Client, admin: dict[str, str], agent: Agent) -> None:
    _, room = new_chat(http)
    rng = '{"start":"2018-01-26T00:11:22.345Z","end":"2018-01-26T00:11:22.345Z"}'
    old = http.get("livechat/rooms", params={"createdAt": rng}, headers=admin).json()
    assert all(r["_id"] != room["_id"] for r in old["rooms"])
    recent = http.get(
        "livechat/rooms",
        params={"createdAt": '{"start":"2018-01-26T00:11:22.345Z"}'},
        headers=admin,
    ).json()
    assert any(r["_id"] == room["_id"] for r in recent["rooms"])


def test_room_name_is_a_search_and_quotes_match_exactly(
    http: httpx2.Client, admin: dict[str, str], agent: Agent
) -> None:
    prefix = f"TEST_{secrets.token_hex(3)}_"
    _, room1 = new_chat(http, name=f"{prefix}1")
    _, room2 = new_chat(http, name=f"{prefix}2")
    exact = http.get("livechat/rooms", params={"roomName": f'"{prefix}1"'}, headers=admin).json()
    assert [r["fname"] for r in exact["rooms"]] == [f"{prefix}1"]
    found = http.get("livechat/rooms", params={"roomName": prefix.lower()}, headers=admin).json()
    assert {room1["_id"], room2["_id"]} <= {r["_id"] for r in found["rooms"]}
    none = http.get("livechat/rooms", params={"roomName": f'"{prefix}"'}, headers=admin).json()
    assert none["rooms"] == []
    literal = http.get("livechat/rooms", params={"roomName": f"{prefix}."}, headers=admin).json()
    assert literal["rooms"] == []  # the term is matched as text, not as a pattern


def test_open_true_lists_served_open_rooms_not_queued_ones(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    livechat_server.create_agent()  # someone to serve the first chat
    _, served = new_chat(http)
    assert served.get("servedBy")
    livechat_server.set_routing("Manual_Selection")
    _, queued = new_chat(http)
    assert not queued.get("servedBy")
    _, closed = new_chat(http)
    opened = http.get("livechat/rooms", params={"open": "true"}, headers=admin).json()["rooms"]
    ids = {r["_id"] for r in opened}
    assert served["_id"] in ids and queued["_id"] not in ids
    assert all(r.get("open") and r.get("servedBy") for r in opened)
    waiting = http.get(
        "livechat/rooms", params={"queued": "true", "open": "true"}, headers=admin
    ).json()["rooms"]
    assert queued["_id"] in {r["_id"] for r in waiting}
    assert all(r.get("open") and not r.get("servedBy") for r in waiting)
    del closed


def test_open_false_lists_closed_rooms_and_other_values_do_not_filter(
    http: httpx2.Client, admin: dict[str, str], agent: Agent, livechat_server: LivechatTestServer
) -> None:
    _, room = new_chat(http)
    livechat_server.close_room(agent, room["_id"])
    closed = http.get(
        "livechat/rooms", params={"open": "false", "roomName": f'"{room["fname"]}"'}, headers=admin
    ).json()["rooms"]
    assert [r["_id"] for r in closed] == [room["_id"]]
    assert all(r.get("closedAt") for r in closed)
    # isBoolean(open) is false for "1": no open filter at all
    anything = http.get(
        "livechat/rooms", params={"open": "1", "roomName": f'"{room["fname"]}"'}, headers=admin
    ).json()["rooms"]
    assert [r["_id"] for r in anything] == [room["_id"]]


@pytest.mark.parametrize(
    ("doc", "comma"), [('{"a":1,}', 6), ('{"a":1, \n }', 6), ("[1,]", 2), ("[1, ]", 2)]
)
def test_python_313_trailing_comma_errors_read_as_before(doc: str, comma: int) -> None:
    """3.13 words (and places) a trailing comma error differently: the mapping sees 3.11's."""
    kind = "object" if doc.startswith("{") else "array"
    as_313 = json.JSONDecodeError(f"Illegal trailing comma before end of {kind}", doc, comma)
    with pytest.raises(json.JSONDecodeError) as here:
        json.loads(doc)
    expected = _as_before_313(here.value)  # unchanged before 3.13
    got = _as_before_313(as_313)
    assert (got.msg, got.pos, got.lineno, got.colno) == (
        expected.msg,
        expected.pos,
        expected.lineno,
        expected.colno,
    )
