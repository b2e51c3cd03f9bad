"""``GET`` / ``POST livechat/appearance``: the widget appearance settings, for managers.

Rocket.Chat declares both methods with ``authRequired`` (401) and
``permissionsRequired: ['view-livechat-manager']`` (403 ``[error-unauthorized]``). In 8.x this
is ``apps/meteor/server/api/v1/omnichannel/appearance.ts``; in 7.x it was
``apps/meteor/app/livechat/imports/server/rest/appearance.ts``. POST checks its body with
``isPOSTLivechatAppearanceParams`` (``packages/rest-typings/src/v1/omnichannel.ts``), which
wants a non-empty array of exactly ``{_id: string, value: string | boolean | number | array}``.
Anything else is a 400 ``invalid-params``, and that check runs before the permission check.
GET answers ``{appearance: [<setting>...], success: true}``. POST answers ``{success: true}``,
or 400 ``{success: false, error: "invalid-setting"}`` when an id is not an appearance setting.
``apps/meteor/tests/end-to-end/api/livechat/02-appearance.ts`` tests both. How values are
coerced is described in :mod:`..services.appearance`.
"""

from __future__ import annotations

from typing import Any

from ..api import Context, RouteGroup
from ..services import appearance
from ..validation import STRING, obj

routes = RouteGroup()

APPEARANCE_BODY = {
    "type": "array",
    "items": obj(
        {"_id": STRING, "value": {"type": ["string", "boolean", "number", "array"]}},
        ("_id", "value"),
    ),
    "minItems": 1,
}
_MANAGER = ("view-livechat-manager",)


@routes.get("livechat/appearance", auth=True, permissions=_MANAGER)
async def get_appearance(ctx: Context) -> dict[str, Any]:
    return {"appearance": appearance.find_appearance(ctx.state)}


@routes.post("livechat/appearance", auth=True, permissions=_MANAGER, schema=APPEARANCE_BODY)
async def save_appearance(ctx: Context) -> dict[str, Any]:
    appearance.save_appearance(ctx.state, ctx.params)
    return {}
