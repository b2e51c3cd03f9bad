"""Agent side: the inquiry queue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Unpack

from .. import parsing
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ..lazy import lazy_model
from ..request import json_body
from ._samples import INQUIRY, QUEUE_METRIC, RID, page

if TYPE_CHECKING:
    from ...models import Inquiry, QueueMetric
else:
    Inquiry = lazy_model("Inquiry")
    QueueMetric = lazy_model("QueueMetric")


@endpoint(
    "GET",
    "livechat/inquiries.list",
    parse=parsing.page_under(Inquiry, "inquiries"),
    auth="user",
    idempotent=True,
    schema="isGETLivechatInquiriesListParams",
    samples=[
        Sample(response=page("inquiries", INQUIRY)),
        Sample(
            kwargs={"department": "dep-1", "offset": 5, "count": 5, "sort": {"ts": -1}},
            response=page("inquiries"),
        ),
    ],
)
def list_inquiries(
    *,
    department: str | None = None,
    offset: int | None = None,
    count: int | None = None,
    sort: Mapping[str, int] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of queued inquiries the user may take."""
    return Parts(
        params={
            "department": v.optional_str("department", department),
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
            "sort": v.optional_json("sort", sort),
        }
    )


@endpoint(
    "POST",
    "livechat/inquiries.take",
    parse=parsing.nothing,
    auth="user",
    schema="isPOSTLivechatInquiriesTakeParams",
    samples=[Sample(("inq-1",)), Sample(("inq-1",), {"user_id": "u1"})],
)
def take_inquiry(
    inquiry_id: str, *, user_id: str | None = None, **options: Unpack[CallOptions]
) -> Parts:
    """Take a queued inquiry (for ``user_id``, or the logged-in user)."""
    return Parts(
        json=json_body(
            inquiryId=v.required_str("inquiry_id", inquiry_id),
            userId=v.optional_str("user_id", user_id),
        )
    )


@endpoint(
    "GET",
    "livechat/inquiries.getOne",
    parse=parsing.optional_under(Inquiry, "inquiry"),
    auth="user",
    idempotent=True,
    schema="isGETLivechatInquiriesGetOneParams",
    samples=[Sample((RID,), response={"inquiry": INQUIRY}), Sample((RID,))],
)
def get_inquiry(rid: str, **options: Unpack[CallOptions]) -> Parts:
    """The room's inquiry, or ``None``."""
    return Parts(params={"roomId": v.required_str("rid", rid)}, arguments={"roomId": "rid"})


@endpoint(
    "GET",
    "livechat/inquiries.queuedForUser",
    parse=parsing.page_under(Inquiry, "inquiries"),
    auth="user",
    idempotent=True,
    schema="isGETLivechatInquiriesQueuedForUserParams",
    samples=[
        Sample(response=page("inquiries", INQUIRY)),
        Sample(
            kwargs={"department": "dep-1", "offset": 0, "count": 5, "sort": {"ts": 1}},
            response=page("inquiries"),
        ),
    ],
)
def list_queued_for_user(
    *,
    department: str | None = None,
    offset: int | None = None,
    count: int | None = None,
    sort: Mapping[str, int] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of the queued inquiries the logged-in agent may take: those addressed to them,
    those of their departments (or of ``department``, which must be one of theirs) and the
    public queue."""
    return Parts(
        params={
            "department": v.optional_str("department", department),
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
            "sort": v.optional_json("sort", sort),
        }
    )


@endpoint(
    "GET",
    "livechat/queue",
    parse=parsing.page_under(QueueMetric, "queue"),
    auth="user",
    idempotent=True,
    schema="isGETLivechatQueueParams",
    samples=[
        Sample(response=page("queue", QUEUE_METRIC)),
        Sample(
            kwargs={
                "agent_id": "u1",
                "include_offline_agents": True,
                "department_id": "dep-1",
                "offset": 0,
                "count": 10,
                "sort": {"chats": 1},
            },
            response=page("queue"),
        ),
    ],
)
def get_queue(
    *,
    agent_id: str | None = None,
    include_offline_agents: bool | None = None,
    department_id: str | None = None,
    offset: int | None = None,
    count: int | None = None,
    sort: Mapping[str, int] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Queue metrics: per agent and department, the number of open chats they serve (most
    first unless ``sort``). Agents offline or not available are left out unless
    ``include_offline_agents`` (``apps/meteor/app/livechat/imports/server/rest/queue.ts``)."""
    return Parts(
        params={
            "agentId": v.optional_str("agent_id", agent_id),
            "includeOfflineAgents": v.optional_bool(
                "include_offline_agents", include_offline_agents
            ),
            "departmentId": v.optional_str("department_id", department_id),
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
            "sort": v.optional_json("sort", sort),
        }
    )


@endpoint(
    "POST",
    "livechat/inquiries.returnAsInquiry",
    parse=parsing.bool_under("result"),
    auth="user",
    schema="isPOSTLivechatInquiriesReturnAsInquiry",
    samples=[
        Sample((RID,), response={"result": True}),
        Sample((RID,), {"department_id": "dep-1"}, response={"result": False}),
    ],
)
def return_as_inquiry(
    rid: str, *, department_id: str | None = None, **options: Unpack[CallOptions]
) -> Parts:
    """Return a served chat to the queue (``view-l-room``), optionally into ``department_id``
    (``apps/meteor/server/api/v1/omnichannel/inquiries.ts``, ``returnRoomAsInquiry``). ``True``
    when it was returned, ``False`` when the room had no agent or no inquiry. Refusals:
    ``error-room-not-found``, ``room-closed``, ``error-returning-inquiry`` (on-hold rooms'
    ``error-room-onHold`` is Enterprise-only)."""
    return Parts(
        json=json_body(
            roomId=v.required_str("rid", rid),
            departmentId=v.optional_str("department_id", department_id),
        )
    )
