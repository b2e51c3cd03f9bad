"""A website's visitor chat: a Starlette back end and the page that talks to it (index.html).

Run it against a server (an embedded one: ``rocketchat-livechat serve``), then open
http://127.0.0.1:8000 ::

    python examples/website_chat/app.py --server http://127.0.0.1:3000 --port 8000

The browser never sees the visitor token: the back end keeps it, keyed by an HttpOnly session
cookie, and talks to Rocket.Chat as the visitor. Agent replies reach the page as server-sent
events (``GET /chat/events``), from the visitor's realtime stream. With no agent online the
page offers the offline form instead. Needs ``pip install 'rocketchat-livechat[server]'``
(Starlette and uvicorn).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from rocketchat_livechat import (
    APIError,
    AsyncLivechatClient,
    BadRequestError,
    InvalidArgumentError,
    NoAgentOnlineError,
    new_visitor_token,
)
from rocketchat_livechat.models import Message
from rocketchat_livechat.realtime import MessageEvent, RoomClosedEvent

PAGE = Path(__file__).with_name("index.html")
COOKIE = "chat_session"


@dataclass
class Visitor:
    """What the back end keeps per browser session (in memory here; a database in production)."""

    name: str
    token: str
    rid: str | None = None


def shown(message: Message, visitor: Visitor) -> dict[str, Any]:
    """A message as the page shows it: who, and what (never the token)."""
    author = "you" if message.token == visitor.token else message.u and message.u.username
    return {"id": message.id, "from": author, "text": message.msg}


async def json_object(request: Request) -> dict[str, Any]:
    """The request's JSON object; anything else is the client's mistake (400)."""
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise HTTPException(400, "a JSON object, please")
    return body


def create_app(server_url: str) -> Starlette:
    """The back end for ``server_url``'s Omnichannel."""
    sessions: dict[str, Visitor] = {}
    client = AsyncLivechatClient(server_url)

    def visitor_of(request: Request) -> Visitor | None:
        return sessions.get(request.cookies.get(COOKIE, ""))

    async def page(request: Request) -> Response:
        return FileResponse(PAGE)

    async def start(request: Request) -> Response:
        form = await json_object(request)
        name, email = str(form.get("name") or "").strip(), form.get("email") or None
        if not name:
            return JSONResponse({"error": "a name, please"}, status_code=400)
        token = new_visitor_token()
        registered = await client.visitor.register_visitor(token, name=name, email=email)
        visitor = Visitor(name, registered.token or token)
        with contextlib.suppress(NoAgentOnlineError):  # then the page shows the offline form
            visitor.rid = (await client.room.get_room(visitor.token)).room.id
        session = secrets.token_urlsafe(24)
        sessions[session] = visitor
        answer = JSONResponse({"online": visitor.rid is not None, "name": name})
        answer.set_cookie(COOKIE, session, httponly=True, samesite="strict")
        return answer

    async def send(request: Request) -> Response:
        visitor = visitor_of(request)
        if visitor is None or visitor.rid is None:
            return JSONResponse({"error": "no chat: start one first"}, status_code=409)
        text = str((await json_object(request)).get("text") or "")
        sent = await client.messages.send_message(visitor.token, visitor.rid, text)
        return JSONResponse(shown(sent, visitor))

    async def messages(request: Request) -> Response:
        visitor = visitor_of(request)
        if visitor is None or visitor.rid is None:
            return JSONResponse({"error": "no chat: start one first"}, status_code=409)
        history = await client.messages.get_message_history(visitor.rid, visitor.token)
        said = [shown(m, visitor) for m in reversed(history) if not m.is_system]
        return JSONResponse(said)

    async def events(request: Request) -> Response:
        visitor = visitor_of(request)
        if visitor is None or visitor.rid is None:
            return JSONResponse({"error": "no chat: start one first"}, status_code=409)
        return StreamingResponse(
            live(visitor), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
        )

    async def live(visitor: Visitor) -> AsyncIterator[str]:
        assert visitor.rid is not None
        async with client.realtime.connect(visitor.token, rooms=[visitor.rid]) as stream:
            yield ": connected\n\n"  # subscribed: nothing sent from now on is missed
            async for event in stream:
                if isinstance(event, MessageEvent) and not event.message.is_system:
                    yield f"data: {json.dumps(shown(event.message, visitor))}\n\n"
                elif isinstance(event, RoomClosedEvent):
                    yield "event: closed\ndata: {}\n\n"
                    return

    async def offline(request: Request) -> Response:
        form = await json_object(request)
        await client.messages.send_offline_message(
            str(form.get("name") or ""), str(form.get("email") or ""), str(form.get("text") or "")
        )
        return JSONResponse({"sent": True})

    async def close(request: Request) -> Response:
        visitor = sessions.pop(request.cookies.get(COOKIE, ""), None)
        if visitor is not None and visitor.rid is not None:
            await client.room.close_room(visitor.rid, visitor.token)
        return JSONResponse({"closed": visitor is not None})

    async def refused(request: Request, exc: Exception) -> Response:
        """Rocket.Chat's refusal (or a bad argument) as a 4xx the page can show."""
        assert isinstance(exc, APIError)
        status = 400 if isinstance(exc, InvalidArgumentError | BadRequestError) else 502
        return JSONResponse({"error": exc.error or str(exc)}, status_code=status)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with client:
            yield

    return Starlette(
        routes=[
            Route("/", page),
            Route("/chat/start", start, methods=["POST"]),
            Route("/chat/send", send, methods=["POST"]),
            Route("/chat/messages", messages),
            Route("/chat/events", events),
            Route("/chat/offline", offline, methods=["POST"]),
            Route("/chat/close", close, methods=["POST"]),
        ],
        exception_handlers={APIError: refused},
        lifespan=lifespan,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="Rocket.Chat's URL")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0: any free port")
    args = parser.parse_args()
    uvicorn.run(create_app(args.server), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
