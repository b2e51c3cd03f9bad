"""Room models: GET livechat/room, close, survey, transfer, agent-side lists, DDP EJSON."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from rocketchat_livechat.models import (
    ClosedRoom,
    Room,
    RoomResult,
    SurveyResult,
)

RoundTrip = Callable[[BaseModel, dict[str, Any]], None]

CLOSED_ROOM = {
    "_id": "r1",
    "t": "l",
    "fname": "Mary",
    "msgs": 4,
    "usersCount": 2,
    "ts": "2024-10-15T02:50:00.000Z",
    "_updatedAt": "2024-10-15T02:55:00.000Z",
    "v": {"_id": "v1", "username": "guest-1", "token": "tok", "status": "offline"},
    "servedBy": {"_id": "a1", "username": "agent", "ts": "2024-10-15T02:50:01.000Z"},
    "cl": False,
    "closedAt": "2024-10-15T02:55:00.000Z",
    "closer": "visitor",
    "closedBy": {"_id": "v1", "username": "guest-1"},
    "metrics": {"chatDuration": 300.5, "serviceTimeDuration": 299},
    "tags": ["sales"],
    "surveyFeedback": {"satisfaction": "5"},
    "source": {"type": "api"},
}


def test_get_room_seed(seed: dict[str, Any], round_trip: RoundTrip) -> None:
    body = dict(seed["room_get"])
    body.pop("success")
    result = RoomResult.model_validate(body)
    room = result.room
    assert result.new_room is False
    assert room.id == "kCJDd5peKiZnGJLPq"
    assert room.t == "l"
    assert room.open is True
    assert room.msgs == 7
    assert room.users_count == 2
    assert room.department_id == "CAJioQNAvLnYWTy8i"
    assert room.v is not None and room.visitor is room.v
    assert room.v.token == "8s7e9ony6ctl27e1qf8kue"
    assert room.v.last_message_ts == datetime(2021, 7, 9, 20, 20, 58, 755000, tzinfo=UTC)
    assert room.last_message_at == room.lm == room.v.last_message_ts
    assert room.served_by is not None and room.served_by.username == "jane.doe"
    assert room.waiting_response is True
    assert room.last_message is not None and room.last_message.msg == "d"
    assert room.last_message.u is not None and room.last_message.u.name == "Mary"
    assert room.metrics is not None and room.metrics["response"]["total"] == 2
    assert room.model_extra is not None
    assert room.model_extra["customFields"] == {"salesforceCrmContactId": "0032y000009mtOIAAY"}
    round_trip(result, body)


def test_new_room_flag() -> None:
    result = RoomResult.model_validate({"room": {"_id": "r", "open": True}, "newRoom": True})
    assert result.new_room is True
    assert result.room.served_by is None


def test_closed_room_without_open_key_reads_as_closed(round_trip: RoundTrip) -> None:
    room = Room.model_validate(CLOSED_ROOM)
    assert room.open is False
    assert room.closed_at == datetime(2024, 10, 15, 2, 55, tzinfo=UTC)
    assert room.closer == "visitor"
    assert room.closed_by is not None and room.closed_by.id == "v1"
    assert room.tags == ["sales"]
    assert room.survey_feedback == {"satisfaction": "5"}
    assert room.source == {"type": "api"}
    round_trip(room, CLOSED_ROOM)
    assert "open" not in room.model_dump(by_alias=True, exclude_unset=True)


def test_room_with_ejson_dates_from_ddp() -> None:
    room = Room.model_validate(
        {
            "_id": "r1",
            "ts": {"$date": 1728960600000},
            "lm": {"$date": 1728960762123},
            "v": {"_id": "v1", "lastMessageTs": {"$date": 1728960762123}},
            "transcriptRequest": {"requestedAt": {"$date": 1}, "email": "a@b.c"},
        }
    )
    assert room.ts == datetime(2024, 10, 15, 2, 50, tzinfo=UTC)
    assert room.lm == datetime(2024, 10, 15, 2, 52, 42, 123000, tzinfo=UTC)
    assert room.v is not None and room.v.last_message_ts == room.lm
    assert room.transcript_request is not None
    assert room.transcript_request["email"] == "a@b.c"


def test_config_room_subset(seed: dict[str, Any]) -> None:
    room = Room.model_validate(seed["config"]["config"]["room"])
    assert room.open is True
    assert room.v is None
    assert room.served_by is not None and room.served_by.ts is None


def test_agent_side_room_listing_with_department() -> None:
    room = Room.model_validate(
        {
            "_id": "r1",
            "departmentId": "d1",
            "department": {"_id": "d1", "name": "Support"},
            "open": True,
            "queuedAt": "2024-10-15T02:50:00.000Z",
            "callStatus": "ended",
            "livechatData": {"orderId": "42"},
        }
    )
    assert room.department is not None and room.department.name == "Support"
    assert room.queued_at == datetime(2024, 10, 15, 2, 50, tzinfo=UTC)
    assert room.call_status == "ended"
    assert room.livechat_data == {"orderId": "42"}


def test_close_result(seed: dict[str, Any]) -> None:
    closed = ClosedRoom.model_validate(seed["room_close"])
    assert (closed.rid, closed.comment) == ("XFzMqgn33DcsQkpJp", "Closed by visitor")


def test_survey_result_server_shape() -> None:
    payload = {"rid": "r1", "data": {"satisfaction": "5", "additionalFeedback": "great"}}
    survey = SurveyResult.model_validate(payload)
    assert survey.data == {"satisfaction": "5", "additionalFeedback": "great"}
    assert survey.model_dump(by_alias=True) == payload


def test_survey_result_seed_list_shape(seed: dict[str, Any]) -> None:
    survey = SurveyResult.model_validate(seed["room_survey"])
    assert survey.rid == "room_def"
    assert survey.data == {"friendliness": "4", "speed": "5"}


def test_search_chats_room_has_topic_and_closing_message() -> None:
    """``livechat/visitors.searchChats`` rooms: the projection plus ``closingMessage``."""
    room = Room.model_validate(
        {
            **CLOSED_ROOM,
            "topic": "Billing",
            "closingMessage": {"_id": "m9", "rid": "r1", "msg": "Solved", "t": "livechat-close"},
        }
    )
    assert room.topic == "Billing"
    assert room.closing_message is not None
    assert (room.closing_message.id, room.closing_message.msg) == ("m9", "Solved")
    assert Room.model_validate(CLOSED_ROOM).closing_message is None
