"""Agent side: what the agent sees about a visitor (info, navigation, chat history, search).

Rocket.Chat: ``apps/meteor/app/livechat/imports/server/rest/visitors.ts`` and
``apps/meteor/app/livechat/server/api/lib/visitors.ts``; every route needs ``view-l-room``.
The visitor-side calls (token auth) are on ``client.visitor``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from ...errors import InvalidArgumentError
from .. import parsing
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ..lazy import lazy_model
from ._samples import MESSAGE, RID, ROOM, page

if TYPE_CHECKING:
    from ...models import Message, Room, Visitor
else:
    Message = lazy_model("Message")
    Room = lazy_model("Room")
    Visitor = lazy_model("Visitor")

_VISITOR_INFO = {"_id": "v1", "username": "guest-1", "name": "Alice"}
_NAVIGATION = {**MESSAGE, "t": "livechat_navigation_history", "navigation": {"page": {}}}


def _paging(offset: object, count: object, sort: object) -> dict[str, Any]:
    return {
        "offset": v.optional_int("offset", offset),
        "count": v.optional_int("count", count, minimum=1),
        "sort": v.optional_json("sort", sort),
    }


@endpoint(
    "GET",
    "livechat/visitors.info",
    parse=parsing.under(Visitor, "visitor"),
    auth="user",
    idempotent=True,
    schema="isLivechatVisitorsInfoProps",
    samples=[Sample(("v1",), response={"visitor": _VISITOR_INFO})],
)
def get_info(visitor_id: str, **options: Unpack[CallOptions]) -> Parts:
    """The visitor with this ``_id`` (Rocket.Chat >= 8.5 leaves its token out of the answer)."""
    return Parts(
        params={"visitorId": v.required_str("visitor_id", visitor_id)},
        arguments={"visitorId": "visitor_id"},
    )


@endpoint(
    "GET",
    "livechat/visitors.pagesVisited/{rid}",
    parse=parsing.page_under(Message, "pages"),
    auth="user",
    idempotent=True,
    schema="isGETLivechatVisitorsPagesVisitedRoomIdParams",
    samples=[
        Sample((RID,), response=page("pages", _NAVIGATION)),
        Sample((RID,), {"offset": 0, "count": 10, "sort": {"ts": 1}}, response=page("pages")),
    ],
)
def get_pages_visited(
    rid: str,
    *,
    offset: int | None = None,
    count: int | None = None,
    sort: Mapping[str, int] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of the room's navigation-history messages (newest first by default)."""
    return Parts(
        path={"rid": v.path_segment("rid", rid)},
        params=_paging(offset, count, sort),
    )


@endpoint(
    "GET",
    "livechat/visitors.chatHistory/room/{rid}/visitor/{visitor_id}",
    parse=parsing.page_under(Room, "history"),
    auth="user",
    idempotent=True,
    schema="isGETLivechatVisitorsChatHistoryRoomRoomIdVisitorVisitorIdParams",
    samples=[
        Sample((RID, "v1"), response=page("history", ROOM)),
        Sample(
            (RID, "v1"), {"offset": 5, "count": 5, "sort": {"ts": -1}}, response=page("history")
        ),
    ],
)
def get_chat_history(
    rid: str,
    visitor_id: str,
    *,
    offset: int | None = None,
    count: int | None = None,
    sort: Mapping[str, int] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of the visitor's rooms (``rid`` is a room the caller may access)."""
    return Parts(
        path={
            "rid": v.path_segment("rid", rid),
            "visitor_id": v.path_segment("visitor_id", visitor_id),
        },
        params=_paging(offset, count, sort),
    )


def _flag(name: str, value: object) -> str | None:
    flag = v.optional_bool(name, value)
    return None if flag is None else ("true" if flag else "false")


@endpoint(
    "GET",
    "livechat/visitors.searchChats/room/{rid}/visitor/{visitor_id}",
    parse=parsing.page_under(Room, "history"),
    auth="user",
    idempotent=True,
    schema="isGETLivechatVisitorsSearchChatsRoomRoomIdVisitorVisitorIdParams",
    samples=[
        Sample((RID, "v1"), response=page("history", ROOM)),
        Sample(
            (RID, "v1"),
            {
                "search_text": "refund",
                "closed_chats_only": True,
                "served_chats_only": False,
                "source": "widget",
                "offset": 0,
                "count": 20,
                "sort": {"ts": -1},
            },
            response=page("history"),
        ),
    ],
)
def search_chats(
    rid: str,
    visitor_id: str,
    *,
    search_text: str | None = None,
    closed_chats_only: bool | None = None,
    served_chats_only: bool | None = None,
    source: str | None = None,
    offset: int | None = None,
    count: int | None = None,
    sort: Mapping[str, int] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of the visitor's rooms whose messages contain ``search_text``.

    ``closed_chats_only`` keeps closed rooms, ``served_chats_only`` rooms an agent served,
    ``source`` matches the room's source type or alias.
    """
    return Parts(
        path={
            "rid": v.path_segment("rid", rid),
            "visitor_id": v.path_segment("visitor_id", visitor_id),
        },
        params={
            "searchText": v.optional_str("search_text", search_text),
            "closedChatsOnly": _flag("closed_chats_only", closed_chats_only),
            "servedChatsOnly": _flag("served_chats_only", served_chats_only),
            "source": v.optional_str("source", source),
            **_paging(offset, count, sort),
        },
    )


@endpoint(
    "GET",
    "livechat/visitors.autocomplete",
    parse=parsing.list_under(Visitor, "items"),
    auth="user",
    idempotent=True,
    schema="isGETLivechatVisitorsAutocompleteParams",
    samples=[
        Sample(("ali",), response={"items": [_VISITOR_INFO]}),
        Sample(
            ("ali",),
            {"exceptions": ["v2"], "conditions": {"department": "d1"}},
            response={"items": []},
        ),
    ],
)
def autocomplete(
    term: str,
    *,
    exceptions: Sequence[str] | None = None,
    conditions: Mapping[str, Any] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Up to 10 visitors (``_id``, ``name``, ``username``) whose name matches ``term``."""
    selector: dict[str, Any] = {"term": v.required_str("term", term)}
    excluded = v.optional_str_list("exceptions", exceptions)
    if excluded is not None:
        selector["exceptions"] = excluded
    extra = v.optional_mapping("conditions", conditions)
    if extra is not None:
        selector["conditions"] = dict(extra)
    try:
        encoded = json.dumps(selector)
    except (TypeError, ValueError):
        raise InvalidArgumentError("conditions", "must be JSON-serialisable") from None
    return Parts(params={"selector": encoded}, arguments={"selector": "term"})


@endpoint(
    "GET",
    "livechat/visitors.search",
    parse=parsing.page_under(Visitor, "visitors"),
    auth="user",
    idempotent=True,
    schema="isGETLivechatVisitorsSearch",
    samples=[
        Sample(("alice",), response=page("visitors", _VISITOR_INFO)),
        Sample(
            ("+155",), {"offset": 0, "count": 5, "sort": {"name": 1}}, response=page("visitors")
        ),
    ],
)
def search(
    term: str,
    *,
    offset: int | None = None,
    count: int | None = None,
    sort: Mapping[str, int] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of visitors with e-mail/phone ``term``, or whose name/username contains it."""
    return Parts(params={"term": v.required_str("term", term), **_paging(offset, count, sort)})
