"""``GET livechat/rooms`` (§4.3)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from .. import auth
from ..api import Context, RouteGroup
from ..errors import Forbidden, PlainError
from ..store import Doc
from ..validation import rest_typings
from ._common import page, parse_json_param, sort_spec

routes = RouteGroup()

ROOMS_QUERY = rest_typings("isGETLivechatRoomsParams")


def _date_range(raw: str | None, name: str) -> dict[str, datetime]:
    """``validateDateParams`` of ``apps/meteor/app/livechat/imports/server/rest/rooms.ts``.

    ``JSON.parse(date)`` first: text that is not JSON is refused with the parser's message
    (400 ``{success: false, error: <SyntaxError message>}``, V8's wording); a bound that
    ``Date.parse`` rejects with ``The "<name>.start" query parameter must be a valid date.``
    """
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        raise PlainError(v8_json_error(raw)) from None
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


#: Python 3.13's trailing-comma errors, as 3.11 and 3.12 report them (what the mapping reads)
_TRAILING_COMMA = {
    "Illegal trailing comma before end of object": (
        "Expecting property name enclosed in double quotes"
    ),
    "Illegal trailing comma before end of array": "Expecting value",
}


def _as_before_313(exc: json.JSONDecodeError) -> json.JSONDecodeError:
    """3.13 reports a trailing comma at the comma; 3.11/3.12 where the next item should start."""
    if exc.msg not in _TRAILING_COMMA:
        return exc
    after = exc.pos + 1
    after += len(exc.doc[after:]) - len(exc.doc[after:].lstrip())
    return json.JSONDecodeError(_TRAILING_COMMA[exc.msg], exc.doc, after)


def v8_json_error(text: str) -> str:
    """The message of the ``SyntaxError`` Node 22's ``JSON.parse(text)`` throws (common cases)."""
    decoder = json.JSONDecoder()
    stripped = text.strip()
    if not stripped:
        return "Unexpected end of JSON input"
    try:
        _, end = decoder.raw_decode(text, len(text) - len(text.lstrip()))
    except json.JSONDecodeError as raised:
        exc = _as_before_313(raised)
        if exc.pos >= len(text) and not (
            exc.msg.startswith("Expecting property name") and not text.rstrip().endswith(",")
        ):
            return "Unexpected end of JSON input"
        if exc.msg.startswith("Unterminated string"):
            return f"Unterminated string in JSON at position {len(text)}"
        position = f"at position {exc.pos} (line {exc.lineno} column {exc.colno})"
        if exc.msg.startswith("Expecting property name") and text[: exc.pos].rstrip()[-1:] == ",":
            return f"Expected double-quoted property name in JSON {position}"
        if exc.msg.startswith("Expecting property name"):
            return f"Expected property name or '}}' in JSON {position}"
        if exc.msg.startswith("Expecting ':'"):
            return f"Expected ':' after property name in JSON {position}"
        if exc.msg.startswith("Expecting ',' delimiter") and text[:1] == "{":
            return f"Expected ',' or '}}' after property value in JSON {position}"
        pos = exc.pos
        literal = {"n": "null", "t": "true", "f": "false"}.get(text[pos], "")
        matched = 0
        while (
            matched < len(literal) and text[pos + matched : pos + matched + 1] == literal[matched]
        ):
            matched += 1
        if literal and pos + matched >= len(text):
            return "Unexpected end of JSON input"
        pos += matched if matched < len(literal) else 0
        return f"Unexpected token '{text[pos]}', {_v8_context(text, pos)} is not valid JSON"
    end += len(text[end:]) - len(text[end:].lstrip())
    line = text.count("\n", 0, end) + 1
    column = end - (text.rfind("\n", 0, end) + 1) + 1
    return (
        "Unexpected non-whitespace character after JSON "
        f"at position {end} (line {line} column {column})"
    )


def _v8_context(text: str, pos: int, width: int = 10) -> str:
    """The source excerpt V8 quotes (``kMaxContextCharacters`` either side of the token)."""
    if len(text) <= 2 * width:
        return f'"{text}"'
    if pos < width:
        return f'"{text[: pos + width]}"...'
    if pos >= len(text) - width:
        return f'..."{text[pos - width :]}"'
    return f'..."{text[pos - width : pos + width]}"...'


def _is_boolean(value: Any) -> bool:
    """``isBoolean`` of rooms.ts: ``'true'``, ``'false'`` or a boolean."""
    return value in ("true", "false") or isinstance(value, bool)


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
    if _is_boolean(p.get("open")):
        # open=true: served open rooms, not the queued ones (00-rooms.ts "Open rooms should not
        # include queued conversations"); open=false: closed rooms
        if p["open"] in (True, "true"):
            flt["open"] = True
            flt["servedBy"] = {"$exists": True}
        else:
            flt["open"] = {"$exists": False}
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


def _name_matches(term: str, fname: str) -> bool:
    """``roomName``: ``"exact"`` between double quotes matches the whole name, else the term is
    searched case-insensitively (00-rooms.ts, describe ``roomName filter``)."""
    if len(term) >= 2 and term.startswith('"') and term.endswith('"'):
        return fname == term[1:-1]
    return re.search(re.escape(term), fname, re.IGNORECASE) is not None


def _check_access(ctx: Context) -> None:
    agents = ctx.params.get("agents")
    own = auth.has_permission(ctx.user, "view-l-room") and agents == [ctx.me["_id"]]
    if not (auth.has_permission(ctx.user, "view-livechat-rooms") or own):
        raise Forbidden()


@routes.get("livechat/rooms", auth=True, schema=ROOMS_QUERY)
async def list_rooms(ctx: Context) -> dict[str, Any]:
    """The date ranges are checked before the access (as rooms.ts does)."""
    sort = sort_spec(ctx, [("ts", -1)])
    if ctx.params.get("fields"):
        parse_json_param(ctx.params["fields"], "fields")
    for name in ("createdAt", "closedAt"):
        _date_range(ctx.params.get(name), name)
    _check_access(ctx)
    flt = _filters(ctx)
    rooms = ctx.store.rooms.find(flt, sort=sort)
    term = ctx.params.get("roomName")
    if term:
        rooms = [r for r in rooms if _name_matches(term, str(r.get("fname", "")))]
    result = page(ctx, "rooms", rooms)
    result["rooms"] = [_with_department(ctx, r) for r in result["rooms"]]
    return result
