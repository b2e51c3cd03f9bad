"""Visitor messages (send, get, edit, delete, history, bulk import), offline messages, the
agent's own messages (send, edit, delete, file upload) and inbound SMS.

``GET livechat/messages/:rid``, which the REST reference (``omnichannel.yaml``) documents, does
not exist in Rocket.Chat 7.x/8.x (``apps/meteor/app/livechat/server/api/v1/message.ts`` serves
``livechat/messages.history/:rid``, :func:`get_message_history`; a ``livechat/messages/:rid``
route existed only in 0.x, as a POST). It is deliberately not declared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Unpack

from ...errors import InvalidArgumentError
from .. import parsing
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ..ids import new_message_id
from ..lazy import lazy_model
from ..request import Call, Request, Upload, json_body
from ..uploads import FileInput, Progress, UploadSource
from ._samples import MESSAGE, MESSAGE_ID, RID, TOKEN

if TYPE_CHECKING:
    from ...models import DeletedAgentMessage, DeletedMessage, Message, SentMessage, UploadedMedia
else:
    DeletedAgentMessage = lazy_model("DeletedAgentMessage")
    DeletedMessage = lazy_model("DeletedMessage")
    Message = lazy_model("Message")
    SentMessage = lazy_model("SentMessage")
    UploadedMedia = lazy_model("UploadedMedia")

_MESSAGE = parsing.under(Message, "message")


@endpoint(
    "GET",
    "livechat/message/{message_id}",
    parse=_MESSAGE,
    idempotent=True,
    schema="isGETLivechatMessageIdParams",
    samples=[Sample((MESSAGE_ID, TOKEN, RID), response={"message": MESSAGE})],
)
def get_message(message_id: str, token: str, rid: str, **options: Unpack[CallOptions]) -> Parts:
    """One message of the visitor's room."""
    return Parts(
        path={"message_id": v.path_segment("message_id", message_id)},
        params={"token": v.required_str("token", token), "rid": v.required_str("rid", rid)},
    )


@endpoint(
    "POST",
    "livechat/message",
    parse=_MESSAGE,
    idempotent=True,  # always carries an _id: a repeat is refused or recovered, never doubled
    schema="isPOSTLivechatMessageParams",
    samples=[
        Sample((TOKEN, RID, "Hello"), response={"message": MESSAGE}),
        Sample(
            (TOKEN, RID, "Hello"),
            {"message_id": MESSAGE_ID, "agent": {"agentId": "agent-1", "username": "agent"}},
            response={"message": MESSAGE},
        ),
    ],
)
def send_message(
    token: str,
    rid: str,
    msg: str,
    *,
    message_id: str | None = None,
    agent: Mapping[str, str] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Send a visitor message. Safe to retry: the SDK always sends a message id (generated
    when ``message_id`` is not given), and a retry that finds it already stored returns it."""
    message_id = v.optional_str("message_id", message_id) or new_message_id()
    body = json_body(
        token=v.required_str("token", token),
        rid=v.required_str("rid", rid),
        msg=v.required_str("msg", msg),
        _id=message_id,
        agent=_agent(agent),
    )
    return Parts(json=body, recover=lambda: get_message(message_id, token, rid))


@endpoint(
    "PUT",
    "livechat/message/{message_id}",
    parse=_MESSAGE,
    idempotent=True,
    schema="isPUTLivechatMessageIdParams",
    samples=[Sample((MESSAGE_ID, TOKEN, RID, "Hello!"), response={"message": MESSAGE})],
)
def update_message(
    message_id: str, token: str, rid: str, msg: str, **options: Unpack[CallOptions]
) -> Parts:
    """Edit one of the visitor's own messages."""
    return Parts(
        path={"message_id": v.path_segment("message_id", message_id)},
        json={
            "token": v.required_str("token", token),
            "rid": v.required_str("rid", rid),
            "msg": v.required_str("msg", msg),
        },
    )


@endpoint(
    "DELETE",
    "livechat/message/{message_id}",
    parse=parsing.under(DeletedMessage, "message"),
    schema="isDELETELivechatMessageIdParams",
    samples=[
        Sample((MESSAGE_ID, TOKEN, RID), response={"message": {"_id": MESSAGE_ID, "ts": None}})
    ],
)
def delete_message(message_id: str, token: str, rid: str, **options: Unpack[CallOptions]) -> Parts:
    """Delete one of the visitor's own messages."""
    # DELETE reads its parameters from the JSON body, not the query (livechat/message.ts)
    return Parts(
        path={"message_id": v.path_segment("message_id", message_id)},
        json={"token": v.required_str("token", token), "rid": v.required_str("rid", rid)},
    )


@endpoint(
    "GET",
    "livechat/messages.history/{rid}",
    parse=parsing.list_under(Message, "messages"),
    idempotent=True,
    schema="isGETLivechatMessagesHistoryRidParams",
    samples=[
        Sample((RID, TOKEN), response={"messages": [MESSAGE]}),
        Sample(
            (RID, TOKEN),
            {
                "ls": "2024-10-15T02:52:42.123Z",
                "end": "2024-10-16T00:00:00.000Z",
                "limit": 20,
                "offset": 40,
            },
            response={"messages": []},
        ),
    ],
)
def get_message_history(
    rid: str,
    token: str,
    *,
    ls: str | datetime | None = None,
    end: str | datetime | None = None,
    limit: int | None = None,
    offset: int | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of the room's messages, newest first (server default limit: 20).
    ``end`` keeps only messages strictly older than it."""
    return Parts(
        path={"rid": v.path_segment("rid", rid)},
        params={
            "token": v.required_str("token", token),
            "ls": v.optional_timestamp("ls", ls),
            "end": v.optional_timestamp("end", end),
            "limit": v.optional_int("limit", limit, minimum=1),
            "offset": v.optional_int("offset", offset),
        },
    )


@endpoint(
    "POST",
    "livechat/messages",
    parse=parsing.list_under(SentMessage, "messages"),
    auth="user",
    schema="isGETLivechatMessagesParams",  # rest-typings' name for this POST's validator
    samples=[
        Sample(
            (TOKEN, ["Hello", "Anyone there?"]),
            response={
                "messages": [
                    {"username": "guest-1", "msg": "Hello", "ts": "2024-10-15T02:52:42.123Z"},
                    {
                        "username": "guest-1",
                        "msg": "Anyone there?",
                        "ts": "2024-10-15T02:52:42.150Z",
                    },
                ]
            },
        )
    ],
)
def send_messages(token: str, messages: Sequence[str], **options: Unpack[CallOptions]) -> Parts:
    """Store several messages as the visitor's (imports, migrations), as any logged-in user.

    They go to the visitor's first open room, or to a new room (routed like any new chat).
    Rocket.Chat 7.x/8.x register an unknown token's visitor but then refuse the call with
    ``error-invalid-token`` (:class:`~rocketchat_livechat.InvalidTokenError`); the same call
    succeeds the second time. Not safe to retry: a repeat stores the messages again."""
    if isinstance(messages, str | bytes) or not isinstance(messages, Sequence):
        raise InvalidArgumentError("messages", "expected a list of strings")
    if not messages:
        raise InvalidArgumentError("messages", "expected at least one message")
    return Parts(
        json={
            "visitor": {"token": v.required_str("token", token)},
            "messages": [
                {"msg": v.required_str(f"messages[{i}]", m)} for i, m in enumerate(messages)
            ],
        }
    )


SMS_FIELDS = {"From": "+15550001111", "To": "+15559990000", "Body": "Hi from my phone"}


@endpoint(
    "POST",
    "livechat/sms-incoming/{service}",
    parse=parsing.raw_text,
    samples=[
        Sample(
            ("twilio", SMS_FIELDS), {"signature": "c2lnbmF0dXJl"}, response="<Response></Response>"
        ),
        Sample(
            ("twilio", {**SMS_FIELDS, "NumMedia": "0", "FromCountry": "US"}),
            {"department": "dep-1"},
            response="<Response></Response>",
        ),
    ],
)
def receive_sms(
    service: str,
    fields: Mapping[str, str],
    *,
    signature: str | None = None,
    department: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Deliver an inbound SMS the way the provider's webhook does (bridges, tests).

    ``service`` is the provider (``twilio``; it must be the server's ``SMS_Service`` with
    ``SMS_Enabled`` on); ``fields`` are the provider's fields (Twilio: ``From``, ``To``,
    ``Body``, optional ``NumMedia``/``MediaUrl0``/``MediaContentType0``, ``FromCountry``,
    ``FromState``, ``FromCity``, ``FromZip``, ``Latitude``, ``Longitude``), sent as JSON;
    ``signature`` is the ``X-Twilio-Signature`` header; ``department`` (id or name) overrides
    ``SMS_Default_Omnichannel_Department``. The server finds or creates the visitor by phone
    number and its open SMS room, and stores the text as a visitor message. Returns the
    provider's answer (Twilio: TwiML, ``<Response></Response>``). Refusals: ``Invalid service``,
    ``Invalid request`` (signature), ``error-sms-service-disabled``, ``Invalid data``."""
    mapping = v.optional_mapping("fields", fields)
    if mapping is None:
        raise InvalidArgumentError("fields", "expected a mapping of strings")
    body = {v.required_str("fields", k): _field(f"fields[{k!r}]", x) for k, x in mapping.items()}
    headers = {}
    if signature is not None:
        headers["X-Twilio-Signature"] = v.header_value("signature", signature)
    return Parts(
        path={"service": v.path_segment("service", service)},
        params={"department": v.optional_str("department", department)},
        json=body,
        headers=headers,
    )


def _field(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise InvalidArgumentError(name, f"expected a string, got {type(value).__name__}")
    return value


@endpoint(
    "POST",
    "livechat/offline.message",
    parse=parsing.text_under("message"),
    schema="isPOSTLivechatOfflineMessageParams",
    samples=[
        Sample(("Alice", "alice@example.com", "Call me"), response={"message": "Sent"}),
        Sample(
            ("Alice", "alice@example.com", "Call me"),
            {"department": "dep-1", "host": "example.com"},
            response={"message": "Sent"},
        ),
    ],
)
def send_offline_message(
    name: str,
    email: str,
    message: str,
    *,
    department: str | None = None,
    host: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Leave a message when no agent is online (e-mailed by the server)."""
    return Parts(
        json=json_body(
            name=v.required_str("name", name),
            email=v.required_str("email", email),
            message=v.required_str("message", message),
            department=v.optional_str("department", department),
            host=v.optional_str("host", host),
        )
    )


@endpoint(
    "POST",
    "chat.sendMessage",
    parse=_MESSAGE,
    auth="user",
    idempotent=True,  # made idempotent by its _id, like send_message
    schema="isChatSendMessageProps",
    samples=[
        Sample((RID, "Hi, how can I help?"), response={"message": MESSAGE}),
        Sample((RID, "Hi"), {"message_id": MESSAGE_ID}, response={"message": MESSAGE}),
    ],
)
def send_agent_message(
    rid: str, msg: str, *, message_id: str | None = None, **options: Unpack[CallOptions]
) -> Parts:
    """Reply in a room as the logged-in agent (``chat.sendMessage``); safe to retry."""
    message_id = v.optional_str("message_id", message_id) or new_message_id()
    body = {
        "message": {
            "rid": v.required_str("rid", rid),
            "msg": v.required_str("msg", msg),
            "_id": message_id,
        }
    }
    return Parts(json=body, recover=lambda: _agent_message_lookup(message_id))


@endpoint(
    "POST",
    "chat.update",
    parse=_MESSAGE,
    auth="user",
    idempotent=True,  # setting the same text again changes nothing
    schema="isChatUpdateProps",
    samples=[Sample((RID, MESSAGE_ID, "Hello, edited"), response={"message": MESSAGE})],
)
def update_agent_message(
    rid: str, message_id: str, msg: str, **options: Unpack[CallOptions]
) -> Parts:
    """Edit a message in a room as the logged-in user (``chat.update``).

    Rocket.Chat lets the author edit while ``Message_AllowEditing`` is on and the message is
    younger than ``Message_AllowEditing_BlockEditInMinutes`` (``MessageEditingBlockedError``);
    ``edit-message`` holders edit anyone's. A message of another room is refused
    (``InvalidMessageError``). The visitor sees the edit as a message with ``edited_at`` set.
    (apps/meteor/app/api/server/v1/chat.ts, app/lib/server/methods/updateMessage.ts)
    """
    return Parts(
        json={
            "roomId": v.required_str("rid", rid),
            "msgId": v.required_str("message_id", message_id),
            "text": v.required_str("msg", msg),
        }
    )


@endpoint(
    "POST",
    "chat.delete",
    parse=parsing.whole(DeletedAgentMessage),
    auth="user",
    schema="isChatDeleteProps",
    samples=[
        Sample(
            (RID, MESSAGE_ID),
            response={"_id": MESSAGE_ID, "ts": "1733112345678", "message": MESSAGE},
        ),
        Sample(
            (RID, MESSAGE_ID),
            {"as_user": True},
            response={"_id": MESSAGE_ID, "ts": "1733112345678", "message": MESSAGE},
        ),
    ],
)
def delete_agent_message(
    rid: str, message_id: str, *, as_user: bool | None = None, **options: Unpack[CallOptions]
) -> Parts:
    """Delete a message in a room as the logged-in user (``chat.delete``).

    Needs ``Message_AllowDeleting`` and ``delete-own-message`` (own messages) or
    ``delete-message`` (anyone's), within ``Message_AllowDeleting_BlockDeleteInMinutes``;
    ``force-delete-message`` bypasses all of it. ``as_user=True`` deletes another user's message
    as its author (``force-delete-message`` only). The visitor's stream announces the removal.
    (apps/meteor/app/api/server/v1/chat.ts, app/lib/server/functions/deleteMessage.ts)
    """
    return Parts(
        json=json_body(
            roomId=v.required_str("rid", rid),
            msgId=v.required_str("message_id", message_id),
            asUser=v.optional_bool("as_user", as_user),
        )
    )


def _upload_source(file: FileInput, filename: str | None, content_type: str | None) -> UploadSource:
    return UploadSource(
        file,
        filename=v.optional_str("filename", filename),
        content_type=None if content_type is None else v.header_value("content_type", content_type),
    )


def _progress(progress: Progress | None) -> Progress | None:
    if progress is not None and not callable(progress):
        raise InvalidArgumentError("progress", "expected a callable(sent, total)")
    return progress


@endpoint(
    "POST",
    "rooms.media/{rid}",
    parse=parsing.under(UploadedMedia, "file"),
    auth="user",
    samples=[
        Sample(
            (RID, b"hello"), response={"file": {"_id": "file-1", "url": "/file-upload/file-1/a"}}
        ),
        Sample(
            (RID, b"%PDF"),
            {"filename": "q3.pdf", "content_type": "application/pdf"},
            response={"file": {"_id": "file-1", "url": "/file-upload/file-1/q3.pdf"}},
        ),
    ],
)
def upload_agent_media(
    rid: str,
    file: FileInput,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    progress: Progress | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Step 1 of an agent upload on Rocket.Chat >= 7.0 (``rooms.media/:rid``): store the file,
    streamed, without posting it; :meth:`confirm_agent_media` posts it. Use
    :meth:`upload_agent_file`, which does both (or ``rooms.upload`` on older servers)."""
    source = _upload_source(file, filename, content_type)
    return Parts(
        path={"rid": v.path_segment("rid", rid)},
        upload=Upload(source, {}, _progress(progress)),
    )


@endpoint(
    "POST",
    "rooms.mediaConfirm/{rid}/{file_id}",
    parse=_MESSAGE,
    auth="user",
    samples=[
        Sample((RID, "file-1"), response={"message": MESSAGE}),
        Sample(
            (RID, "file-1"),
            {"msg": "the report", "description": "Q3"},
            response={"message": MESSAGE},
        ),
    ],
)
def confirm_agent_media(
    rid: str,
    file_id: str,
    *,
    msg: str | None = None,
    description: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Step 2 of an agent upload on Rocket.Chat >= 7.0 (``rooms.mediaConfirm/:rid/:fileId``):
    post the file stored by :meth:`upload_agent_media` as a message (``file``, ``files``,
    ``attachments``) with the text ``msg`` and the file's ``description``."""
    return Parts(
        path={"rid": v.path_segment("rid", rid), "file_id": v.path_segment("file_id", file_id)},
        json=json_body(
            msg=v.optional_str("msg", msg), description=v.optional_str("description", description)
        ),
    )


@endpoint(
    "POST",
    "rooms.upload/{rid}",
    parse=_MESSAGE,
    auth="user",
    samples=[
        Sample((RID, b"hello"), response={"message": MESSAGE}),
        Sample(
            (RID, b"%PDF"),
            {
                "description": "Q3",
                "msg": "the report",
                "filename": "q3.pdf",
                "content_type": "application/pdf",
            },
            response={"message": MESSAGE},
        ),
    ],
)
def upload_agent_file_legacy(
    rid: str,
    file: FileInput,
    *,
    description: str | None = None,
    msg: str | None = None,
    filename: str | None = None,
    content_type: str | None = None,
    progress: Progress | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """An agent upload in one request on Rocket.Chat < 7.0 (``rooms.upload/:rid``, deprecated in
    7.x, removed in 8.0). Use :meth:`upload_agent_file`, which picks the route."""
    source = _upload_source(file, filename, content_type)
    fields = json_body(
        msg=v.optional_str("msg", msg), description=v.optional_str("description", description)
    )
    return Parts(
        path={"rid": v.path_segment("rid", rid)},
        upload=Upload(source, fields, _progress(progress)),
    )


def _agent_message_lookup(message_id: str) -> Call[Message]:
    """``chat.getMessage``: how a retried agent reply finds the message it already stored."""
    request = Request(
        "GET",
        "chat.getMessage",
        "chat.getMessage",
        params=[("msgId", message_id)],
        auth="user",
        idempotent=True,
    )
    return Call(request, _MESSAGE)


def _agent(agent: object) -> dict[str, str] | None:
    mapping = v.optional_mapping("agent", agent)
    if mapping is None:
        return None
    if set(mapping) != {"agentId", "username"}:
        raise InvalidArgumentError("agent", "expected exactly {'agentId': ..., 'username': ...}")
    return {k: v.required_str(f"agent.{k}", mapping[k]) for k in ("agentId", "username")}
