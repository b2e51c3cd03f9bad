"""``livechat/users/:type`` (agents and managers, §4.5)."""

from __future__ import annotations

import re
from typing import Any

from .. import auth
from ..api import Context, RouteGroup
from ..errors import Failure, Forbidden, MeteorError, PlainError
from ..services import users
from ..services.departments import department_ids_of
from ..store import Doc
from ..validation import rest_typings
from ._common import page, sort_spec

routes = RouteGroup()

ROLES = {"agent": "livechat-agent", "manager": "livechat-manager"}
LIST_QUERY = rest_typings("isLivechatUsersManagerGETProps")
ADD_BODY = rest_typings("isPOSTLivechatUsersTypeProps")
_FIELDS = ("_id", "username", "name", "status", "statusLivechat", "emails", "livechat")


def _role(ctx: Context) -> str:
    role = ROLES.get(ctx.path["type"])
    if role is None:
        raise PlainError("Invalid type")
    return role


def _view(ctx: Context, user: Doc, *, departments: bool = False) -> Doc:
    view = {k: user[k] for k in _FIELDS if k in user}
    if departments:
        view["departments"] = department_ids_of(ctx.state, user["_id"])
    return view


@routes.get("livechat/users/:type", auth=True, schema=LIST_QUERY)
async def list_users(ctx: Context) -> dict[str, Any]:
    role = _role(ctx)
    allowed = (
        auth.has_any_permission(ctx.user, ("transfer-livechat-guest", "edit-omnichannel-contact"))
        if role == "livechat-agent"
        else auth.has_permission(ctx.user, "view-livechat-manager")
    )
    if not allowed:
        raise Forbidden()
    p = ctx.params
    found = [
        u
        for u in ctx.store.users.find(sort=sort_spec(ctx, [("username", 1)]))
        if role in u.get("roles", [])
    ]
    if p.get("text"):
        pattern = re.compile(re.escape(p["text"]), re.IGNORECASE)
        found = [
            u for u in found if pattern.search(u["username"]) or pattern.search(u.get("name") or "")
        ]
    if p.get("onlyAvailable"):
        found = [u for u in found if u.get("statusLivechat") == "available"]
    if p.get("excludeId"):
        found = [u for u in found if u["_id"] != p["excludeId"]]
    result = page(ctx, "users", found)
    result["users"] = [_view(ctx, u, departments=True) for u in result["users"]]
    return result


@routes.post(
    "livechat/users/:type", auth=True, permissions=("view-livechat-manager",), schema=ADD_BODY
)
async def add_user(ctx: Context) -> dict[str, Any]:
    role = _role(ctx)
    user = ctx.store.users.find_one({"username": ctx.params["username"]})
    if user is None:
        raise MeteorError("error-invalid-user")
    users.add_role(ctx.state, user, role)
    return {"user": {"_id": user["_id"], "username": user["username"]}}


def _target(ctx: Context) -> Doc:
    user = ctx.store.users.get(ctx.path["_id"])
    if user is None:
        raise Failure("User not found")
    return user


@routes.get("livechat/users/:type/:_id", auth=True, permissions=("view-livechat-manager",))
async def get_user(ctx: Context) -> dict[str, Any]:
    role = _role(ctx)
    user = _target(ctx)
    return {"user": _view(ctx, user) if role in user.get("roles", []) else None}


@routes.delete("livechat/users/:type/:_id", auth=True, permissions=("view-livechat-manager",))
async def remove_user(ctx: Context) -> dict[str, Any]:
    role = _role(ctx)
    user = ctx.store.users.get(ctx.path["_id"])
    if user is None or not users.remove_role(ctx.state, user, role):
        raise Failure()
    return {}
