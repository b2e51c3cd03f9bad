"""``GET livechat/rooms`` (§4.3)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from .. import auth
from ..api import Context, RouteGroup
from ..errors import Forbidden, PlainError
from ..store import Doc
from ..validation import rest_typings
from ._common import page, parse_json_param, sort_spec

routes = RouteGroup()

_BOOLISH = {"type": ["string", "boolean"]}
ROOMS_QUERY = rest_typings("isGETLivechatRoomsParams")


def _date_range(raw: str | None, name: str) -> dict[str, datetime]:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        value = {}
    result: dict[str, datetime] = {}
    for bound in ("start", "end"):
        if isinstance(value, dict) and value.get(bound):
            try:
                parsed = datetime.fromisoformat(str(value[bound]).replace("Z", "+00:00"))
            except ValueError:
                raise PlainError(
                    f'The "{name}.{bound}" query parameter must be a valid date.'
                ) from None
            result[bound] = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return result


def _truthy(value: Any) -> bool | None:
    if value is None:
        return None
    return value is True or str(value).lower() in ("true", "t", "1")


def _filters(ctx: Context) -> dict[str, Any]:
    p = ctx.params
    flt: dict[str, Any] = {"t": "l"}
    if p.get("agents"):
        flt["servedBy._id"] = {"$in": p["agents"]}
    if p.get("departmentId"):
        flt["departmentId"] = p["departmentId"]
    if p.get("tags"):
        flt["tags"] = {"$in": p["tags"]}
    is_open = _truthy(p.get("open"))
    if is_open is not None:
        flt["open"] = True if is_open else {"$exists": False}
    if _truthy(p.get("queued")):
        flt["servedBy"] = {"$exists": False}
        flt["open"] = True
    for name, field in (("createdAt", "ts"), ("closedAt", "closedAt")):
        bounds = _date_range(p.get(name), name)
        cond = {}
        if "start" in bounds:
            cond["$gte"] = bounds["start"]
        if "end" in bounds:
            cond["$lte"] = bounds["end"]
        if cond:
            flt[field] = cond
    if p.get("customFields"):
        try:
            custom = json.loads(p["customFields"])
        except ValueError:
            raise PlainError('The "customFields" query parameter must be a valid JSON.') from None
        for key, value in (custom if isinstance(custom, dict) else {}).items():
            flt[f"livechatData.{key}"] = value
    return flt


def _with_department(ctx: Context, room: Doc) -> Doc:
    dept_id = room.get("departmentId")
    dept = ctx.store.departments.get(dept_id) if dept_id else None
    return {**room, "department": {"_id": dept["_id"], "name": dept["name"]}} if dept else room


@routes.get("livechat/rooms", auth=True, schema=ROOMS_QUERY)
async def list_rooms(ctx: Context) -> dict[str, Any]:
    agents = ctx.params.get("agents")
    own = auth.has_permission(ctx.user, "view-l-room") and agents == [ctx.me["_id"]]
    if not (auth.has_permission(ctx.user, "view-livechat-rooms") or own):
        raise Forbidden()
    sort = sort_spec(ctx, [("ts", -1)])
    if ctx.params.get("fields"):
        parse_json_param(ctx.params["fields"], "fields")
    rooms = ctx.store.rooms.find(_filters(ctx), sort=sort)
    name = ctx.params.get("roomName")
    if name:
        rooms = [r for r in rooms if name.lower() in str(r.get("fname", "")).lower()]
    result = page(ctx, "rooms", rooms)
    result["rooms"] = [_with_department(ctx, r) for r in result["rooms"]]
    return result
