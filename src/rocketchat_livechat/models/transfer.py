"""Chat hand-off records: the ``transferData`` of ``livechat_transfer_history`` messages, as
``GET livechat/transfer.history/:rid`` lists them (``apps/meteor/app/livechat/server/lib/
transfer.ts`` ``saveTransferHistory``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from ._base import RocketChatModel, Timestamp

__all__ = ["TransferDepartment", "TransferHistoryEntry", "TransferTarget", "TransferredBy"]


def _department_id(value: Any) -> Any:
    """Rocket.Chat stores ``previousDepartment`` as the id; a ``{_id, name}`` gives its id."""
    if isinstance(value, Mapping):
        return value.get("_id")
    return value


class TransferredBy(RocketChatModel):
    """Who handed the chat off; ``user_type`` is ``agent`` (the serving agent), ``user`` or
    ``visitor``."""

    id: str = Field(alias="_id")
    username: str | None = None
    name: str | None = None
    user_type: str | None = None


class TransferTarget(RocketChatModel):
    """The agent the chat was forwarded to (``transferredTo``)."""

    id: str = Field(alias="_id")
    username: str | None = None
    name: str | None = None


class TransferDepartment(RocketChatModel):
    """The department the chat was forwarded to (``nextDepartment``)."""

    id: str = Field(alias="_id")
    name: str | None = None


class TransferHistoryEntry(RocketChatModel):
    """One hand-off: ``scope`` is ``agent``, ``department`` or ``queue``."""

    transferred_by: TransferredBy
    ts: Timestamp | None = None
    scope: str | None = None
    comment: str | None = None
    previous_department: Annotated[str | None, BeforeValidator(_department_id)] = None
    next_department: TransferDepartment | None = None
    transferred_to: TransferTarget | None = None
