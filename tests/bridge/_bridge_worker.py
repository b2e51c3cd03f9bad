"""One bridge worker process, for the kill -9 tests.

    python _bridge_worker.py RC_URL STORE PORT OUTBOX

``POST /inbound`` ``{"contact", "text", "external_id"}`` delivers one outside message (200, or
503 when it could not: the channel sends it again); every other path is the bridge's webhook
receiver. Agent messages are appended to the file OUTBOX, one JSON line each, synced.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

import uvicorn

from rocketchat_livechat import APIError, AsyncLivechatClient
from rocketchat_livechat.bridge import AgentMessage, LivechatBridge

SECRET = "worker-bridge-secret-0123456789"
HOOK_SECRET = "worker-hook-secret"


async def main(rc_url: str, store: str, port: int, outbox: str) -> None:
    async with AsyncLivechatClient(rc_url) as client:
        bridge = LivechatBridge(client, channel="wa", secret=SECRET, store=store)

        @bridge.on_agent_message
        async def send_out(contact: str, message: AgentMessage) -> None:
            line = json.dumps({"contact": contact, "id": message.id, "text": message.text})
            with open(outbox, "a") as sink:
                sink.write(line + "\n")
                sink.flush()
                os.fsync(sink.fileno())

        receiver = bridge.webhook_receiver(HOOK_SECRET)

        async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http" or scope["path"] != "/inbound":
                await receiver(scope, receive, send)
                return
            body = b""
            while True:
                message = await receive()
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
            status = 200
            if body:
                data = json.loads(body)
                try:
                    await bridge.deliver(
                        data["contact"], text=data["text"], external_id=data["external_id"]
                    )
                except APIError:
                    status = 503
            await send({"type": "http.response.start", "status": status, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        await uvicorn.Server(config).serve()


if __name__ == "__main__":
    rc, store_url, port_text, outbox_path = sys.argv[1:5]
    asyncio.run(main(rc, store_url, int(port_text), outbox_path))
