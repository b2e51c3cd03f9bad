"""Shared base model and field types for Rocket.Chat payloads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.alias_generators import to_camel
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

__all__ = ["RocketChatModel", "Timestamp"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _from_millis(value: float) -> datetime:
    """Epoch milliseconds, as Rocket.Chat's EJSON and some frames carry dates."""
    try:
        return _EPOCH + timedelta(milliseconds=value)
    except OverflowError as exc:
        raise ValueError(f"timestamp out of range: {value}") from exc


def _unwrap_ejson(value: Any) -> Any:
    """EJSON ``{"$date": ms}`` (or ``{"$date": {"$numberLong": "ms"}}``, ``{"$date": iso}``)
    becomes what it wraps; anything else is left to pydantic's lax datetime parser."""
    if isinstance(value, dict) and "$date" in value:
        value = value["$date"]
        if isinstance(value, dict) and "$numberLong" in value:  # canonical EJSON
            return int(value["$numberLong"])
    return value


def _format_date(value: datetime) -> str:
    """Format like Rocket.Chat (``2024-10-15T02:52:42.123Z``) for aware datetimes."""
    if value.tzinfo is None:
        return value.isoformat()
    utc = value.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


class _TimestampSchema:
    """Validation of :data:`Timestamp`, tried left to right: an ISO string (from JSON) or a
    datetime in pydantic's Rust parser with no Python call (what REST answers carry), then
    epoch milliseconds, then EJSON or anything else through :func:`_unwrap_ejson`."""

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        millis = core_schema.no_info_after_validator_function(
            _from_millis,
            core_schema.union_schema(
                [core_schema.int_schema(strict=True), core_schema.float_schema(strict=True)]
            ),
        )
        direct = [core_schema.datetime_schema(strict=True), millis]
        wrapped = core_schema.no_info_before_validator_function(
            _unwrap_ejson,
            core_schema.union_schema(
                [*direct, core_schema.datetime_schema()], mode="left_to_right"
            ),
        )
        return core_schema.union_schema(
            [*direct, wrapped],
            mode="left_to_right",
            custom_error_type="timestamp_parsing",
            custom_error_message=(
                'Input should be an ISO 8601 datetime, epoch milliseconds or EJSON {"$date": ...}'
            ),
            serialization=core_schema.plain_serializer_function_ser_schema(
                _format_date, return_schema=core_schema.str_schema(), when_used="json"
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return handler(core_schema.datetime_schema())


Timestamp = Annotated[datetime, _TimestampSchema()]
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
