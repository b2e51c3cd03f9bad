"""Agent side: the inquiry queue."""

from __future__ import annotations

import json
from collections.abc import Mapping

from ...models import Inquiry, Page
from .. import parsing
from .. import validation as v
from ..request import Call, Request, json_body, query_params


def list_inquiries(
    department: str | None = None,
    offset: int | None = None,
    count: int | None = None,
    sort: Mapping[str, int] | None = None,
) -> Call[Page[Inquiry]]:
    sort_map = v.optional_mapping("sort", sort)
    params = query_params(
        {
            "department": v.optional_str("department", department),
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
            "sort": None if sort_map is None else json.dumps(dict(sort_map)),
        }
    )
    request = Request(
        "GET",
        "livechat/inquiries.list",
        "livechat/inquiries.list",
        params=params,
        auth="user",
        idempotent=True,
    )
    return Call(request, parsing.page_under(Inquiry, "inquiries"))


def take_inquiry(inquiry_id: str, user_id: str | None = None) -> Call[None]:
    body = json_body(
        inquiryId=v.required_str("inquiry_id", inquiry_id),
        userId=v.optional_str("user_id", user_id),
    )
    request = Request(
        "POST", "livechat/inquiries.take", "livechat/inquiries.take", json=body, auth="user"
    )
    return Call(request, parsing.nothing)


def get_inquiry(rid: str) -> Call[Inquiry | None]:
    params = query_params({"roomId": v.required_str("rid", rid)}, {"roomId": "rid"})
    request = Request(
        "GET",
        "livechat/inquiries.getOne",
        "livechat/inquiries.getOne",
        params=params,
        auth="user",
        idempotent=True,
    )
    return Call(request, parsing.optional_under(Inquiry, "inquiry"))
