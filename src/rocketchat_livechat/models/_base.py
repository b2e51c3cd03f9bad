"""Shared base model and field types for Rocket.Chat payloads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer
from pydantic.alias_generators import to_camel

__all__ = ["RocketChatModel", "Timestamp"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _parse_date(value: Any) -> Any:
    """Turn EJSON ``{"$date": ms}`` and epoch-millisecond numbers into datetimes.

    ISO strings and datetimes pass through to pydantic's own (fast) parser.
    """
    if type(value) is str or isinstance(value, datetime):
        return value
    if isinstance(value, dict) and "$date" in value:
        value = value["$date"]
        if isinstance(value, dict) and "$numberLong" in value:  # canonical EJSON
            value = int(value["$numberLong"])
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return _EPOCH + timedelta(milliseconds=value)
        except OverflowError as exc:
            raise ValueError(f"timestamp out of range: {value}") from exc
    return value


def _format_date(value: datetime) -> str:
    """Format like Rocket.Chat (``2024-10-15T02:52:42.123Z``) for aware datetimes."""
    if value.tzinfo is None:
        return value.isoformat()
    utc = value.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


Timestamp = Annotated[
    datetime,
    BeforeValidator(_parse_date),
    PlainSerializer(_format_date, return_type=str, when_used="json"),
]
"""A datetime read from an ISO string, epoch milliseconds or EJSON ``{"$date": ms}``."""


class RocketChatModel(BaseModel):
    """Base of every response model.

    Attributes are snake_case; the server's camelCase keys are the aliases, so
    ``model_dump(by_alias=True)`` gives the server's JSON keys back. Unknown keys are kept.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        defer_build=True,  # schemas are built on first use: importing the models stays cheap
    )
