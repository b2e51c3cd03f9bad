"""Livechat inquiries (``ILivechatInquiryRecord``): the queue entry of an open room."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._base import RocketChatModel, Timestamp
from .message import Message
from .room import RoomVisitor

__all__ = ["DefaultAgent", "Inquiry"]


class DefaultAgent(RocketChatModel):
    """The agent an inquiry is reserved for (``defaultAgent``)."""

    agent_id: str
    username: str | None = None


class Inquiry(RocketChatModel):
    """An inquiry; ``status`` is ``ready``, ``queued``, ``taken`` (or ``verifying`` in 7.x)."""

    id: str = Field(alias="_id")
    rid: str
    name: str | None = None
    ts: Timestamp | None = None
    updated_at: Timestamp | None = Field(default=None, alias="_updatedAt")
    department: str | None = None
    message: str | None = None
    status: str | None = None
    v: RoomVisitor | None = None
    t: str | None = None
    source: dict[str, Any] | None = None
    queued_at: Timestamp | None = None
    taken_at: Timestamp | None = None
    default_agent: DefaultAgent | None = None
    locked: bool | None = None
    locked_at: Timestamp | None = None
    priority_weight: int | float | None = None
    estimated_waiting_time_queue: int | float | None = None
    last_message: Message | None = None

    @property
    def visitor(self) -> RoomVisitor | None:
        """Readable alias of ``v``."""
        return self.v
