"""``POST livechat/upload/:rid`` (§3.12): multipart, header ``x-visitor-token``."""

from __future__ import annotations

from typing import Any

from .. import files
from ..api import Context, RouteGroup
from ..errors import Failure, Forbidden
from ..services import uploads, visitors

routes = RouteGroup()


@routes.post("livechat/upload/:rid", raw_body=True)
async def upload(ctx: Context) -> dict[str, Any]:
    token = ctx.request.headers.get("x-visitor-token")
    if not token:
        raise Forbidden()
    settings = ctx.state.settings
    if not (settings["Livechat_fileupload_enabled"] and settings["FileUpload_Enabled"]):
        raise Failure({"reason": "error-file-upload-disabled"})
    visitor = visitors.find_by_token(ctx.state, token)
    room = ctx.store.rooms.get(ctx.path["rid"])
    if (
        visitor is None
        or room is None
        or not room.get("open")
        or room.get("v", {}).get("token") != token
    ):
        raise Forbidden()
    parsed = await files.receive_upload(ctx.state, ctx.request)
    try:
        if not parsed.files:
            raise Failure({"reason": "error-no-file-uploaded"})
        fields = files.check_text_fields(parsed.fields)
        received = parsed.files[0]
        message = await ctx.state.write(
            lambda: uploads.send_upload(
                ctx.state,
                visitor,
                room,
                received,
                description=fields.get("description", ""),
                text=fields.get("msg", ""),
            )
        )
    finally:
        parsed.discard()
    show_connecting = settings["Livechat_Routing_Method"] == "Manual_Selection"
    return {**message, "newRoom": False, "showConnecting": show_connecting}
