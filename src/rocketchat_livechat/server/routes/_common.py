"""Helpers shared by route modules: visitor/room lookups, pagination, sort parsing."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..api import Context
from ..errors import ApiError, MeteorError, PlainError
from ..services import visitors
from ..state import ServerState
from ..store import Doc, Sort


def visitor_or_fail(state: ServerState, token: str, error: ApiError | None = None) -> Doc:
    """The visitor owning ``token``, else ``error`` (plain ``invalid-token`` by default)."""
    visitor = visitors.find_by_token(state, token)
    if visitor is None:
        raise error or PlainError("invalid-token")
    return visitor


def visitor_room(state: ServerState, rid: str, token: str, *, open_only: bool = False) -> Doc:
    """A livechat room ``rid`` of this visitor token, else plain ``invalid-room``."""
    room = state.store.rooms.get(rid)
    if (
        room is None
        or room.get("t") != "l"
        or room.get("v", {}).get("token") != token
        or (open_only and not room.get("open"))
    ):
        raise PlainError("invalid-room")
    return room


def connection_data(ctx: Context) -> dict[str, Any]:
    """``normalizeHttpHeaderData``: what a visitor registration keeps of the request."""
    headers = ctx.request.headers
    return {
        "userAgent": headers.get("user-agent", ""),
        "ip": ctx.ip,
        "host": headers.get("host", ""),
    }


def pagination(ctx: Context) -> tuple[int, int]:
    """``(offset, count)`` as Rocket.Chat's ``getPaginationItems``."""
    settings = ctx.state.settings
    default = int(settings["API_Default_Count"]) or 50
    upper = int(settings["API_Upper_Count_Limit"]) or 100
    params: Mapping[str, Any] = ctx.params if isinstance(ctx.params, Mapping) else {}
    offset = _int(params.get("offset"), 0)
    count = _int(params.get("count"), default)
    count = min(count, upper)
    if count <= 0:
        count = default
    return max(offset, 0), count


def _int(value: Any, default: int) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return default


def parse_json_param(raw: Any, name: str) -> Any:
    """A JSON query parameter (``sort``/``fields``) or Rocket.Chat's ``error-invalid-<name>``."""
    try:
        value = json.loads(raw)
        if not isinstance(value, dict):
            raise ValueError(name)
        if name == "sort" and any(v not in (1, -1) for v in value.values()):
            raise ValueError(name)
        return value
    except (TypeError, ValueError):
        raise MeteorError(
            f"error-invalid-{name}",
            f'Invalid {name} parameter provided: "{raw}"',
            {"helperMethod": "parseJsonQuery"},
        ) from None


def sort_spec(ctx: Context, default: Sort) -> Sort:
    """The ``sort`` query parameter as ``[(field, dir)]``, else ``default``."""
    raw = ctx.params.get("sort") if isinstance(ctx.params, Mapping) else None
    if not raw:
        return default
    return [(k, int(v)) for k, v in parse_json_param(raw, "sort").items()]


def page(ctx: Context, key: str, docs: Sequence[Doc]) -> dict[str, Any]:
    """``{key: docs[offset:offset+count], count, offset, total}``."""
    offset, count = pagination(ctx)
    items = list(docs[offset : offset + count])
    return {key: items, "count": len(items), "offset": offset, "total": len(docs)}
