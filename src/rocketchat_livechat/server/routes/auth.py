"""``login`` / ``logout`` / ``me`` (§4.1), 7.x response shapes."""

from __future__ import annotations

from typing import Any

from .. import auth
from ..api import Context, Result, RouteGroup
from ..errors import LoginFailed
from ..responses import json_response
from ..services import users
from ..state import ServerState
from ..store import Doc

routes = RouteGroup()


def _credentials(body: Any) -> tuple[str | None, Any, str | None]:
    """``(login, password, resume)`` from any of the accepted body shapes."""
    if not isinstance(body, dict):
        return None, None, None
    login = body.get("user") or body.get("username") or body.get("email")
    if isinstance(login, dict):
        login = login.get("username") or login.get("email")
    return (login if isinstance(login, str) else None), body.get("password"), body.get("resume")


def me_document(state: ServerState, user: Doc) -> Doc:
    """The ``me`` object of login and ``GET me``."""
    me = users.public_user(user)
    emails = user.get("emails") or []
    if emails:
        me["email"] = emails[0]["address"]
    me["avatarUrl"] = f"{str(state.settings['Site_Url']).rstrip('/')}/avatar/{user['username']}"
    me["settings"] = {"preferences": {}}
    return me


@routes.post("login")
async def login(ctx: Context) -> Result:
    name, password, resume = _credentials(ctx.params)
    user: Doc | None
    if isinstance(resume, str):
        user = users.find_by_token(ctx.state, resume)
        if user is None:
            raise LoginFailed(403, "You've been logged out by the server. Please log in again.")
    else:
        user = users.find_by_login(ctx.state, name) if name else None
        if user is None or not isinstance(password, str | dict):
            raise LoginFailed("Unauthorized", "Unauthorized")
        if not auth.verify_password(user, password):
            raise LoginFailed(403, "Incorrect password")
        if not user.get("active", True):
            raise LoginFailed("error-user-is-not-activated", "User is not activated")
    token = users.log_in(ctx.state, user["_id"])
    body = {
        "status": "success",
        "data": {"userId": user["_id"], "authToken": token, "me": me_document(ctx.state, user)},
    }
    if not ctx.line.has("login-success-key"):  # 6.14 (Restivus): no ``success`` key
        return json_response(body)
    return body


@routes.post("logout", auth=True)
async def logout(ctx: Context) -> dict[str, Any]:
    users.log_out(ctx.state, ctx.request.headers.get("x-auth-token", ""))
    return {"status": "success", "data": {"message": "You've been logged out!"}}


@routes.get("me", auth=True)
async def me(ctx: Context) -> dict[str, Any]:
    return me_document(ctx.state, ctx.me)
