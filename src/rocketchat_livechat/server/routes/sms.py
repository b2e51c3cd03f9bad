"""``POST livechat/sms-incoming/:service`` (no authentication: the provider's webhook).

Source: ``apps/meteor/app/livechat/imports/server/rest/sms.ts``. The answer is the provider's
own (Twilio: ``text/xml`` TwiML), not a JSON envelope, except for the refusals before parsing.
"""

from __future__ import annotations

from starlette.responses import Response

from ..api import Context, RouteGroup
from ..errors import Failure
from ..services import sms

routes = RouteGroup()


@routes.post("livechat/sms-incoming/:service")
async def sms_incoming(ctx: Context) -> Response:
    service = ctx.path["service"]
    sms.check_service(ctx.state, service)
    url = ctx.request.url.path + (f"?{ctx.request.url.query}" if ctx.request.url.query else "")
    signature = ctx.request.headers.get("x-twilio-signature", "")
    if not sms.valid_request(ctx.state, url, signature, ctx.params):
        raise Failure("Invalid request")
    parsed = sms.parse(ctx.params)
    department = ctx.query.get("department")
    twiml = sms.receive(
        ctx.state, service, parsed, department if isinstance(department, str) else None
    )
    return Response(twiml, headers={"Content-Type": "text/xml"})
