"""Agent-side visitor context (``apps/meteor/app/livechat/imports/server/rest/visitors.ts``,
business logic ``apps/meteor/app/livechat/server/api/lib/visitors.ts``).

Every route needs ``view-l-room``; the query schemas are rest-typings' validators.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .. import auth
from ..api import Context, RouteGroup
from ..errors import PlainError
from ..store import Doc
from ..validation import PAGINATION, rest_typings
from ._common import page, sort_spec

routes = RouteGroup()

_VIEW = ("view-l-room",)
_PAGING = {k: PAGINATION[k] for k in ("count", "offset", "sort")}
INFO_QUERY = rest_typings("isLivechatVisitorsInfoProps")
PAGES_QUERY = rest_typings("isGETLivechatVisitorsPagesVisitedRoomIdParams")
HISTORY_QUERY = rest_typings("isGETLivechatVisitorsChatHistoryRoomRoomIdVisitorVisitorIdParams")
SEARCH_CHATS_QUERY = rest_typings(
    "isGETLivechatVisitorsSearchChatsRoomRoomIdVisitorVisitorIdParams"
)
AUTOCOMPLETE_QUERY = rest_typings("isGETLivechatVisitorsAutocompleteParams")
SEARCH_QUERY = rest_typings("isGETLivechatVisitorsSearch")

#: ``findRoomsByVisitorIdAndMessageWithCriteria``'s projection
_CHAT_FIELDS = (
    "_id",
    "fname",
    "ts",
    "v",
    "msgs",
    "servedBy",
    "closedAt",
    "closedBy",
    "closer",
    "tags",
    "source",
)
_SEARCH_FIELDS = ("_id", "username", "name", "phone", "livechatData", "visitorEmails", "lastChat")


def _livechat_room(ctx: Context, rid: str) -> Doc:
    room = ctx.store.rooms.get(rid)
    if room is None:
        raise PlainError("invalid-room")
    return room


def _accessible_room(ctx: Context, rid: str) -> Doc:
    room = _livechat_room(ctx, rid)
    if not auth.can_access_room(ctx.me, room):
        raise PlainError("error-not-allowed")
    return room


@routes.get("livechat/visitors.info", auth=True, permissions=_VIEW, schema=INFO_QUERY)
async def visitor_info(ctx: Context) -> dict[str, Any]:
    """``findVisitorInfo``: an enabled visitor by ``_id``. From 8.5 without the visitor's token
    (agents must not be able to impersonate the visitor; ``visitors-info-token``)."""
    visitor = ctx.store.visitors.get(ctx.params["visitorId"])
    if visitor is None or visitor.get("disabled"):
        raise PlainError("visitor-not-found")
    if ctx.line.has("visitors-info-token"):
        return {"visitor": visitor}
    return {"visitor": {k: val for k, val in visitor.items() if k != "token"}}


@routes.get(
    "livechat/visitors.pagesVisited/:roomId", auth=True, permissions=_VIEW, schema=PAGES_QUERY
)
async def pages_visited(ctx: Context) -> dict[str, Any]:
    room = _livechat_room(ctx, ctx.path["roomId"])
    found = ctx.store.messages.find(
        {"rid": room["_id"], "t": "livechat_navigation_history"}, sort=sort_spec(ctx, [("ts", -1)])
    )
    return page(ctx, "pages", found)


@routes.get(
    "livechat/visitors.chatHistory/room/:roomId/visitor/:visitorId",
    auth=True,
    permissions=_VIEW,
    schema=HISTORY_QUERY,
)
async def chat_history(ctx: Context) -> dict[str, Any]:
    _accessible_room(ctx, ctx.path["roomId"])
    found = ctx.store.rooms.find(
        {"t": "l", "v._id": ctx.path["visitorId"]}, sort=sort_spec(ctx, [("ts", -1)])
    )
    return page(ctx, "history", found)


@routes.get(
    "livechat/visitors.searchChats/room/:roomId/visitor/:visitorId",
    auth=True,
    permissions=_VIEW,
    schema=SEARCH_CHATS_QUERY,
)
async def search_chats(ctx: Context) -> dict[str, Any]:
    _accessible_room(ctx, ctx.path["roomId"])
    p = ctx.params
    flt: dict[str, Any] = {"v._id": ctx.path["visitorId"]}
    if p.get("closedChatsOnly") == "true":
        flt["closedAt"] = {"$exists": True}
    if p.get("servedChatsOnly") == "true":
        flt["servedBy"] = {"$exists": True}
    rooms = ctx.store.rooms.find(flt, sort=sort_spec(ctx, [("ts", -1)]))
    source = p.get("source")
    if source:
        pattern = re.compile(re.escape(source), re.IGNORECASE)
        rooms = [
            r
            for r in rooms
            if any(
                pattern.search(str((r.get("source") or {}).get(k) or "")) for k in ("type", "alias")
            )
        ]
    search_text = p.get("searchText")
    history = []
    for room in rooms:
        msgs = ctx.store.messages.find({"rid": room["_id"]}, sort=[("ts", 1)])
        if search_text and not any(search_text in str(m.get("msg", "")) for m in msgs):
            continue
        doc = {k: room[k] for k in _CHAT_FIELDS if k in room}
        closing = [m for m in msgs if m.get("t") == "livechat-close"]
        if closing:
            doc["closingMessage"] = closing[-1]
        history.append(doc)
    return page(ctx, "history", history)


@routes.get(
    "livechat/visitors.autocomplete", auth=True, permissions=_VIEW, schema=AUTOCOMPLETE_QUERY
)
async def autocomplete(ctx: Context) -> dict[str, Any]:
    """``findVisitorsToAutocomplete``: 10 visitors whose name starts with ``term``."""
    try:
        selector = json.loads(ctx.params["selector"])
    except ValueError:
        raise PlainError(f'"{ctx.params["selector"]}" is not valid JSON') from None
    if not isinstance(selector, dict):
        selector = {}
    flt: dict[str, Any] = {}
    conditions = selector.get("conditions")
    if isinstance(conditions, dict):
        flt.update(conditions)
    exceptions = selector.get("exceptions") or []
    if exceptions:
        flt["_id"] = {"$nin": list(exceptions)}
    # findByNameRegexWithExceptionsAndConditions: ^<escaped term>, case-insensitive
    pattern = re.compile("^" + re.escape(str(selector.get("term") or "")).strip(), re.IGNORECASE)
    found = [
        v
        for v in ctx.store.visitors.find(flt, sort=[("name", 1)])
        if pattern.search(str(v.get("name") or ""))
    ]
    return {"items": [{k: v[k] for k in ("_id", "name", "username") if k in v} for v in found[:10]]}


@routes.get("livechat/visitors.search", auth=True, permissions=_VIEW, schema=SEARCH_QUERY)
async def search(ctx: Context) -> dict[str, Any]:
    """``findVisitorsByEmailOrPhoneOrNameOrUsernameOrCustomField``: e-mail or phone equal to
    ``term``, or name/username/searchable visitor custom field containing it (case-insensitive)."""
    term = ctx.params["term"]
    pattern = re.compile(re.escape(term), re.IGNORECASE) if term else None
    searchable = [
        f["_id"]
        for f in ctx.store.custom_fields.find({"scope": "visitor"})
        if f.get("searchable", True)
    ]

    def matches(visitor: Doc) -> bool:
        emails = [e.get("address") for e in visitor.get("visitorEmails") or []]
        phones = [p.get("phoneNumber") for p in visitor.get("phone") or []]
        if term and (term in emails or term in phones):
            return True
        if pattern is None:
            return False
        data = visitor.get("livechatData") or {}
        texts = [visitor.get("name"), visitor.get("username"), *(data.get(f) for f in searchable)]
        return any(pattern.search(str(t)) for t in texts if t is not None)

    visitors = [
        {k: v[k] for k in _SEARCH_FIELDS if k in v}
        for v in ctx.store.visitors.find(
            {"disabled": {"$ne": True}}, sort=sort_spec(ctx, [("ts", -1)])
        )
        if matches(v)
    ]
    return page(ctx, "visitors", visitors)
