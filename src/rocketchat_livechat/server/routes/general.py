"""Non-livechat endpoints the SDK and tests need: users, settings, chat, rooms, groups."""

from __future__ import annotations

from typing import Any

from .. import auth
from ..api import Context, RouteGroup
from ..errors import Failure, MeteorError, PlainError
from ..services import business_hours, groups, messages, users
from ..store import Doc
from ..validation import BOOLEAN, STRING, STRINGS, ObjectIncluding, Optional, check, obj

routes = RouteGroup()

USER_CREATE_BODY = obj(
    {
        "email": STRING,
        "name": STRING,
        "password": STRING,
        "username": STRING,
        "active": BOOLEAN,
        "roles": STRINGS,
        "joinDefaultChannels": BOOLEAN,
        "requirePasswordChange": BOOLEAN,
        "sendWelcomeEmail": BOOLEAN,
        "verified": BOOLEAN,
        "customFields": {"type": "object"},
    },
    ("email", "name", "username"),
)
_NULLABLE_STRING = {"type": "string", "nullable": True}
#: ``isUserRegisterParamsPOST`` (rest-typings ``v1/users/UserRegisterParamsPOST.ts``)
USER_REGISTER_BODY = obj(
    {
        "username": STRING,
        "name": _NULLABLE_STRING,
        "email": STRING,
        "pass": STRING,
        "secret": _NULLABLE_STRING,
        "reason": _NULLABLE_STRING,
        "customFields": {"type": "object", "nullable": True},
    },
    ("username", "email", "pass"),
)
USER_DELETE_BODY = obj({"userId": STRING, "confirmRelinquish": BOOLEAN}, ("userId",))
SET_STATUS_BODY = obj({"status": STRING, "message": STRING, "userId": STRING, "username": STRING})
_USER_NOT_FOUND = 'The required "userId" or "username" param provided does not match any users'
_ROOM_NOT_FOUND = 'The required "roomId" or "roomName" param provided does not match any group'


def _user_from_params(ctx: Context, params: dict[str, Any]) -> Doc:
    key = params.get("userId") or params.get("username")
    if not key:
        raise MeteorError(
            "error-user-param-not-provided",
            'The required "userId" or "username" param was not provided',
        )
    user = users.find_user(ctx.state, str(key))
    if user is None:
        raise MeteorError("error-invalid-user", _USER_NOT_FOUND)
    return user


@routes.post("users.create", auth=True, permissions=("create-user",), schema=USER_CREATE_BODY)
async def users_create(ctx: Context) -> dict[str, Any]:
    p = ctx.params
    user = users.create_user(
        ctx.state,
        username=p["username"],
        password=p.get("password"),
        email=p["email"],
        name=p["name"],
        roles=p.get("roles") or ["user"],
        active=p.get("active", True),
    )
    return {"user": users.public_user(user)}


@routes.post("users.register", schema=USER_REGISTER_BODY)
async def users_register(ctx: Context) -> dict[str, Any]:
    """``users.register`` + the ``registerUser`` method (``apps/meteor/server/methods/
    registerUser.ts``); on a server without an admin the new user becomes one. Not emulated:
    the password policy, e-mail verification, ``Accounts_ManuallyApproveNewUsers``."""
    p = ctx.params
    if ctx.user is not None:
        raise Failure("Logged in users can not register again.")
    if ctx.store.users.find_one({"username": p["username"]}) is not None:
        raise Failure("Username is already in use")
    form_data = {k: v for k, v in p.items() if k != "secret"}
    check(
        form_data,
        ObjectIncluding({"email": str, "pass": str, "name": str, "reason": Optional(str)}),
    )
    form = ctx.state.settings["Accounts_RegistrationForm"]
    if form == "Disabled":
        raise MeteorError(
            "error-user-registration-disabled",
            "User registration is disabled",
            {"method": "registerUser"},
        )
    secret = ctx.state.settings["Accounts_RegistrationForm_SecretURL"]
    if form == "Secret URL" and (not p.get("secret") or p["secret"] != secret):
        raise MeteorError(
            "error-user-registration-secret",
            "User registration is only allowed via Secret URL",
            {"method": "registerUser"},
        )
    user = users.create_user(
        ctx.state,
        username=p["username"],
        password=p["pass"],
        email=p["email"].strip().lower(),
        name=p["name"].strip(),
    )
    return {"user": users.public_user(user)}


@routes.post("users.delete", auth=True, permissions=("delete-user",), schema=USER_DELETE_BODY)
async def users_delete(ctx: Context) -> dict[str, Any]:
    user = _user_from_params(ctx, ctx.params)
    users.delete_user(ctx.state, user["_id"])
    return {}


@routes.get("users.info", auth=True)
async def users_info(ctx: Context) -> dict[str, Any]:
    key = ctx.params.get("userId") or ctx.params.get("username")
    user = users.find_user(ctx.state, key) if isinstance(key, str) else None
    if user is None:
        raise Failure("User not found.")
    private = user["_id"] == ctx.me["_id"] or auth.has_permission(
        ctx.user, "view-full-other-user-info"
    )
    return {"user": users.public_user(user, private=private)}


@routes.post("users.setStatus", auth=True, schema=SET_STATUS_BODY)
async def users_set_status(ctx: Context) -> dict[str, Any]:
    """Embedded-server note: setting ``online`` here makes an agent routable without DDP."""
    target = ctx.me
    if ctx.params.get("userId") or ctx.params.get("username"):
        target = _user_from_params(ctx, ctx.params)
        if target["_id"] != ctx.me["_id"] and not auth.has_permission(
            ctx.user, "edit-other-user-info"
        ):
            raise MeteorError("error-not-allowed", "Not allowed")
    status = ctx.params.get("status")
    if status:
        if status not in users.PRESENCE_STATUSES:
            raise MeteorError(
                "error-invalid-status",
                "Valid status types include online, away, offline, and busy.",
                {"method": "users.setStatus"},
            )
        users.set_presence(ctx.state, target["_id"], status)
    if "message" in ctx.params:
        users.set_status_text(ctx.state, target["_id"], ctx.params["message"])
    return {}


# ---------------------------------------------------------------------------------------------
# settings


@routes.get("settings/:_id", auth=True)
async def get_setting(ctx: Context) -> dict[str, Any]:
    name = ctx.path["_id"]
    if name not in ctx.state.settings:
        raise Failure()
    return {"_id": name, "value": ctx.state.settings[name]}


def _second_factor_methods(ctx: Context) -> list[str]:
    """The user's active methods in Rocket.Chat's order (``getMethodByNameOrFirstActiveForUser``):
    TOTP and email when enabled for the user (this server enables neither for anyone), then the
    password fallback (``PasswordCheckFallback.isEnabled``: ``Accounts_TwoFactorAuthentication_
    Enforce_Password_Fallback`` and a password set)."""
    settings, user = ctx.state.settings, ctx.me
    methods = []
    services = user.get("services") or {}
    if settings.get("Accounts_TwoFactorAuthentication_By_TOTP_Enabled", True) and (
        services.get("totp") or {}
    ).get("enabled"):
        methods.append("totp")
    if settings.get("Accounts_TwoFactorAuthentication_By_Email_Enabled", True) and (
        services.get("email2fa") or {}
    ).get("enabled"):
        methods.append("email")
    fallback = settings["Accounts_TwoFactorAuthentication_Enforce_Password_Fallback"]
    if fallback and (services.get("password") or {}).get("pbkdf2"):
        methods.append("password")
    return methods


def _check_password_2fa(ctx: Context) -> None:
    """``twoFactorRequired`` routes: Rocket.Chat's ``checkCodeForUser``
    (``apps/meteor/app/2fa/server/code/index.ts``).

    Nothing is asked when ``Accounts_TwoFactorAuthentication_Enabled`` is off or the user has no
    method (``getSecondFactorMethod`` finds none: no TOTP, no email 2FA and the password
    fallback off). The code and method come from ``X-2fa-Code`` and ``X-2fa-Method`` (both, or
    neither is used); the password method takes the password's SHA-256 hex digest (this server
    also takes the password itself).
    """
    settings = ctx.state.settings
    if not settings.get("Accounts_TwoFactorAuthentication_Enabled", True):
        return
    headers = ctx.request.headers
    code, method = headers.get("x-2fa-code"), headers.get("x-2fa-method")
    if not (code and method):
        code = method = None
    available = _second_factor_methods(ctx)
    selected = method if method in ("totp", "email", "password") else None
    selected = selected or (available[0] if available else None)
    if selected is None:
        return
    if not code:
        details = {"method": selected, "availableMethods": available}
        raise MeteorError("totp-required", "TOTP Required", details)
    digest = code if len(code) == 64 else auth.sha256_hex(code)
    if selected != "password" or not auth.verify_password(ctx.me, {"digest": digest}):
        raise MeteorError("totp-invalid", "TOTP Invalid", {"method": selected})


@routes.post("settings/:_id", auth=True, permissions=("edit-privileged-setting",))
async def set_setting(ctx: Context) -> dict[str, Any]:
    _check_password_2fa(ctx)
    params = ctx.params if isinstance(ctx.params, dict) else {}
    if "value" not in params:
        raise MeteorError("error-invalid-params", "Invalid params")
    try:
        ctx.state.settings.set(ctx.path["_id"], params["value"])
    except KeyError:
        raise Failure() from None
    if ctx.path["_id"] == business_hours.SETTING:  # the setting watcher starts/stops the hours
        business_hours.apply(ctx.state)
    return {}


# ---------------------------------------------------------------------------------------------
# chat / rooms / groups


@routes.post("chat.sendMessage", auth=True)
async def chat_send_message(ctx: Context) -> dict[str, Any]:
    message = ctx.params.get("message") if isinstance(ctx.params, dict) else None
    if not message:
        raise MeteorError("error-invalid-params", 'The "message" parameter must be provided.')
    check(message, ObjectIncluding({"rid": str, "msg": Optional(str), "_id": Optional(str)}))
    room = ctx.store.rooms.get(message["rid"])
    if room is None or not auth.can_access_room(ctx.me, room):
        raise PlainError("error-not-allowed")
    text = message.get("msg", "")
    if len(text) > int(ctx.state.settings["Message_MaxAllowedSize"]):
        raise MeteorError(
            "error-message-size-exceeded", "Message size exceeds Message_MaxAllowedSize"
        )
    sent = messages.send_user_message(ctx.state, ctx.me, room, text, message.get("_id"))
    return {"message": sent}


# rest-typings isChatUpdateProps (its text branch; e2e ``content`` edits are not supported)
CHAT_UPDATE_BODY = obj(
    {
        "roomId": STRING,
        "msgId": STRING,
        "text": STRING,
        "previewUrls": {"type": "array", "items": STRING, "nullable": True},
        "customFields": {"type": "object", "nullable": True},
    },
    ("roomId", "msgId", "text"),
)
# rest-typings isChatDeleteProps
CHAT_DELETE_BODY = {
    **obj(
        {
            "msgId": STRING,
            "roomId": STRING,
            "fileId": STRING,
            "asUser": {"type": "boolean", "nullable": True},
        }
    ),
    "anyOf": [
        {"type": "object", "required": ["msgId", "roomId"]},
        {"type": "object", "required": ["fileId"]},
    ],
}
_WRONG_ROOM = "The room id provided does not match where the message is from."
_FORCE_DELETE = (
    'Unauthorized. You must have the permission "force-delete-message" to delete other\'s '
    "message as them."
)


def _message_in_room(ctx: Context) -> Doc:
    """The ``msgId`` message, in ``roomId`` (chat.update / chat.delete failures)."""
    message_id = ctx.params.get("msgId")
    message = messages.get(ctx.state, message_id) if isinstance(message_id, str) else None
    if message is None:
        shown = "undefined" if message_id is None else message_id
        raise Failure(f'No message found with the id of "{shown}".')
    if ctx.params.get("roomId") != message["rid"]:
        raise Failure(_WRONG_ROOM)
    return message


@routes.post("chat.update", auth=True, schema=CHAT_UPDATE_BODY)
async def chat_update(ctx: Context) -> dict[str, Any]:
    """``chat.update`` (apps/meteor/app/api/server/v1/chat.ts → ``executeUpdateMessage``)."""
    message = _message_in_room(ctx)
    room = ctx.store.rooms.get(message["rid"])
    if room is None:
        raise PlainError("error-not-allowed")
    updated = messages.update_by_user(ctx.state, ctx.me, room, message, ctx.params["text"])
    return {"message": updated}


@routes.post("chat.delete", auth=True, schema=CHAT_DELETE_BODY)
async def chat_delete(ctx: Context) -> dict[str, Any]:
    """``chat.delete`` (app/api/server/v1/chat.ts → ``deleteMessageValidatingPermission``).

    Answers ``{_id, ts: "<epoch ms>", message: {_id, rid, u}}``; the room's stream gets
    ``<rid>/deleteMessage`` on ``stream-notify-room``.
    """
    message = _message_in_room(ctx)
    author = message.get("u", {}).get("_id")
    as_user = bool(ctx.params.get("asUser"))
    if (
        as_user
        and author != ctx.me["_id"]
        and not auth.has_permission(ctx.user, "force-delete-message")
    ):
        raise Failure(_FORCE_DELETE)
    deleter = ctx.store.users.get(author or "") if as_user else ctx.me
    if deleter is None:  # a visitor's message deleted "as its author"
        raise Failure("User not found")
    messages.delete_by_user(ctx.state, deleter, message)
    now_ms = int(ctx.state.now().timestamp() * 1000)
    projected = {k: message[k] for k in ("_id", "rid", "u") if k in message}
    return {"_id": message["_id"], "ts": str(now_ms), "message": projected}


@routes.get("chat.getMessage", auth=True)
async def chat_get_message(ctx: Context) -> dict[str, Any]:
    """A message by id, for users who can access its room (the SDK's retried-send lookup)."""
    message_id = ctx.params.get("msgId") if isinstance(ctx.params, dict) else None
    if not message_id:
        raise Failure('The "msgId" query parameter must be provided.')
    message = ctx.store.messages.get(str(message_id))
    room = ctx.store.rooms.get(message["rid"]) if message else None
    if message is None or room is None:
        raise Failure()
    if not auth.can_access_room(ctx.me, room):
        raise MeteorError("error-not-allowed", "Not allowed")
    return {"message": message}


def _room_from_params(ctx: Context, params: dict[str, Any]) -> Doc | None:
    return groups.find_room(ctx.state, params.get("roomId"), params.get("roomName"))


@routes.get("rooms.info", auth=True)
async def rooms_info(ctx: Context) -> dict[str, Any]:
    room = _room_from_params(ctx, ctx.params)
    if room is None or not auth.can_access_room(ctx.me, room):
        raise Failure("not-allowed")
    return {"room": room}


@routes.post("groups.create", auth=True, permissions=("create-p",))
async def groups_create(ctx: Context) -> dict[str, Any]:
    params = ctx.params if isinstance(ctx.params, dict) else {}
    name = params.get("name")
    if not name:
        raise MeteorError("error-param-not-provided", 'Body param "name" is required')
    room = groups.create_group(
        ctx.state,
        ctx.me,
        name,
        params.get("members") or [],
        read_only=bool(params.get("readOnly", False)),
    )
    return {"group": room}


@routes.post("groups.delete", auth=True)
async def groups_delete(ctx: Context) -> dict[str, Any]:
    params = ctx.params if isinstance(ctx.params, dict) else {}
    room = _room_from_params(ctx, params)
    if room is None or room.get("t") != "p":
        raise MeteorError("error-room-not-found", _ROOM_NOT_FOUND)
    owner = room.get("u", {}).get("_id") == ctx.me["_id"]
    if not owner and not auth.has_permission(ctx.user, "delete-p"):
        raise PlainError("error-not-allowed")
    groups.delete_group(ctx.state, room)
    return {}
