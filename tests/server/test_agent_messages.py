"""The agent's own messages: ``chat.update``, ``chat.delete``, ``rooms.media`` +
``rooms.mediaConfirm`` and ``rooms.upload`` (apps/meteor/app/api/server/v1/chat.ts, rooms.ts)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx2
import pytest
from _server_helpers import EventLog, error, new_chat

from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def send(http: httpx2.Client, agent: Agent, rid: str, text: str) -> dict[str, Any]:
    sent = http.post(
        "chat.sendMessage", json={"message": {"rid": rid, "msg": text}}, headers=agent.headers
    )
    assert sent.status_code == 200, sent.text
    message: dict[str, Any] = sent.json()["message"]
    return message


def visitor_message(http: httpx2.Client, token: str, rid: str, text: str) -> dict[str, Any]:
    sent = http.post("livechat/message", json={"token": token, "rid": rid, "msg": text})
    assert sent.status_code == 200, sent.text
    message: dict[str, Any] = sent.json()["message"]
    return message


def age(server: EmbeddedServer, message_id: str, minutes: float) -> None:
    """Make a stored message ``minutes`` old."""
    state = server.state
    with state.store.transaction():
        state.store.messages.update(
            message_id, {"$set": {"ts": state.now() - timedelta(minutes=minutes)}}
        )


def test_update_edits_and_broadcasts(http: httpx2.Client, agent: Agent, events: EventLog) -> None:
    _, room = new_chat(http)
    rid = room["_id"]
    sent = send(http, agent, rid, "helo")
    events.clear()
    body = {"roomId": rid, "msgId": sent["_id"], "text": "hello"}
    answer = http.post("chat.update", json=body, headers=agent.headers)
    assert answer.status_code == 200, answer.text
    message = answer.json()["message"]
    assert message["msg"] == "hello" and message["_id"] == sent["_id"]
    assert message["editedBy"] == {"_id": agent.user_id, "username": agent.username}
    assert message["editedAt"]
    pushed = events.of("stream-room-messages", rid)
    assert [m[0]["msg"] for m in pushed] == ["hello"] and pushed[0][0]["editedAt"]
    # the same text again: nothing changes, nothing is pushed
    events.clear()
    again = http.post("chat.update", json=body, headers=agent.headers).json()
    assert again["message"]["msg"] == "hello" and events.of("stream-room-messages", rid) == []


def test_update_refusals(
    http: httpx2.Client,
    agent: Agent,
    livechat_server: LivechatTestServer,
    livechat_embedded_server: EmbeddedServer,
    admin: dict[str, str],
) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    own = send(http, agent, rid, "mine")
    theirs = visitor_message(http, token, rid, "visitor text")

    def update(msg_id: str, text: str = "x", room_id: str = rid, **kw: Any) -> httpx2.Response:
        body = {"roomId": room_id, "msgId": msg_id, "text": text}
        return http.post("chat.update", json=body, headers=kw.get("headers", agent.headers))

    assert error(update("nope")) == {
        "success": False,
        "error": 'No message found with the id of "nope".',
    }
    assert error(update(own["_id"], room_id="other-room")) == {
        "success": False,
        "error": "The room id provided does not match where the message is from.",
    }
    not_allowed = {
        "success": False,
        "error": "Message editing not allowed [error-action-not-allowed]",
        "errorType": "error-action-not-allowed",
        "details": {"method": "updateMessage", "action": "Message_editing"},
    }
    assert error(update(theirs["_id"])) == not_allowed
    # edit-message holders (admin) edit anyone's message
    assert update(theirs["_id"], "by admin", headers=admin).json()["message"]["msg"] == "by admin"
    livechat_server.set_setting("Message_AllowEditing", False)
    assert error(update(own["_id"])) == not_allowed
    livechat_server.set_setting("Message_AllowEditing", True)
    livechat_server.set_setting("Message_AllowEditing_BlockEditInMinutes", 5)
    age(livechat_embedded_server, own["_id"], 6)
    assert error(update(own["_id"])) == {
        "success": False,
        "error": "Message editing is blocked [error-message-editing-blocked]",
        "errorType": "error-message-editing-blocked",
        "details": {"method": "updateMessage"},
    }
    missing = http.post("chat.update", json={"roomId": rid, "msgId": own["_id"]}, headers=admin)
    assert error(missing)["errorType"] == "invalid-params"


def test_delete_removes_and_notifies(http: httpx2.Client, agent: Agent, events: EventLog) -> None:
    _, room = new_chat(http)
    rid = room["_id"]
    first = send(http, agent, rid, "first")
    second = send(http, agent, rid, "second")
    events.clear()
    body = {"roomId": rid, "msgId": second["_id"]}
    answer = http.post("chat.delete", json=body, headers=agent.headers)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["_id"] == second["_id"] and result["ts"].isdigit() and result["success"]
    assert result["message"] == {"_id": second["_id"], "rid": rid, "u": second["u"]}
    assert events.of("stream-notify-room", f"{rid}/deleteMessage") == [[{"_id": second["_id"]}]]
    info = http.get("rooms.info", params={"roomId": rid}, headers=agent.headers).json()["room"]
    assert info["lastMessage"]["_id"] == first["_id"]
    gone = http.get("chat.getMessage", params={"msgId": second["_id"]}, headers=agent.headers)
    assert gone.status_code == 400


def test_delete_refusals(
    http: httpx2.Client,
    agent: Agent,
    livechat_server: LivechatTestServer,
    livechat_embedded_server: EmbeddedServer,
    admin: dict[str, str],
) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    own = send(http, agent, rid, "mine")
    theirs = visitor_message(http, token, rid, "visitor text")

    def delete(msg_id: str, room_id: str = rid, **extra: Any) -> httpx2.Response:
        headers = extra.pop("headers", agent.headers)
        body = {"roomId": room_id, "msgId": msg_id, **extra}
        return http.post("chat.delete", json=body, headers=headers)

    not_allowed = {
        "success": False,
        "error": "Not allowed [error-action-not-allowed]",
        "errorType": "error-action-not-allowed",
    }
    assert error(delete("nope"))["error"] == 'No message found with the id of "nope".'
    assert error(delete(own["_id"], "elsewhere"))["error"] == (
        "The room id provided does not match where the message is from."
    )
    assert error(delete(theirs["_id"])) == not_allowed
    assert error(delete(theirs["_id"], asUser=True)) == {
        "success": False,
        "error": 'Unauthorized. You must have the permission "force-delete-message" to delete '
        "other's message as them.",
    }
    # a visitor is no user: deleting "as its author" finds nobody
    assert error(delete(theirs["_id"], asUser=True, headers=admin))["error"] == "User not found"
    livechat_server.set_setting("Message_AllowDeleting", False)
    assert error(delete(own["_id"])) == not_allowed
    livechat_server.set_setting("Message_AllowDeleting", True)
    livechat_server.set_setting("Message_AllowDeleting_BlockDeleteInMinutes", 5)
    age(livechat_embedded_server, own["_id"], 4.4)  # rounds to 4: still allowed
    age(livechat_embedded_server, theirs["_id"], 60)
    assert delete(own["_id"]).status_code == 200
    # force-delete-message (admin) ignores every rule
    assert delete(theirs["_id"], headers=admin).status_code == 200
    assert error(http.post("chat.delete", json={"roomId": rid}, headers=admin))["error"] == (
        "must have required property 'msgId'\n must have required property 'fileId'\n"
        " must match a schema in anyOf [invalid-params]"
    )


def test_media_and_confirm(
    http: httpx2.Client, agent: Agent, events: EventLog, livechat_server: LivechatTestServer
) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    stored = http.post(
        f"rooms.media/{rid}",
        files={"file": ("pic.png", PNG, "image/png")},
        headers=agent.headers,
    )
    assert stored.status_code == 200, stored.text
    file = stored.json()["file"]
    assert file == {"_id": file["_id"], "url": f"/file-upload/{file['_id']}/pic.png"}
    events.clear()
    confirmed = http.post(
        f"rooms.mediaConfirm/{rid}/{file['_id']}",
        json={"msg": "see this", "description": "a pic"},
        headers=agent.headers,
    )
    assert confirmed.status_code == 200, confirmed.text
    message = confirmed.json()["message"]
    assert message["msg"] == "see this" and message["groupable"] is False
    assert message["u"]["_id"] == agent.user_id
    assert message["file"] == {
        "_id": file["_id"],
        "name": "pic.png",
        "type": "image/png",
        "size": len(PNG),
        "format": "",
    }
    assert message["files"] == [message["file"]]
    assert message["attachments"] == [
        {
            "title": "pic.png",
            "type": "file",
            "description": "a pic",
            "title_link": file["url"],
            "title_link_download": True,
            "image_url": file["url"],
            "image_type": "image/png",
            "image_size": len(PNG),
            "fileId": file["_id"],
        }
    ]
    assert [m[0]["_id"] for m in events.of("stream-room-messages", rid)] == [message["_id"]]
    # the visitor downloads it with its room credentials
    got = httpx2.get(
        livechat_server.url + file["url"],
        params={"rc_token": token, "rc_rid": rid, "rc_room_type": "l"},
    )
    assert got.status_code == 200 and got.content == PNG
    # the visitor's history shows it with its public path
    history = http.get(f"livechat/messages.history/{rid}", params={"token": token}).json()
    assert history["messages"][0]["fileUpload"]["publicFilePath"].endswith(file["url"])


def test_media_refusals(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    _, room = new_chat(http)
    rid = room["_id"]
    other = livechat_server.create_agent(available=False)

    def media(name: str = "a.txt", kind: str = "text/plain", **kw: Any) -> httpx2.Response:
        return http.post(
            f"rooms.media/{rid}",
            files={kw.get("field", "file"): (name, b"hello", kind)},
            headers=kw.get("headers", agent.headers),
        )

    assert error(media(headers=other.headers), 403) == {"success": False, "error": "unauthorized"}
    assert error(http.post(f"rooms.media/{rid}", headers=agent.headers)) == {
        "success": False,
        "error": "[invalid-field]",
        "errorType": "invalid-field",
    }
    assert error(media("x.svg", "image/svg+xml")) == {
        "success": False,
        "error": "File type is not accepted. [error-invalid-file-type]",
        "errorType": "error-invalid-file-type",
    }
    livechat_server.set_setting("FileUpload_Enabled", False)
    assert error(media())["errorType"] == "error-file-upload-disabled"
    livechat_server.set_setting("FileUpload_Enabled", True)
    livechat_server.set_setting("FileUpload_MaxFileSize", 3)
    assert error(media())["errorType"] == "error-file-too-large"
    confirm = http.post(f"rooms.mediaConfirm/{rid}/nope", json={}, headers=agent.headers)
    assert error(confirm) == {
        "success": False,
        "error": "[invalid-file]",
        "errorType": "invalid-file",
    }
    forbidden = http.post(f"rooms.mediaConfirm/{rid}/nope", json={}, headers=other.headers)
    assert error(forbidden, 403)["error"] == "unauthorized"


@pytest.mark.rc_version("7.10")  # rooms.upload: removed in 8.0
def test_rooms_upload_before_7(http: httpx2.Client, agent: Agent) -> None:
    _, room = new_chat(http)
    rid = room["_id"]
    answer = http.post(
        f"rooms.upload/{rid}",
        files={"file": ("report.pdf", b"%PDF-1.4", "application/pdf")},
        data={"msg": "the report", "description": "Q3"},
        headers=agent.headers,
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["x-deprecation-version"] == "8.0.0"
    message = answer.json()["message"]
    assert message["msg"] == "the report"
    attachment = message["attachments"][0]
    assert attachment["format"] == "PDF" and attachment["size"] == 8
    assert attachment["description"] == "Q3" and "image_url" not in attachment
    bad = http.post(
        f"rooms.upload/{rid}",
        files={"file": ("a.txt", b"x", "text/plain")},
        data={"groupable": "true"},
        headers=agent.headers,
    )
    assert error(bad)["error"] == (  # multipart fields are text; sendFileMessage wants a Boolean
        "Match error: Failed Match.OneOf, Match.Maybe or Match.Optional validation in field "
        "groupable"
    )


@pytest.mark.rc_version("7.10")  # rooms.upload: removed in 8.0
def test_editing_a_file_message_edits_its_description(http: httpx2.Client, agent: Agent) -> None:
    """updateMessage.ts: a file message's text is its first attachment's description."""
    _, room = new_chat(http)
    rid = room["_id"]
    posted = http.post(
        f"rooms.upload/{rid}",
        files={"file": ("a.txt", b"x", "text/plain")},
        data={"msg": "the file", "description": "old"},
        headers=agent.headers,
    ).json()["message"]
    body = {"roomId": rid, "msgId": posted["_id"], "text": "new"}
    edited = http.post("chat.update", json=body, headers=agent.headers).json()["message"]
    assert edited["msg"] == "the file" and edited["editedAt"]
    assert edited["attachments"][0]["description"] == "new"
    body["text"] = "new"  # the description again: unchanged, not edited twice
    again = http.post("chat.update", json=body, headers=agent.headers).json()["message"]
    assert again["editedAt"] == edited["editedAt"]
