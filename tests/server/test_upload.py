"""Visitor uploads and file downloads (§3.12)."""

from __future__ import annotations

import httpx2
import pytest
from _server_helpers import error, new_chat

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(
    http: httpx2.Client,
    rid: str,
    token: str | None,
    files: dict[str, tuple[str, bytes, str]]
    | list[tuple[str, tuple[str, bytes, str]]]
    | None = None,
    data: dict[str, str] | None = None,
) -> httpx2.Response:
    headers = {"x-visitor-token": token} if token else {}
    return http.post(f"livechat/upload/{rid}", headers=headers, files=files, data=data)


def test_upload_and_download(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    body = upload(
        http,
        rid,
        token,
        {"file": ("pic.png", PNG, "image/png")},
        {"description": "a pic", "msg": "see"},
    ).json()
    assert body["success"] is True and body["newRoom"] is False and body["showConnecting"] is False
    assert body["rid"] == rid and body["msg"] == "see" and body["groupable"] is False
    assert body["file"]["name"] == "pic.png" and body["file"]["type"] == "image/png"
    attachment = body["attachments"][0]
    assert attachment["description"] == "a pic" and attachment["image_type"] == "image/png"
    link = attachment["title_link"]
    assert link == f"/file-upload/{body['file']['_id']}/pic.png"
    got = http.get(f"livechat/message/{body['_id']}", params={"token": token, "rid": rid}).json()
    assert got["message"]["fileUpload"] == {
        "publicFilePath": f"{livechat_server.url}{link}",
        "type": "image/png",
        "size": len(PNG),
    }
    base = livechat_server.url
    assert httpx2.get(base + link).status_code == 403
    # without rc_room_type=l the livechat rule is not consulted (requestCanAccessFiles)
    assert httpx2.get(base + link, params={"rc_token": token, "rc_rid": rid}).status_code == 403
    visitor = {"rc_token": token, "rc_rid": rid, "rc_room_type": "l"}
    visitor_get = httpx2.get(base + link, params=visitor)
    assert visitor_get.status_code == 200 and visitor_get.content == PNG
    assert visitor_get.headers["content-type"] == "image/png"
    cookies = {"rc_token": token, "rc_rid": rid, "rc_room_type": "l"}
    assert httpx2.get(base + link, cookies=cookies).status_code == 200
    assert httpx2.get(base + link, headers=agent.headers).status_code == 200
    other_token, other_room = new_chat(http)
    forbidden = httpx2.get(
        base + link,
        params={"rc_token": other_token, "rc_rid": other_room["_id"], "rc_room_type": "l"},
    )
    assert forbidden.status_code == 403
    assert (
        httpx2.get(
            base + link, params={"rc_token": other_token, "rc_rid": rid, "rc_room_type": "l"}
        ).status_code
        == 403
    )
    assert httpx2.get(base + "/file-upload/nope/x.png").status_code == 404


def test_upload_errors(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    file = {"file": ("a.txt", b"hello", "text/plain")}
    forbidden = {"success": False, "error": "unauthorized"}
    assert error(upload(http, rid, None, file), 403) == forbidden
    assert error(upload(http, rid, "wrong-token", file), 403) == forbidden
    other_token, _ = new_chat(http)
    assert error(upload(http, rid, other_token, file), 403) == forbidden
    assert error(upload(http, rid, token, {"other": ("a.txt", b"x", "text/plain")})) == {
        "success": False,
        "error": "[invalid-field]",
        "errorType": "invalid-field",
    }
    assert error(upload(http, rid, token, None, {"description": "x"})) == {
        "reason": "error-no-file-uploaded",
        "success": False,
    }
    two = [("file", ("a.txt", b"1", "text/plain")), ("file", ("b.txt", b"2", "text/plain"))]
    assert error(upload(http, rid, token, two)) == {
        "success": False,
        "error": "Just 1 file is allowed",
    }
    svg = {"file": ("x.svg", b"<svg/>", "image/svg+xml")}
    assert error(upload(http, rid, token, svg)) == {
        "reason": "error-type-not-allowed",
        "success": False,
    }
    assert error(upload(http, rid, token, file, {"alias": "x", "bogus": "y"})) == {
        "success": False,
        "error": "Match error: Unknown key in field bogus",
    }
    livechat_server.set_setting("FileUpload_MaxFileSize", 4)
    assert error(upload(http, rid, token, file)) == {
        "success": False,
        "error": "[error-file-too-large]",
        "errorType": "error-file-too-large",
    }
    livechat_server.set_setting("FileUpload_MaxFileSize", 104857600)
    livechat_server.set_setting("FileUpload_MediaTypeWhiteList", "image/*")
    assert error(upload(http, rid, token, file))["reason"] == "error-type-not-allowed"
    assert upload(http, rid, token, {"file": ("p.png", PNG, "image/png")}).status_code == 200
    livechat_server.set_setting("Livechat_fileupload_enabled", False)
    assert error(upload(http, rid, token, file)) == {
        "reason": "error-file-upload-disabled",
        "success": False,
    }
    livechat_server.set_setting("Livechat_fileupload_enabled", True)
    http.post("livechat/room.close", json={"token": token, "rid": rid})
    assert error(upload(http, rid, token, file), 403) == forbidden


def test_large_upload_streams_to_disk(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    token, room = new_chat(http)
    payload = bytes(range(256)) * (3 * 4096)  # 3 MiB
    body = upload(
        http, room["_id"], token, {"file": ("blob.bin", payload, "application/octet-stream")}
    )
    message = body.json()
    assert message["files"][0]["size"] == len(payload)
    link = message["attachments"][0]["title_link"]
    got = httpx2.get(
        livechat_server.url + link,
        params={"rc_token": token, "rc_rid": room["_id"], "rc_room_type": "l"},
    )
    assert got.content == payload
    leftovers = list(livechat_server.server.data_dir.joinpath("uploads").glob(".incoming-*"))
    assert leftovers == []


def test_bad_multipart(http: httpx2.Client, agent: Agent) -> None:
    token, room = new_chat(http)
    response = http.post(
        f"livechat/upload/{room['_id']}",
        headers={"x-visitor-token": token, "content-type": "multipart/form-data; boundary=xyz"},
        content=b"--xyz\r\ngarbage without headers end",
    )
    assert response.status_code == 400 and response.json()["success"] is False
    no_boundary = http.post(
        f"livechat/upload/{room['_id']}",
        headers={"x-visitor-token": token, "content-type": "multipart/form-data"},
        content=b"x",
    )
    assert no_boundary.status_code == 400 and no_boundary.json()["success"] is False
