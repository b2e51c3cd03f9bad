"""``/avatar/<username>``, ``/avatar/uid/<id>``, ``/avatar/room/<rid>``: letter avatars.

Rocket.Chat's ``server/routes/avatar/`` for users and rooms without an uploaded avatar:

* ``middlewares/auth.ts``: while ``Accounts_AvatarBlockUnauthenticatedAccess`` is on (the
  default), a request without a valid ``rc_uid``/``rc_token`` (query, else cookies) gets a
  bare ``200 image/svg+xml`` of the initials of the URL's name (``Anonymous``/``Room`` when
  empty; ``uid`` for ``/avatar/uid/...``), 200 units, no caching headers.
* ``user.ts``: any username renders (known or not); a leading ``@`` always renders the rest;
  ``UI_Use_Name_Avatar`` renders a known user's name with all initials. ``/avatar/uid/<id>``
  answers 404 for an unknown user. ``room.ts``: 404 for an unknown room, else its name
  (a livechat room's ``name``, ``fname`` or ``label``).
* ``utils.ts``: ``Cache-Control: public, max-age=<?cacheTime or Accounts_AvatarCacheTime>``,
  ``Content-Disposition: inline``, ``Last-Modified: Thu, 01 Jan 2015 00:00:00 GMT``, 304 when
  ``If-Modified-Since`` is that date; ``?size=`` sets the SVG size. No ``ETag``.

Where this differs: uploaded avatars, ``Accounts_AvatarExternalProviderUrl`` and discussions'
parent-room avatars do not exist here; ``?format=png|jpg|jpeg`` still answers the SVG (Rocket.Chat
converts it with ``sharp``); the unauthenticated fallback uses the decoded name without the query
string (Rocket.Chat renders the raw URL text, query included); a ``?cacheTime=`` that is not
printable ASCII is ignored instead of breaking the response.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import auth
from ..avatars import DEFAULT_SIZE, FALLBACK_LAST_MODIFIED, render_svg, requested_size
from ..state import ServerState
from ..store import Doc

SVG_TYPE = "image/svg+xml"

AvatarHandler = Callable[[Request, ServerState, str], Awaitable[Response]]


def _authenticated(state: ServerState, request: Request) -> bool:
    uid, token = request.query_params.get("rc_uid"), request.query_params.get("rc_token")
    if not uid:
        uid, token = request.cookies.get("rc_uid"), request.cookies.get("rc_token")
    return auth.authenticate(state.store, uid, token) is not None


def _cache_headers(state: ServerState, request: Request) -> dict[str, str]:
    cache_time = request.query_params.get("cacheTime")
    if not (cache_time and cache_time.isascii() and cache_time.isprintable()):
        cache_time = str(state.settings["Accounts_AvatarCacheTime"])
    return {"Cache-Control": f"public, max-age={cache_time}", "Content-Disposition": "inline"}


def _not_modified(request: Request) -> bool:
    return request.headers.get("if-modified-since") == FALLBACK_LAST_MODIFIED


def _svg(
    request: Request, name: str, headers: dict[str, str], *, all_initials: bool = False
) -> Response:
    """``serveSvgAvatarInRequestedFormat`` (always SVG here)."""
    size = requested_size(request.query_params.get("size"))
    headers = {**headers, "Last-Modified": FALLBACK_LAST_MODIFIED}
    body = render_svg(name, size, all_initials=all_initials)
    return Response(body, media_type=SVG_TYPE, headers=headers)


def _fallback_name(request: Request) -> str:
    """The name ``renderFallback`` reads after ``/avatar`` (``/roomba`` counts as a room)."""
    path = request.url.path[len("/avatar") :]
    parts = path.split("/")
    if path.startswith("/room"):
        return parts[2] if len(parts) > 2 and parts[2] else "Room"
    return parts[1] or "Anonymous"


def _protected(handler: AvatarHandler) -> Callable[[Request], Awaitable[Response]]:
    """Rocket.Chat's ``protectAvatarsWithFallback`` in front of ``handler``."""

    async def endpoint(request: Request) -> Response:
        state: ServerState = request.app.state.livechat
        blocked = state.settings["Accounts_AvatarBlockUnauthenticatedAccess"]
        if blocked and not _authenticated(state, request):
            svg = render_svg(_fallback_name(request), DEFAULT_SIZE, all_initials=True)
            return Response(svg, media_type=SVG_TYPE)
        return await handler(request, state, request.path_params["target"])

    return endpoint


def _user_named(state: ServerState, username: str) -> Doc | None:
    """``findOneByUsernameIgnoringCase``."""
    wanted = username.lower()
    return next(
        (u for u in state.store.users.find() if str(u.get("username", "")).lower() == wanted),
        None,
    )


async def user_avatar(request: Request, state: ServerState, username: str) -> Response:
    """``/avatar/<username>`` (``userAvatarByUsername``)."""
    if not username:
        return Response(status_code=404)
    headers = _cache_headers(state, request)
    use_name = bool(state.settings["UI_Use_Name_Avatar"])
    if username.startswith("@"):
        return _svg(request, username[1:], headers, all_initials=use_name)
    if _not_modified(request):
        return Response(status_code=304, headers=headers)
    user = _user_named(state, username) if use_name else None
    if user is not None and user.get("name"):
        return _svg(request, user["name"], headers, all_initials=True)
    return _svg(request, username, headers)


async def user_avatar_by_id(request: Request, state: ServerState, user_id: str) -> Response:
    """``/avatar/uid/<id>`` (``userAvatarById``)."""
    if not user_id:
        return Response(status_code=404)
    headers = _cache_headers(state, request)
    if _not_modified(request):
        return Response(status_code=304, headers=headers)
    user = state.store.users.get(user_id)
    if user is None or not user.get("username"):
        return Response(status_code=404, headers=headers)
    if state.settings["UI_Use_Name_Avatar"] and user.get("name"):
        return _svg(request, user["name"], headers, all_initials=True)
    return _svg(request, user["username"], headers)


def _room_name(room: Doc) -> str:
    """``roomCoordinator.getRoomName``: livechat ``name || fname || label``, others ``name``."""
    if room.get("t") == "l":
        return str(room.get("name") or room.get("fname") or room.get("label") or "")
    return str(room.get("name") or "")


async def room_avatar(request: Request, state: ServerState, rid: str) -> Response:
    """``/avatar/room/<rid>`` (``roomAvatar``)."""
    room = state.store.rooms.get(rid)
    if room is None:
        return Response(status_code=404)
    headers = _cache_headers(state, request)
    if _not_modified(request):
        return Response(status_code=304, headers=headers)
    return _svg(request, _room_name(room), headers)


_METHODS = ["GET", "HEAD"]

#: most specific first: ``/avatar/<username>`` would match the others
ROUTES = [
    Route("/avatar/room/{target:path}", _protected(room_avatar), methods=_METHODS),
    Route("/avatar/uid/{target:path}", _protected(user_avatar_by_id), methods=_METHODS),
    Route("/avatar/{target:path}", _protected(user_avatar), methods=_METHODS),
]
