"""``GET livechat/config``."""

from __future__ import annotations

from typing import Any

from ..api import Context, RouteGroup
from ..services.config import build_config, routing_config
from ..validation import rest_typings

routes = RouteGroup()

CONFIG_QUERY = rest_typings("isGETLivechatConfigParams")


@routes.get("livechat/config", schema=CONFIG_QUERY)
async def get_config(ctx: Context) -> dict[str, Any]:
    params = ctx.params
    return {"config": build_config(ctx.state, params.get("token"), params.get("department"))}


@routes.get("livechat/config/routing", auth=True)
async def get_routing_config(ctx: Context) -> dict[str, Any]:
    """Any logged-in user (``apps/meteor/server/api/v1/omnichannel/config.ts``)."""
    return {"config": routing_config(ctx.state)}
