"""Livechat rooms (``IOmnichannelRoom``) and room endpoint results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field, field_validator

from ._base import RocketChatModel, Timestamp
from .department import Department
from .message import Message
from .user import UserRef

__all__ = [
    "ClosedRoom",
    "Room",
    "RoomResult",
    "RoomSource",
    "RoomVisitor",
    "ServedBy",
    "SurveyResult",
]


class RoomVisitor(RocketChatModel):
    """The room's visitor (``v``)."""

    id: str = Field(alias="_id")
    username: str | None = None
    token: str | None = Field(default=None, repr=False)
    status: str | None = None
    last_message_ts: Timestamp | None = None


class ServedBy(RocketChatModel):
    """The agent serving the room (``servedBy``)."""

    id: str = Field(alias="_id")
    username: str | None = None
    ts: Timestamp | None = None


class Room(RocketChatModel):
    """A livechat room.

    Rocket.Chat removes ``open`` when a room closes, so a missing ``open`` reads as False.
    """

    id: str = Field(alias="_id")
    t: str | None = None
    fname: str | None = None
    topic: str | None = None
    msgs: int | None = None
    users_count: int | None = None
    lm: Timestamp | None = None
    ts: Timestamp | None = None
    updated_at: Timestamp | None = Field(default=None, alias="_updatedAt")
    department_id: str | None = None
    v: RoomVisitor | None = None
    served_by: ServedBy | None = None
    open: bool = False
    cl: bool | None = None
    closed_at: Timestamp | None = None
    closer: str | None = None
    closed_by: UserRef | None = None
    waiting_response: bool | None = None
    last_message: Message | None = None
    closing_message: Message | None = None  # livechat/visitors.searchChats
    tags: list[str] = Field(default_factory=list)
    survey_feedback: dict[str, Any] | None = None
    metrics: dict[str, Any] | None = None
    source: dict[str, Any] | None = None
    transcript_request: dict[str, Any] | None = None
    livechat_data: dict[str, Any] | None = None
    queued_at: Timestamp | None = None
    call_status: str | None = None
    department: Department | None = None
    contact_id: str | None = None  # 7.x+: the omnichannel contact of the room
    verified: bool | None = None  # 7.x+: whether the contact's channel was verified

    @property
    def visitor(self) -> RoomVisitor | None:
        """Readable alias of ``v``."""
        return self.v

    @property
    def last_message_at(self) -> datetime | None:
        """Readable alias of ``lm``."""
        return self.lm


class RoomResult(RocketChatModel):
    """Result of ``GET livechat/room``: the room and whether it was just created."""

    room: Room
    new_room: bool = False


class ClosedRoom(RocketChatModel):
    """Result of ``POST livechat/room.close``."""

    rid: str
    comment: str | None = None


class SurveyResult(RocketChatModel):
    """Result of ``POST livechat/room.survey``: the survey answers the server kept."""

    rid: str
    data: dict[str, str] = Field(default_factory=dict)

    @field_validator("data", mode="before")
    @classmethod
    def _pairs_to_map(cls, value: Any) -> Any:
        """Also accept the request's ``[{"name", "value"}]`` form (older docs show it)."""
        if isinstance(value, list):
            return {item["name"]: item["value"] for item in value}
        return value


class RoomSource(RocketChatModel):
    """One room source (``GET livechat/rooms/filters``: ``IOmnichannelSource``, e.g.
    ``{"type": "widget"}``, ``{"type": "api"}`` or an app's ``{"type": "app", "id", "alias"}``)."""

    type: str
    id: str | None = None
    alias: str | None = None
    label: str | None = None
    sidebar_icon: str | None = None
    default_icon: str | None = None
    destination: str | None = None
