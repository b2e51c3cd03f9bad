"""``GET livechat/queue`` (``apps/meteor/app/livechat/imports/server/rest/queue.ts``)."""

from __future__ import annotations

from typing import Any

from ..api import Context, RouteGroup
from ..services import queue
from ..validation import rest_typings
from ._common import pagination, sort_spec

routes = RouteGroup()

#: ``isGETLivechatQueueParams``
QUEUE_QUERY = rest_typings("isGETLivechatQueueParams")


@routes.get("livechat/queue", auth=True, permissions=("view-l-room",), schema=QUEUE_QUERY)
async def queue_metrics(ctx: Context) -> dict[str, Any]:
    offset, count = pagination(ctx)
    groups = queue.queue_metrics(
        ctx.state,
        agent_id=ctx.params.get("agentId"),
        include_offline_agents=ctx.params.get("includeOfflineAgents") == "true",
        department_id=ctx.params.get("departmentId"),
        sort=sort_spec(ctx, [("chats", -1)]),
    )
    shown = groups[offset : offset + count]
    return {"queue": shown, "count": len(shown), "offset": offset, "total": len(groups)}
