"""Uploads: the visitor's ``POST livechat/upload/:rid`` (§3.12, multipart, header
``x-visitor-token``) and users' ``rooms.media/:rid`` + ``rooms.mediaConfirm/:rid/:fileId``
(7.x+) and ``rooms.upload/:rid`` (deprecated, removed in 8.0), as in
apps/meteor/app/api/server/v1/rooms.ts."""

from __future__ import annotations

import json
from typing import Any

from .. import auth, files
from ..api import Context, Deprecation, RouteGroup
from ..errors import Failure, Forbidden, MeteorError
from ..services import uploads, visitors
from ..store import Doc

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
            if not ctx.line.has("rest-upload-no-file-reason"):
                raise MeteorError("No file uploaded")  # 6.14: ``[No file uploaded]``
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


# ---------------------------------------------------------------------------------------------
# users (agents): rooms.media + rooms.mediaConfirm, rooms.upload


def _accessible_room(ctx: Context) -> Doc:
    """``canAccessRoomIdAsync(rid, userId)`` or ``API.v1.forbidden()``."""
    room = ctx.store.rooms.get(ctx.path["rid"])
    if room is None or not auth.can_access_room(ctx.me, room):
        raise Forbidden()
    return room


async def _receive_file(ctx: Context) -> files.ParsedUpload:
    """The multipart body (``getUploadFormData``, field ``file``); no file → ``invalid-field``."""
    parsed = await files.receive_upload(ctx.state, ctx.request)
    if not parsed.files:
        parsed.discard()
        raise MeteorError("invalid-field")
    return parsed


@routes.post("rooms.media/:rid", auth=True, raw_body=True)
async def rooms_media(ctx: Context) -> dict[str, Any]:
    """Store the file (temporary until confirmed): ``{file: {_id, url}}``."""
    room = _accessible_room(ctx)
    parsed = await _receive_file(ctx)
    try:
        content = None
        if parsed.fields.get("content"):
            try:
                content = json.loads(parsed.fields["content"])
            except ValueError:
                raise MeteorError("invalid-field-content") from None
        stored = await ctx.state.write(
            lambda: uploads.store_user_media(ctx.state, ctx.me, room, parsed.files[0], content)
        )
    finally:
        parsed.discard()
    return {"file": {"_id": stored["_id"], "url": stored["path"]}}


@routes.post("rooms.mediaConfirm/:rid/:fileId", auth=True)
async def rooms_media_confirm(ctx: Context) -> dict[str, Any]:
    """Post the stored file as the user's message: ``{message}``.

    Like Rocket.Chat, the file is found by id only (not checked against the room or uploader).
    """
    room = _accessible_room(ctx)
    upload = ctx.store.uploads.get(ctx.path["fileId"])
    if upload is None:
        raise MeteorError("invalid-file")
    params = dict(ctx.params) if isinstance(ctx.params, dict) else {}
    description = params.pop("description", None)
    uploads.check_description(ctx.state, description)
    message = uploads.send_user_file(
        ctx.state, ctx.me, room, upload, description=description, msg_data=params
    )
    return {"message": message}


@routes.post(
    "rooms.upload/:rid",
    auth=True,
    raw_body=True,
    deprecation=Deprecation("8.0.0", ("rooms.media",)),
)
async def rooms_upload(ctx: Context) -> dict[str, Any]:
    """Store and post the file in one request (before 7.0): ``{message}``."""
    room = _accessible_room(ctx)
    parsed = await _receive_file(ctx)
    try:
        fields: dict[str, Any] = dict(parsed.fields)  # text, as Rocket.Chat's Match sees them
        description = fields.pop("description", None)
        received = parsed.files[0]

        def write() -> Doc:
            stored = uploads.store_user_media(ctx.state, ctx.me, room, received, None)
            uploads.check_description(ctx.state, description)
            return uploads.send_user_file(
                ctx.state, ctx.me, room, stored, description=description, msg_data=fields
            )

        message = await ctx.state.write(write)
    finally:
        parsed.discard()
    return {"message": message}
