"""Message models: send/get/update/delete/history/upload and realtime (EJSON) payloads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import BaseModel

from rocketchat_livechat.models import (
    DeletedAgentMessage,
    DeletedMessage,
    Message,
    UploadedMedia,
    UploadedMessage,
)

RoundTrip = Callable[[BaseModel, dict[str, Any]], None]


@pytest.mark.parametrize("key", ["message_send", "message_update", "message_get"])
def test_seed_messages_round_trip(seed: dict[str, Any], key: str, round_trip: RoundTrip) -> None:
    payload = seed[key]["message"]
    message = Message.model_validate(payload)
    assert message.id == payload["_id"]
    assert message.msg == message.text == payload["msg"]
    assert message.u is not None and message.user is message.u
    assert message.u.username == payload["u"]["username"]
    assert message.is_system is False
    round_trip(message, payload)


def test_sent_message_fields(seed: dict[str, Any]) -> None:
    message = Message.model_validate(seed["message_send"]["message"])
    assert message.rid == "hGFwSKA28nRKut3pD"
    assert message.alias == "Baek"
    assert message.ts == datetime(2023, 10, 31, 13, 14, 29, 804000, tzinfo=UTC)
    assert message.updated_at == datetime(2023, 10, 31, 13, 14, 29, 960000, tzinfo=UTC)
    assert message.md is not None and message.md[0]["type"] == "PARAGRAPH"
    assert message.urls == message.mentions == message.channels == []
    assert message.edited is False


def test_update_result_keeps_unknown_ls(seed: dict[str, Any]) -> None:
    message = Message.model_validate(seed["message_update"]["message"])
    assert message.rid is None
    assert message.model_extra == {"ls": "2018-09-14T13:31:33.201Z"}


def test_deleted_message(seed: dict[str, Any]) -> None:
    deleted = DeletedMessage.model_validate(seed["message_delete"]["message"])
    assert deleted.id == "ZKWP8LfGnRHQ3ozWa"
    assert deleted.ts == datetime(2018, 9, 14, 13, 31, 33, 279000, tzinfo=UTC)


def test_history_with_edited_message(seed: dict[str, Any], round_trip: RoundTrip) -> None:
    payload = seed["messages_history"]["messages"][0]
    message = Message.model_validate(payload)
    assert message.edited is True
    assert message.edited_at == datetime(2018, 9, 14, 13, 31, 33, 219000, tzinfo=UTC)
    assert message.edited_by is not None and message.edited_by.username == "guest-4"
    round_trip(message, payload)


def test_upload_result_is_the_message_at_top_level(seed: dict[str, Any]) -> None:
    body = seed["upload"]
    uploaded = UploadedMessage.model_validate(body)
    assert isinstance(uploaded, Message)
    assert uploaded.id == "CeswhhAKTQMsnEbc8"
    assert uploaded.new_room is False and uploaded.show_connecting is False
    assert uploaded.file is not None
    assert (uploaded.file.id, uploaded.file.name, uploaded.file.type) == (
        "uredcLri4GdehDQnD",
        "globe.png",
        "image/png",
    )
    attachment = uploaded.attachments[0]
    assert attachment.title == "globe.png"
    assert attachment.type == "file"
    assert attachment.description == "Here is the file"
    assert attachment.title_link == "/file-upload/uredcLri4GdehDQnD/globe.png"
    assert attachment.title_link_download is True
    assert attachment.image_url == attachment.title_link
    assert attachment.image_type == "image/png"
    assert attachment.image_size == 562975
    assert attachment.image_dimensions == {"width": 1746, "height": 1624}
    assert attachment.ts == datetime(1970, 1, 1, tzinfo=UTC)
    assert attachment.description_md is not None
    dumped = uploaded.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert dumped == body  # snake_case attachment keys and camelCase message keys both preserved


def test_file_message_from_history_with_file_upload() -> None:
    message = Message.model_validate(
        {
            "_id": "m",
            "file": {"_id": "f", "name": "a.pdf", "type": "application/pdf"},
            "files": [{"_id": "f", "name": "a.pdf", "type": "application/pdf", "size": 3}],
            "groupable": False,
            "fileUpload": {
                "publicFilePath": "https://chat/file-upload/f/a.pdf?token=jwt",
                "type": "application/pdf",
                "size": 3,
            },
        }
    )
    assert message.files[0].size == 3 and message.files[0].model_extra == {}
    assert message.groupable is False
    assert message.file_upload is not None
    assert message.file_upload.public_file_path == "https://chat/file-upload/f/a.pdf?token=jwt"
    assert message.file_upload.size == 3


def test_realtime_close_message_with_ejson_dates() -> None:
    frame_args = {
        "_id": "m9",
        "rid": "r1",
        "msg": "Closed by visitor",
        "t": "livechat-close",
        "ts": {"$date": 1728960762123},
        "_updatedAt": {"$date": 1728960762130},
        "u": {"_id": "v1", "username": "guest-1"},
        "token": "tok",
        "transcriptRequested": False,
    }
    message = Message.model_validate(frame_args)
    assert message.is_system is True
    assert message.t == "livechat-close"
    assert message.ts == datetime(2024, 10, 15, 2, 52, 42, 123000, tzinfo=UTC)
    assert message.transcript_requested is False
    dumped = message.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert dumped["ts"] == "2024-10-15T02:52:42.123Z"
    assert dumped["transcriptRequested"] is False


def test_hidden_navigation_and_transfer_system_messages() -> None:
    navigation = Message.model_validate(
        {
            "_id": "n",
            "t": "livechat_navigation_history",
            "_hidden": True,
            "navigation": {"page": {"title": "Home", "location": {"href": "/"}}, "token": "t"},
        }
    )
    assert navigation.hidden is True
    assert navigation.navigation is not None and navigation.navigation["token"] == "t"
    assert navigation.model_dump(by_alias=True, exclude_unset=True)["_hidden"] is True
    transfer = Message.model_validate(
        {"_id": "x", "t": "livechat_transfer_history", "transferData": {"scope": "department"}}
    )
    assert transfer.transfer_data == {"scope": "department"}


def test_deleted_message_server_spelling() -> None:
    payload = {"_id": "m", "ts": "2024-10-15T02:52:42.123Z"}
    deleted = DeletedMessage.model_validate(payload)
    assert deleted.ts == datetime(2024, 10, 15, 2, 52, 42, 123000, tzinfo=UTC)
    assert deleted.model_dump(mode="json", by_alias=True) == payload


def test_chat_delete_answer_with_its_epoch_text_ts() -> None:
    """``chat.delete`` answers ``ts`` as ``Date.now().toString()`` and the message as read with
    the projection ``{u, rid}``."""
    deleted = DeletedAgentMessage.model_validate(
        {
            "_id": "m1",
            "ts": "1733112345678",
            "message": {"_id": "m1", "rid": "r1", "u": {"_id": "a1", "username": "agent"}},
            "success": True,
        }
    )
    assert deleted.id == "m1"
    assert deleted.ts == datetime(2024, 12, 2, 4, 5, 45, 678000, tzinfo=UTC)
    assert deleted.message is not None and deleted.message.rid == "r1"
    assert deleted.message.u is not None and deleted.message.u.username == "agent"
    assert DeletedAgentMessage.model_validate({"_id": "m1"}).ts is None


def test_rooms_media_answer_and_an_agent_file_message() -> None:
    media = UploadedMedia.model_validate({"_id": "f1", "url": "/file-upload/f1/a%20b.pdf"})
    assert (media.id, media.url) == ("f1", "/file-upload/f1/a%20b.pdf")
    message = Message.model_validate(
        {
            "_id": "m",
            "file": {"_id": "f1", "name": "a b.pdf", "type": "application/pdf", "size": 8},
            "files": [
                {"_id": "f1", "name": "a b.pdf", "type": "application/pdf", "size": 8, "format": ""}
            ],
            "attachments": [
                {
                    "title": "a b.pdf",
                    "type": "file",
                    "format": "PDF",
                    "title_link": "/file-upload/f1/a%20b.pdf",
                    "title_link_download": True,
                    "size": 8,
                    "fileId": "f1",
                }
            ],
        }
    )
    assert message.file is not None and message.file.size == 8
    assert message.files[0].format == ""
    attachment = message.attachments[0]
    assert (attachment.format, attachment.size, attachment.file_id) == ("PDF", 8, "f1")
    assert attachment.model_dump(by_alias=True, exclude_none=True)["fileId"] == "f1"
