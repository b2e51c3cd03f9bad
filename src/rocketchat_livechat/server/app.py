"""The Starlette application: REST under ``/api``, file downloads, DDP at ``/websocket``, the
official widget at ``/livechat``.

``create_app(state)`` wires a :class:`~.state.ServerState` (kept at ``app.state.livechat``) to
the routes. The caller owns the state and closes it after the app stops.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import ddp, files, sounds
from .api import API_PREFIX, ApiRouter, dispatch
from .responses import json_response
from .routes import ROUTE_GROUPS
from .routes.avatar import ROUTES as AVATAR_ROUTES
from .routes.info import info
from .state import ServerState
from .widget import WidgetBuild, widget_routes

log = logging.getLogger("rocketchat_livechat.server")


class _SafetyNet:
    """Outermost middleware: no-cache headers on every response, never a 500 page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
                message["headers"] = [
                    *message.get("headers", []),
                    *(h for h in extra if h[0] not in names),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            log.exception("unhandled error")
            if not started:
                response = json_response({"success": False, "error": str(exc)}, status=400)
                await response(scope, receive, send)


class _ApiV1:
    """Sends every ``/api/v1/...`` request to the REST dispatcher (any path characters)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.router = ApiRouter(ROUTE_GROUPS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(API_PREFIX):
            response = await dispatch(Request(scope, receive), self.router)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_app(state: ServerState, widget: WidgetBuild | None = None) -> Starlette:
    """Build the ASGI app serving ``state`` (and the official ``widget`` at ``/livechat``)."""

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await state.webhooks.start()  # the CRM webhook queue runs on the server's loop
        try:
            yield
        finally:
            await state.webhooks.stop()

    app = Starlette(
        lifespan=lifespan,
        middleware=[Middleware(_SafetyNet), Middleware(_ApiV1)],
        routes=[
            Route("/api/info", info, methods=["GET"]),
            Route("/api/info/", info, methods=["GET"]),
            Route("/file-upload/{file_id}/{name:path}", files.download, methods=["GET", "HEAD"]),
            *AVATAR_ROUTES,
            *sounds.ROUTES,
            *widget_routes(widget),
            WebSocketRoute("/websocket", ddp.websocket_endpoint),
        ],
    )
    app.state.livechat = state
    return app
