"""``GET /file-upload/:id/:name``: Rocket.Chat's ``requestCanAccessFiles`` and the headers of
its file handler (apps/meteor/app/file-upload/server/lib/FileUpload.ts, config/FileSystem.ts)."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from _server_helpers import new_chat

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

DATA = bytes(range(256)) * 40


def _upload(
    http: httpx2.Client, rid: str, token: str, name: str = "r é.bin", data: bytes = DATA
) -> dict[str, Any]:
    response = http.post(
        f"livechat/upload/{rid}",
        headers={"x-visitor-token": token},
        files={"file": (name, data, "application/octet-stream")},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _chat_with_file(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> tuple[str, str, str, Agent]:
    """(visitor token, rid, file URL, serving agent)."""
    agent = livechat_server.create_agent()
    token, room = new_chat(http)
    assert room["servedBy"]["_id"] == agent.user_id
    message = _upload(http, room["_id"], token)
    return token, room["_id"], livechat_server.url + message["attachments"][0]["title_link"], agent


def _visitor(token: str, rid: str) -> dict[str, str]:
    return {"rc_room_type": "l", "rc_rid": rid, "rc_token": token}


def test_headers_and_body(http: httpx2.Client, livechat_server: LivechatTestServer) -> None:
    token, rid, url, _ = _chat_with_file(http, livechat_server)
    assert url.endswith("/r%20%C3%A9.bin")
    got = httpx2.get(url, params=_visitor(token, rid))
    assert got.status_code == 200 and got.content == DATA
    headers = got.headers
    assert headers["content-type"] == "application/octet-stream"
    assert headers["content-length"] == str(len(DATA))
    assert headers["content-disposition"] == "attachment; filename*=UTF-8''r%20%C3%A9.bin"
    assert headers["content-security-policy"] == "default-src 'none'"
    assert headers["cache-control"] == "max-age=31536000"
    assert headers["last-modified"].endswith(" GMT")
    # the name segment is ignored, as Rocket.Chat's handler does
    other_name = url.rsplit("/", 1)[0] + "/whatever.txt"
    assert httpx2.get(other_name, params=_visitor(token, rid)).content == DATA
    ranged = httpx2.get(url, params=_visitor(token, rid), headers={"Range": "bytes=10-19"})
    assert ranged.status_code == 206 and ranged.content == DATA[10:20]
    assert ranged.headers["content-range"] == f"bytes 10-19/{len(DATA)}"
    head = httpx2.head(url, params=_visitor(token, rid))
    assert head.status_code == 200 and head.content == b""


def test_refusals_have_empty_bodies(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    token, rid, url, _ = _chat_with_file(http, livechat_server)
    base = livechat_server.url
    missing = httpx2.get(f"{base}/file-upload/no-such-file/x.bin", params=_visitor(token, rid))
    assert (missing.status_code, missing.content) == (404, b"")
    for params in (
        {},
        {"rc_rid": rid, "rc_token": token},  # no rc_room_type: the livechat rule is not asked
        {"rc_room_type": "c", "rc_rid": rid, "rc_token": token},
        _visitor("wrong-token", rid),
        _visitor(token, "other-room"),
    ):
        refused = httpx2.get(url, params=params)
        assert (refused.status_code, refused.content) == (403, b""), params


def test_visitor_cookies_and_the_cookie_override_quirk(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    token, rid, url, _ = _chat_with_file(http, livechat_server)
    assert httpx2.get(url, cookies=_visitor(token, rid)).status_code == 200
    # no rc_uid in the query + any Cookie header: all four values come from the cookies
    mixed = httpx2.get(url, params=_visitor(token, rid), cookies={"theme": "dark"})
    assert mixed.status_code == 403
    both = httpx2.get(url, params=_visitor(token, rid), cookies=_visitor(token, rid))
    assert both.status_code == 200


def test_other_visitors_file_even_with_valid_own_credentials(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    _, _, url, _ = _chat_with_file(http, livechat_server)
    other_token, other_room = new_chat(http)
    assert httpx2.get(url, params=_visitor(other_token, other_room["_id"])).status_code == 403


def test_closed_room_keeps_the_visitors_access(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    """6.9.0+ (#32439): ``findOneByIdAndVisitorToken``, open or closed."""
    token, rid, url, _ = _chat_with_file(http, livechat_server)
    closed = http.post("livechat/room.close", json={"token": token, "rid": rid})
    assert closed.status_code == 200
    assert httpx2.get(url, params=_visitor(token, rid)).status_code == 200


def test_users_need_a_subscription_by_default(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    _, _, url, agent = _chat_with_file(http, livechat_server)
    assert httpx2.get(url, headers=agent.headers).status_code == 200
    cookies = {"rc_uid": agent.user_id, "rc_token": agent.auth_token}
    assert httpx2.get(url, cookies=cookies).status_code == 200
    assert httpx2.get(url, params=cookies).status_code == 200
    stranger = livechat_server.create_agent()
    assert httpx2.get(url, headers=stranger.headers).status_code == 403
    admin = livechat_server.admin_headers  # not subscribed either
    assert httpx2.get(url, headers=admin).status_code == 403
    bad = {**agent.headers, "X-Auth-Token": "nope"}
    assert httpx2.get(url, headers=bad).status_code == 403
    try:
        livechat_server.set_setting("FileUpload_Restrict_to_room_members", False)
        assert httpx2.get(url, headers=stranger.headers).status_code == 200
        livechat_server.set_setting("FileUpload_Restrict_to_users_who_can_access_room", True)
        # room access: the admin views livechat rooms, a non-serving agent does not
        assert httpx2.get(url, headers=admin).status_code == 200
        assert httpx2.get(url, headers=stranger.headers).status_code == 403
        livechat_server.set_setting("FileUpload_Restrict_to_room_members", True)
        # both on: Rocket.Chat's code refuses every user
        assert httpx2.get(url, headers=agent.headers).status_code == 403
    finally:
        livechat_server.set_setting("FileUpload_Restrict_to_room_members", True)
        livechat_server.set_setting("FileUpload_Restrict_to_users_who_can_access_room", False)


def test_unprotected_files_are_public(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    _, _, url, _ = _chat_with_file(http, livechat_server)
    try:
        livechat_server.set_setting("FileUpload_ProtectFiles", False)
        assert httpx2.get(url).content == DATA
    finally:
        livechat_server.set_setting("FileUpload_ProtectFiles", True)
    assert httpx2.get(url).status_code == 403
