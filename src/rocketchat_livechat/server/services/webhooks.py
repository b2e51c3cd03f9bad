"""Omnichannel "CRM integration" webhooks: which event fires when, and its payload.

Rocket.Chat 8.x, ``apps/meteor/app/livechat/server/hooks/sendToCRM.ts`` (``sendToCRM``,
``getAdditionalFieldsByType``, the ``callbacks.add`` gates), ``lib/hooks.ts`` (start, queued,
taken since #35970, with the #36193 fix), ``lib/guests.ts`` (``getLivechatRoomGuestInfo``) and
``hooks/offlineMessage.ts``; see ``shared/rocketchat-webhooks-bridges-8x.md`` §1.

The service functions here run at the trigger points, inside the request's transaction: they
check the gate, build the payload from the state as it is then, and *publish* it on the internal
:data:`WEBHOOK_STREAM` of the broadcaster. Like the realtime events, it is held until the
request's commit and dropped when the request fails (:meth:`.ServerState.write`); the delivery
queue (:mod:`..webhooks`) listens on the broadcaster and posts it after the commit. No DDP
client can subscribe to that stream (it is not one of Rocket.Chat's).

Embedded-server notes:

* ``visitor.os`` / ``visitor.browser`` / ``visitor.ip`` appear only when the visitor document
  holds them (the embedded server stores no user agent), and the agent's ``customFields``
  (``parseAgentCustomFields``, fields flagged ``sendToIntegrations``) are never sent: the
  embedded server has no ``Accounts_CustomFields``.
* ``LivechatSessionQueued`` fires for a new room that lands in the queue (``livechat.chatQueued``
  from ``QueueManager``), not for a room returned to the queue by a transfer.
* Lead capture only emits the webhook; it does not copy e-mails or phones into the visitor.
* Navigation messages (``page.visited``) appear in ``messages[]`` when both navigation settings
  are on, but do not fire a ``Message`` event of their own.
* ``LivechatOfflineMessage`` needs a URL too (Rocket.Chat's hook would try an empty URL and
  fail each attempt).
* The retry policy follows the line (:mod:`..versions` ``webhook-retry-policy``): 5 attempts on
  5xx/429/network only from 7.11, 10 attempts on any non-200 on 6.14 and 7.10. Delivery is
  fire-and-forget on every line: the 6.5–7.10 ``await sendRequest`` (the saving request waited
  for the webhook) is not emulated, nor is the #35970 inverted-Taken bug.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Literal

from .. import files
from ..state import ServerState
from ..store import Doc

#: internal broadcaster stream carrying ``[payload, rid | None]`` (``event_name`` = type)
WEBHOOK_STREAM = "livechat-crm-webhook"

CRMAction = Literal[
    "LivechatSessionStart",
    "LivechatSessionQueued",
    "LivechatSession",
    "LivechatSessionTaken",
    "LivechatSessionForwarded",
    "LivechatEdit",
    "Message",
    "LeadCapture",
]

NAVIGATION_TYPE = "livechat_navigation_history"
CLOSING_TYPE = "livechat-close"

#: the sample ``POST livechat/webhook.test`` sends (``api/v1/webhooks.ts``); dates added per call
TEST_SAMPLE_ID = "fasd6f5a4sd6f8a4sdf"


def enabled(state: ServerState) -> bool:
    """A webhook URL is set (``sendToCRM`` returns at once otherwise)."""
    return bool(state.settings["Livechat_webhookUrl"])


def _gate(state: ServerState, setting: str) -> bool:
    return enabled(state) and bool(state.settings[setting])


def _publish(state: ServerState, payload: Doc, rid: str | None) -> None:
    # a snapshot: stored documents it shares parts with may change before it is posted
    snapshot = copy.deepcopy(payload)
    state.broadcaster.publish(WEBHOOK_STREAM, str(payload["type"]), [snapshot, rid])


def _compact(doc: dict[str, Any]) -> dict[str, Any]:
    """JSON drops ``undefined``: keys whose source is missing are left out."""
    return {k: v for k, v in doc.items() if v is not None}


# ---------------------------------------------------------------------------------------------
# payload


def send_message_type(state: ServerState, t: str) -> bool:
    """``sendMessageType``: the only system messages sent to the CRM."""
    if t == CLOSING_TYPE:
        return True
    if t == NAVIGATION_TYPE:
        return bool(
            state.settings["Livechat_Visitor_navigation_as_a_message"]
            and state.settings["Send_visitor_navigation_history_livechat_webhook_request"]
        )
    return False


def guest_info(state: ServerState, room: Doc) -> Doc | None:
    """``getLivechatRoomGuestInfo``; ``None`` when the room's visitor is gone or disabled."""
    visitor = state.store.visitors.get(room.get("v", {}).get("_id", ""))
    if visitor is None or visitor.get("disabled"):
        return None
    guest = _compact(
        {
            "_id": visitor["_id"],
            "token": visitor.get("token"),
            "name": visitor.get("name"),
            "username": visitor.get("username"),
            "department": visitor.get("department"),
            "ip": visitor.get("ip"),
            "os": visitor.get("os"),
            "browser": visitor.get("browser"),
            "customFields": visitor.get("livechatData"),
        }
    )
    if visitor.get("visitorEmails"):
        guest["email"] = visitor["visitorEmails"]
    if visitor.get("phone"):
        guest["phone"] = visitor["phone"]
    data = _compact(
        {
            "_id": room["_id"],
            "label": room.get("fname") or room.get("label"),
            "topic": room.get("topic"),
            "createdAt": room.get("ts"),
            "lastMessageAt": room.get("lm"),
            "tags": room.get("tags"),
            "customFields": room.get("livechatData"),
        }
    )
    data["visitor"] = guest
    served = (room.get("servedBy") or {}).get("_id")
    agent = state.store.users.get(served) if served else None
    if agent is not None:
        info = _compact(
            {"_id": agent["_id"], "username": agent.get("username"), "name": agent.get("name")}
        )
        emails = agent.get("emails") or []
        if emails:
            info["email"] = emails[0].get("address")
        data["agent"] = info
    if room.get("crmData"):
        data["crmData"] = room["crmData"]
    return data


def message_item(state: ServerState, message: Doc, visitor_username: str | None) -> Doc:
    """One entry of ``messages[]`` (``sendToCRM`` + ``normalizeMessageFileUpload``)."""
    blocks = message.get("blocks")
    text = message.get("msg") or (
        json.dumps(blocks, separators=(",", ":")) if blocks is not None else None
    )
    user = message.get("u") or {}
    item: dict[str, Any] = {"u": user, "_id": message["_id"], "username": user.get("username")}
    if text is not None:
        item["msg"] = text
    if blocks:
        item["blocks"] = blocks
    item["ts"] = message.get("ts")
    item["rid"] = message.get("rid")
    if message.get("editedAt") and message.get("editedBy"):
        item["editedAt"] = message["editedAt"]
    if user.get("username") != visitor_username:
        item["agentId"] = user.get("_id")
    if message.get("t") == NAVIGATION_TYPE:
        item["navigation"] = message.get("navigation")
    if message.get("t") == CLOSING_TYPE:
        item["closingMessage"] = True
    if message.get("file"):
        item["file"] = message["file"]
        item["attachments"] = message.get("attachments")
        upload = state.store.uploads.get(message["file"].get("_id", ""))
        if upload is not None:
            item["fileUpload"] = files.public_file_info(state, upload)
    item["_updatedAt"] = message.get("_updatedAt")
    return _compact(item)


def _visible_messages(state: ServerState, rid: str) -> list[Doc]:
    """``Messages.findVisibleByRoomId(rid, {sort: {ts: 1}})``."""
    return state.store.messages.find({"rid": rid, "_hidden": {"$ne": True}}, sort=[("ts", 1)])


def _additional_fields(action: CRMAction, room: Doc) -> Doc:
    """``getAdditionalFieldsByType``."""
    keys: tuple[str, ...] = ()
    if action in ("LivechatSessionStart", "LivechatSessionQueued"):
        keys = ("departmentId",)
    elif action == "LivechatSession":
        keys = ("departmentId", "servedBy", "closedAt", "closedBy", "closer")
    elif action == "LivechatSessionTaken":
        keys = ("departmentId", "servedBy")
    elif action == "LivechatSessionForwarded":
        keys = ("departmentId", "servedBy", "oldDepartmentId", "oldServedBy")
    return _compact({key: room.get(key) for key in keys})


def build_payload(
    state: ServerState,
    action: CRMAction,
    room: Doc,
    messages: list[Doc] | bool = True,
) -> Doc | None:
    """``sendToCRM``'s body (``None`` when the visitor is gone)."""
    data = guest_info(state, room)
    if data is None:
        return None
    payload: dict[str, Any] = {**data, "type": action, "messages": []}
    found = _visible_messages(state, room["_id"]) if messages is True else messages or []
    visitor_username = payload["visitor"].get("username")
    for message in found:
        if message.get("t") and not send_message_type(state, message["t"]):
            continue
        payload["messages"].append(message_item(state, message, visitor_username))
    payload.update(_additional_fields(action, room))
    return payload


def send_to_crm(
    state: ServerState,
    action: CRMAction,
    room: Doc,
    messages: list[Doc] | bool = True,
) -> None:
    """Build and queue one event (the caller checked the gate)."""
    if not enabled(state):
        return
    payload = build_payload(state, action, room, messages)
    if payload is not None:
        _publish(state, payload, room["_id"])


def _room(state: ServerState, rid: str) -> Doc | None:
    return state.store.rooms.get(rid)


# ---------------------------------------------------------------------------------------------
# trigger points


def session_start(state: ServerState, rid: str) -> None:
    """``livechat.newRoom`` → ``LivechatSessionStart`` (``on_start``)."""
    room = _room(state, rid) if _gate(state, "Livechat_webhook_on_start") else None
    if room is not None:
        send_to_crm(state, "LivechatSessionStart", room)


def session_queued(state: ServerState, rid: str) -> None:
    """``livechat.chatQueued`` → ``LivechatSessionQueued`` (``on_chat_queued``)."""
    room = _room(state, rid) if _gate(state, "Livechat_webhook_on_chat_queued") else None
    if room is not None:
        send_to_crm(state, "LivechatSessionQueued", room)


def session_taken(state: ServerState, rid: str) -> None:
    """``livechat.afterTakeInquiry`` → ``LivechatSessionTaken`` (``on_chat_taken``)."""
    room = _room(state, rid) if _gate(state, "Livechat_webhook_on_chat_taken") else None
    if room is not None:
        send_to_crm(state, "LivechatSessionTaken", room)


def session_forwarded(
    state: ServerState,
    rid: str,
    *,
    old_served_by: Doc | None = None,
    old_department_id: str | None = None,
    to_department: bool,
) -> None:
    """``livechat.afterForwardChatToAgent`` (``oldServedBy``) or ``…ToDepartment``
    (``oldDepartmentId``) → ``LivechatSessionForwarded`` (``on_forward``)."""
    room = _room(state, rid) if _gate(state, "Livechat_webhook_on_forward") else None
    if room is None:
        return
    if to_department:
        room = {**room, "oldDepartmentId": old_department_id}
    else:
        room = {**room, "oldServedBy": old_served_by}
    send_to_crm(state, "LivechatSessionForwarded", room)


def session_closed(state: ServerState, rid: str) -> None:
    """``livechat.closeRoom`` → ``LivechatSession`` (``on_close``), with the close message."""
    room = _room(state, rid) if _gate(state, "Livechat_webhook_on_close") else None
    if room is not None:
        send_to_crm(state, "LivechatSession", room)


def room_edited(state: ServerState, rid: str) -> None:
    """``livechat.saveInfo`` → ``LivechatEdit``: ungated, only for a closed room."""
    room = _room(state, rid) if enabled(state) else None
    if room is not None and not room.get("open"):
        send_to_crm(state, "LivechatEdit", room)


def message_saved(state: ServerState, message: Doc) -> None:
    """``afterOmnichannelSaveMessage`` → ``Message`` with exactly this message.

    Runs for new and edited messages. A message with ``token`` is the visitor's
    (``on_visitor_message``), else the agent's (``on_agent_message``); system messages other
    than ``livechat-close`` (and navigation, when both navigation settings are on) are skipped.
    """
    if not enabled(state):
        return
    gate = "Livechat_webhook_on_visitor_message" if message.get("token") else None
    if not state.settings[gate or "Livechat_webhook_on_agent_message"]:
        return
    if message.get("t") and not send_message_type(state, message["t"]):
        return
    room = _room(state, message["rid"])
    if room is None or room.get("t") != "l":
        return
    send_to_crm(state, "Message", room, [message])


def lead_capture(state: ServerState, message: Doc) -> None:
    """``hooks/leadCapture.ts`` → ``livechat.leadCapture`` → ``LeadCapture`` (``on_capture``).

    Its ``if (msgEmails || msgPhones)`` tests two arrays, always true: every new, untyped
    visitor message in a room with a visitor token fires it, with ``messages: []``.
    """
    if message.get("t") or message.get("editedAt") or not message.get("token"):
        return
    room = _room(state, message["rid"]) if _gate(state, "Livechat_webhook_on_capture") else None
    if room is not None and room.get("v", {}).get("token"):
        send_to_crm(state, "LeadCapture", room, False)


def offline_message_payload(
    state: ServerState, *, name: str, email: str, message: str
) -> Doc | None:
    """``hooks/offlineMessage.ts``: ``LivechatOfflineMessage`` (``on_offline_msg``), or ``None``.

    No room, no ``crmData``; the caller awaits its first attempt (the hook awaits sendRequest).
    """
    if not _gate(state, "Livechat_webhook_on_offline_msg"):
        return None
    return {
        "type": "LivechatOfflineMessage",
        "sentAt": state.now(),
        "visitor": {"name": name, "email": email},
        "message": message,
    }


def test_sample(state: ServerState) -> Doc:
    """The hard-coded ``POST livechat/webhook.test`` body (plain-string e-mail and phone)."""
    now = state.now()
    return {
        "type": "LivechatSession",
        "_id": TEST_SAMPLE_ID,
        "label": "title",
        "topic": "asiodojf",
        "createdAt": now,
        "lastMessageAt": now,
        "tags": ["tag1", "tag2", "tag3"],
        "customFields": {"productId": "123456"},
        "visitor": {
            "_id": "",
            "name": "visitor name",
            "username": "visitor-username",
            "department": "department",
            "email": "email@address.com",
            "phone": "192873192873",
            "ip": "123.456.7.89",
            "browser": "Chrome",
            "os": "Linux",
            "customFields": {"customerId": "123456"},
        },
        "agent": {
            "_id": "asdf89as6df8",
            "username": "agent.username",
            "name": "Agent Name",
            "email": "agent@email.com",
        },
        "messages": [
            {"username": "visitor-username", "msg": "message content", "ts": now},
            {
                "username": "agent.username",
                "agentId": "asdf89as6df8",
                "msg": "message content from agent",
                "ts": now,
            },
        ],
    }


INTEGRATION_SETTINGS = (
    "Livechat_webhookUrl",
    "Livechat_secret_token",
    "Livechat_http_timeout",
    "Livechat_webhook_on_start",
    "Livechat_webhook_on_close",
    "Livechat_webhook_on_chat_taken",
    "Livechat_webhook_on_chat_queued",
    "Livechat_webhook_on_forward",
    "Livechat_webhook_on_offline_msg",
    "Livechat_webhook_on_visitor_message",
    "Livechat_webhook_on_agent_message",
)

#: ``POST omnichannel/integrations`` body key → setting (``api/v1/integration.ts``)
INTEGRATION_KEYS = {
    "LivechatWebhookUrl": "Livechat_webhookUrl",
    "LivechatSecretToken": "Livechat_secret_token",
    "LivechatHttpTimeout": "Livechat_http_timeout",
    "LivechatWebhookOnStart": "Livechat_webhook_on_start",
    "LivechatWebhookOnClose": "Livechat_webhook_on_close",
    "LivechatWebhookOnChatTaken": "Livechat_webhook_on_chat_taken",
    "LivechatWebhookOnChatQueued": "Livechat_webhook_on_chat_queued",
    "LivechatWebhookOnForward": "Livechat_webhook_on_forward",
    "LivechatWebhookOnOfflineMsg": "Livechat_webhook_on_offline_msg",
    "LivechatWebhookOnVisitorMessage": "Livechat_webhook_on_visitor_message",
    "LivechatWebhookOnAgentMessage": "Livechat_webhook_on_agent_message",
}


_LABELS = {
    "Livechat_webhookUrl": "Webhook_URL",
    "Livechat_secret_token": "Secret_token",
    "Livechat_http_timeout": "Livechat_http_timeout",
    "Livechat_webhook_on_start": "Send_request_on_chat_start",
    "Livechat_webhook_on_close": "Send_request_on_chat_close",
    "Livechat_webhook_on_chat_taken": "Send_request_on_chat_taken",
    "Livechat_webhook_on_chat_queued": "Send_request_on_chat_queued",
    "Livechat_webhook_on_forward": "Send_request_on_forwarding",
    "Livechat_webhook_on_offline_msg": "Send_request_on_offline_messages",
    "Livechat_webhook_on_visitor_message": "Send_request_on_visitor_message",
    "Livechat_webhook_on_agent_message": "Send_request_on_agent_message",
}


def integration_settings(state: ServerState) -> list[Doc]:
    """``findIntegrationSettings``: the settings documents (``Settings.findByIds``), with the
    registry's ``group``, ``section`` and ``i18nLabel`` (``server/settings/omnichannel.ts``)."""
    docs = []
    for name in INTEGRATION_SETTINGS:
        doc = {
            **state.settings.document(name),
            "group": "Omnichannel",
            "section": "CRM_Integration",
            "i18nLabel": _LABELS[name],
            "public": False,
        }
        if name == "Livechat_secret_token":
            doc["secret"] = True
        docs.append(doc)
    return docs


def save_integrations(state: ServerState, body: Doc) -> None:
    """``POST omnichannel/integrations``: present keys only; strings trimmed, flags ``!!``."""
    for key, setting in INTEGRATION_KEYS.items():
        if key not in body:
            continue
        value = body[key]
        if key in ("LivechatWebhookUrl", "LivechatSecretToken"):
            value = str(value).strip()
        elif key != "LivechatHttpTimeout":
            value = bool(value)
        state.settings.set(setting, value)
