"""Receive Rocket.Chat's Omnichannel webhooks ("CRM integration"): typed events and a receiver.

Rocket.Chat POSTs one JSON body per event to ``Livechat_webhookUrl``, with the secret
``Livechat_secret_token`` in the ``X-RocketChat-Livechat-Token`` header (left out when the secret
is empty). Only a 200 answer counts; 5xx, 429 and network errors are retried (5 attempts,
4 × ``Livechat_http_timeout`` apart), other statuses are dropped. The 200 answer's body becomes the
room's ``crmData``. Reference: Rocket.Chat ``apps/meteor/app/livechat/server/hooks/sendToCRM.ts``
and ``lib/webhooks.ts``.

* :func:`parse_webhook` checks one request (constant-time token check, size limit, JSON object
  with a ``type``) and returns a typed event, one of :data:`WebhookEvent`.
* :class:`WebhookReceiver` is a pure ASGI app (no extra dependency; serve it with any ASGI server,
  e.g. uvicorn from the ``server`` extra) that answers 200 at once, then runs your handlers in
  order per room, and ignores redeliveries::

      from rocketchat_livechat.webhooks import MessageEvent, WebhookReceiver

      receiver = WebhookReceiver(secret="the Livechat_secret_token")

      @receiver.on_message
      async def relay(event: MessageEvent) -> None:
          if event.message and event.message.from_agent:
              await send_to_whatsapp(event.visitor.token, event.message.text)

      # uvicorn module:receiver

FastAPI / Starlette (the handlers run on the app's loop after the answer)::

    @app.post("/rocketchat")
    async def rocketchat(request: Request) -> Response:
        answer = await receiver.handle(await request.body(), request.headers)
        return Response(answer.body, answer.status, headers=dict(answer.headers))

Flask or any WSGI app (the handlers run on the receiver's own loop in a daemon thread)::

    @app.post("/rocketchat")
    def rocketchat():
        answer = receiver.handle_sync(request.get_data(), request.headers)
        return answer.body, answer.status, answer.headers

Without the receiver (your own queueing)::

    try:
        event = parse_webhook(body, headers, secret=SECRET)
    except WebhookError as exc:  # WebhookAuthenticationError, InvalidWebhookError
        return exc.code          # 401/403/400/413: Rocket.Chat does not retry those
"""

from __future__ import annotations

from ..errors import (
    InvalidWebhookError,
    WebhookAuthenticationError,
    WebhookError,
    WebhookPayloadTooLargeError,
)
from .events import (
    EVENT_TYPES,
    TEST_PAYLOAD_ROOM_ID,
    LeadCaptureEvent,
    LivechatEditEvent,
    LivechatOfflineMessageEvent,
    LivechatSessionEvent,
    LivechatSessionForwardedEvent,
    LivechatSessionQueuedEvent,
    LivechatSessionStartEvent,
    LivechatSessionTakenEvent,
    MessageEvent,
    OfflineVisitor,
    RoomEvent,
    UnknownWebhookEvent,
    WebhookAgent,
    WebhookEvent,
    WebhookMessage,
    WebhookVisitor,
)
from .parsing import DEFAULT_MAX_BODY_SIZE, TOKEN_HEADER, check_token, parse_webhook
from .receiver import Handler, WebhookReceiver, WebhookResponse

__all__ = [
    "DEFAULT_MAX_BODY_SIZE",
    "EVENT_TYPES",
    "TEST_PAYLOAD_ROOM_ID",
    "TOKEN_HEADER",
    "Handler",
    "InvalidWebhookError",
    "LeadCaptureEvent",
    "LivechatEditEvent",
    "LivechatOfflineMessageEvent",
    "LivechatSessionEvent",
    "LivechatSessionForwardedEvent",
    "LivechatSessionQueuedEvent",
    "LivechatSessionStartEvent",
    "LivechatSessionTakenEvent",
    "MessageEvent",
    "OfflineVisitor",
    "RoomEvent",
    "UnknownWebhookEvent",
    "WebhookAgent",
    "WebhookAuthenticationError",
    "WebhookError",
    "WebhookEvent",
    "WebhookMessage",
    "WebhookPayloadTooLargeError",
    "WebhookReceiver",
    "WebhookResponse",
    "WebhookVisitor",
    "check_token",
    "parse_webhook",
]
