"""Argument checks run before any I/O; each raises :class:`InvalidArgumentError` naming it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from ..errors import InvalidArgumentError

T = TypeVar("T")

# Rocket.Chat 6.x decodes path segments with decodeURI, which leaves %2F, %3F and %23 encoded:
# a value containing these cannot round-trip inside a path segment (its router's ``decodeURI``).
_PATH_UNSAFE = frozenset("/?#")


def required_str(name: str, value: object) -> str:
    """A non-empty string (whitespace-only counts as empty)."""
    if not isinstance(value, str):
        raise InvalidArgumentError(name, f"expected a string, got {type(value).__name__}")
    if not value.strip():
        raise InvalidArgumentError(name, "must not be empty")
    if not value.isascii():
        try:
            value.encode()
        except UnicodeEncodeError:  # it could never be sent (JSON bodies and URLs are UTF-8)
            raise InvalidArgumentError(name, "is not valid text (a lone surrogate)") from None
    return value


def optional_str(name: str, value: object) -> str | None:
    """``None`` or a non-empty string."""
    return None if value is None else required_str(name, value)


def path_segment(name: str, value: object) -> str:
    """A required string that will be placed in a URL path segment.

    Refuses ``/``, ``?``, ``#`` (they cannot survive Rocket.Chat's ``decodeURI`` path decoding)
    and the dot segments ``.``/``..`` (URL normalisation would change the path's shape).
    """
    text = required_str(name, value)
    bad = sorted(_PATH_UNSAFE.intersection(text))
    if bad:
        raise InvalidArgumentError(
            name,
            f"contains {' '.join(repr(c) for c in bad)}, which Rocket.Chat cannot read back from a "
            "URL path; use rocketchat_livechat.new_visitor_token() for visitor tokens",
        )
    if text in {".", ".."}:
        raise InvalidArgumentError(name, "must not be a dot path segment")
    return text


def header_value(name: str, value: object) -> str:
    """A required string that will be sent in an HTTP header: printable ASCII only."""
    text = required_str(name, value)
    if not all(" " <= c <= "~" for c in text):
        raise InvalidArgumentError(name, "must be printable ASCII (it is sent in an HTTP header)")
    return text


def optional_bool(name: str, value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise InvalidArgumentError(name, f"expected a bool, got {type(value).__name__}")


def required_bool(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise InvalidArgumentError(name, f"expected a bool, got {type(value).__name__}")


def optional_int(name: str, value: object, *, minimum: int = 0) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentError(name, f"expected an int, got {type(value).__name__}")
    if value < minimum:
        raise InvalidArgumentError(name, f"must be >= {minimum}")
    return value


def required_int(name: str, value: object, *, minimum: int = 0) -> int:
    checked = optional_int(name, value, minimum=minimum)
    if checked is None:
        raise InvalidArgumentError(name, "expected an int, got NoneType")
    return checked


def one_of(name: str, value: object, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise InvalidArgumentError(name, f"must be one of {', '.join(map(repr, allowed))}")
    return value


def optional_str_list(name: str, value: object) -> list[str] | None:
    """``None`` or a non-empty list (or tuple) of non-empty strings; a lone string is refused."""
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidArgumentError(name, "expected a list of strings")
    return [required_str(f"{name}[{i}]", item) for i, item in enumerate(value)]


def optional_mapping(name: str, value: object) -> Mapping[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InvalidArgumentError(name, f"expected a mapping, got {type(value).__name__}")
    return value


def optional_json(name: str, value: object) -> str | None:
    """``None``, or a mapping as compact JSON text (Rocket.Chat's ``sort``, ``customFields``)."""
    mapping = optional_mapping(name, value)
    return None if mapping is None else json.dumps(dict(mapping), separators=(",", ":"))


def optional_timestamp(name: str, value: object) -> str | None:
    """``None``, a non-empty ISO string, or a datetime rendered as Rocket.Chat's ISO format."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return iso_timestamp(value)
    return required_str(name, value)


def iso_timestamp(value: datetime) -> str:
    """``2024-10-15T02:52:42.123Z`` (naive datetimes are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    utc = value.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
