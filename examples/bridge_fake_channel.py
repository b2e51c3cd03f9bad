"""A bridge between a fake outside channel and Omnichannel, driven by Rocket.Chat's webhook.

Run it against a server (an embedded one: ``rocketchat-livechat serve --admin-password secret``)::

    python examples/bridge_fake_channel.py --server http://127.0.0.1:3000 --port 8080 \\
        --admin-password secret

The fake channel stands for WhatsApp, SMS or an app: a contact "sends" a message by POSTing
``{"from": "+5511988887777", "text": "oi", "id": "msg-1", "name": "Maria"}`` to
``/channel/inbound`` (the ``id`` is the channel's own message id: a redelivery is ignored), and
what agents answer is "sent out" by printing ``-> +5511988887777: olá`` and listing it at
``GET /channel/outbox``. Rocket.Chat's webhook (Administration > Omnichannel > Webhooks) must
point at ``/rocketchat/webhook`` of this app with agent messages and chat close on; with the
admin's password the bridge sets that itself (and clears it on exit). Needs
``pip install 'rocketchat-livechat[server]'`` (Starlette and uvicorn).
"""

from __future__ import annotations

import argparse
import secrets
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from rocketchat_livechat import AsyncLivechatClient
from rocketchat_livechat.bridge import AgentMessage, LivechatBridge

WEBHOOK_PATH = "/rocketchat/webhook"


async def json_object(request: Request) -> dict[str, Any]:
    """The request's JSON object; anything else is the client's mistake (400)."""
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise HTTPException(400, "a JSON object, please")
    return body


def create_app(
    server_url: str,
    public_url: str,
    *,
    admin: tuple[str, str] | None = None,
    store: str = "memory://",
) -> Starlette:
    """The bridge app; with ``admin`` (username, password) it points Rocket.Chat's webhook here."""
    client = AsyncLivechatClient(server_url)
    bridge = LivechatBridge(client, channel="fake", secret=secrets.token_urlsafe(32), store=store)
    webhook_secret = secrets.token_urlsafe(24)
    receiver = bridge.webhook_receiver(webhook_secret)
    outbox: list[dict[str, Any]] = []

    @bridge.on_agent_message
    async def send_out(contact_id: str, message: AgentMessage) -> None:
        print(f"-> {contact_id}: {message.text}", flush=True)  # the channel's send() goes here
        outbox.append({"to": contact_id, "text": message.text, "agent": message.username})

    @bridge.on_chat_closed
    async def closed(contact_id: str) -> None:
        print(f"-- {contact_id}: the chat was closed", flush=True)

    async def inbound(request: Request) -> Response:
        body = await json_object(request)
        sender, text, message_id = (str(body.get(key) or "") for key in ("from", "text", "id"))
        if not (sender and text and message_id):
            return JSONResponse({"error": "from, text and id are required"}, status_code=400)
        sent = await bridge.deliver(
            sender, text=text, external_id=message_id, name=body.get("name"), phone=sender
        )
        return JSONResponse({"delivered": sent is not None}, status_code=202)

    async def webhook(request: Request) -> Response:
        answer = await receiver.handle(await request.body(), request.headers)
        return Response(answer.body, status_code=answer.status)

    async def show_outbox(request: Request) -> Response:
        return JSONResponse(outbox)

    async def point_webhook(url: str, secret: str) -> None:
        assert admin is not None
        async with AsyncLivechatClient(server_url) as settings:
            await settings.login(*admin)
            await settings.config.save_integration_settings(
                webhook_url=url, secret_token=secret, on_agent_message=True, on_close=True
            )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with client:
            if admin is not None:
                await point_webhook(public_url + WEBHOOK_PATH, webhook_secret)
            try:
                yield
            finally:
                if admin is not None:
                    await point_webhook("", "")
                bridge.close()

    return Starlette(
        routes=[
            Route("/channel/inbound", inbound, methods=["POST"]),
            Route("/channel/outbox", show_outbox),
            Route(WEBHOOK_PATH, webhook, methods=["POST"]),
        ],
        lifespan=lifespan,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="Rocket.Chat's URL")
    parser.add_argument("--port", type=int, default=8080, help="0: any free port")
    parser.add_argument("--public-url", help="how Rocket.Chat reaches this app (default: local)")
    parser.add_argument("--admin-user", default="admin")
    parser.add_argument("--admin-password", help="to point Rocket.Chat's webhook at this app")
    parser.add_argument("--store", default="memory://", help="e.g. sqlite:///bridge.db")
    args = parser.parse_args()
    listener = socket.create_server(("127.0.0.1", args.port))  # bound first: the port is known
    local = f"http://127.0.0.1:{listener.getsockname()[1]}"
    admin = (args.admin_user, args.admin_password) if args.admin_password else None
    app = create_app(args.server, args.public_url or local, admin=admin, store=args.store)
    print(f"bridge_fake_channel: listening on {local}", flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listener])


if __name__ == "__main__":
    main()
