"""CRM integration (webhooks) management.

* ``POST livechat/webhook.test`` — ``apps/meteor/app/livechat/server/api/v1/webhooks.ts``
  (``view-livechat-webhooks``): posts the hard-coded sample; 200 ``{success: true}`` when the
  receiver answers 200, else 400 ``error-invalid-webhook-response``; no URL →
  ``Webhook_URL_not_set``. It awaits the receiver, so it runs outside the write transaction
  (``raw_body``: it has no body).
* ``GET livechat/integrations.settings`` — ``api/v1/integration.ts`` /
  ``api/lib/integrations.ts`` ``findIntegrationSettings`` (``view-livechat-manager``).
* ``POST omnichannel/integrations`` — ``api/v1/integration.ts`` (``view-livechat-manager``,
  body ``isPOSTomnichannelIntegrations``): writes the keys present only.
"""

from __future__ import annotations

from typing import Any

from ..api import Context, RouteGroup
from ..services import webhooks
from ..validation import BOOLEAN, NUMBER, STRING, obj

routes = RouteGroup()

INTEGRATIONS_BODY = obj(
    {
        key: STRING
        if key in ("LivechatWebhookUrl", "LivechatSecretToken")
        else (NUMBER if key == "LivechatHttpTimeout" else BOOLEAN)
        for key in webhooks.INTEGRATION_KEYS
    }
)


@routes.post(
    "livechat/webhook.test", auth=True, permissions=("view-livechat-webhooks",), raw_body=True
)
async def webhook_test(ctx: Context) -> dict[str, Any]:
    await ctx.state.webhooks.test(webhooks.test_sample(ctx.state))
    return {}


@routes.get("livechat/integrations.settings", auth=True, permissions=("view-livechat-manager",))
async def integration_settings(ctx: Context) -> dict[str, Any]:
    return {"settings": webhooks.integration_settings(ctx.state)}


@routes.post(
    "omnichannel/integrations",
    auth=True,
    permissions=("view-livechat-manager",),
    schema=INTEGRATIONS_BODY,
)
async def save_integrations(ctx: Context) -> dict[str, Any]:
    webhooks.save_integrations(ctx.state, ctx.params)
    return {}
