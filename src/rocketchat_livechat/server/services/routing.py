"""Omnichannel routing (``apps/meteor/app/livechat/server/lib/RoutingManager.ts``,
``QueueManager.ts``): availability, rooms, inquiries, closing.

Embedded-server choices (documented deviations):

* Presence comes from a logged-in DDP session *or* ``users.setStatus`` (so REST-only tests
  can bring an agent online).
* ``Manual_Selection`` queue positions are pushed to the visitor as ``queueData`` (an EE
  feature in Rocket.Chat): ``spot`` is the 1-based position among the queued inquiries of the
  same department (``None`` = public queue), oldest first. It is sent when a room is queued
  and recomputed for the remaining rooms of that queue when one is taken or closed.
* As in CE, an inquiry left ``ready`` because no agent was found is not picked up later.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, Literal

from ..errors import MeteorError, PlainError
from ..ids import object_id, random_id
from ..state import ServerState
from ..store import Doc, Sort
from . import contacts, departments, events, messages, rooms, users, webhooks
from ._constants import ROCKET_CAT

NO_AGENT_ONLINE = ("no-agent-online", "Sorry, no online agents")
PRIORITY_NOT_SPECIFIED = 99
DEFAULT_ESTIMATED_WAITING_TIME = 9999999

# ---------------------------------------------------------------------------------------------
# availability


def is_available(user: Doc) -> bool:
    """§4.2: agent, active, ``statusLivechat`` available, presence not offline (bots exempt)."""
    return (
        users.is_agent(user)
        and user.get("active", True)
        and user.get("statusLivechat") == "available"
        and (user.get("type") == "bot" or user.get("status", "offline") != "offline")
    )


def department_agent_ids(state: ServerState, department_id: str) -> set[str]:
    """Ids of the agents of a department."""
    return {
        link["agentId"]
        for link in state.store.department_agents.find({"departmentId": department_id})
    }


def online_agents(state: ServerState, department_id: str | None = None) -> list[Doc]:
    """Agents available for routing, optionally only those of one department."""
    agents = [u for u in state.store.users.find() if is_available(u)]
    if department_id is not None:
        # ``getNextAgentForDepartment`` and the online checks read ``departmentEnabled: true``
        # links only: a disabled or archived department routes to nobody
        members = {
            link["agentId"]
            for link in state.store.department_agents.find({"departmentId": department_id})
            if link.get("departmentEnabled", True)
        }
        agents = [a for a in agents if a["_id"] in members]
    return agents


def find_department(state: ServerState, id_or_name: str) -> Doc | None:
    """A department by ``_id`` or by name."""
    return state.store.departments.get(id_or_name) or state.store.departments.find_one(
        {"name": id_or_name}
    )


def fallback_chain(state: ServerState, department_id: str) -> Iterator[Doc]:
    """The department followed by its ``fallbackForwardDepartment`` chain (cycle-safe)."""
    seen: set[str] = set()
    current = state.store.departments.get(department_id)
    while current is not None and current["_id"] not in seen:
        seen.add(current["_id"])
        yield current
        nxt = current.get("fallbackForwardDepartment")
        current = state.store.departments.get(nxt) if nxt else None


def online_department(state: ServerState, department_id: str) -> str | None:
    """First department of the fallback chain with an online agent."""
    for department in fallback_chain(state, department_id):
        if online_agents(state, department["_id"]):
            return str(department["_id"])
    return None


def is_online(state: ServerState, department: str | None = None) -> bool:
    """``config.online`` (§5.4)."""
    if state.settings["Livechat_accept_chats_with_no_agents"]:
        return True
    if department:
        found = find_department(state, department)
        return found is not None and online_department(state, found["_id"]) is not None
    return bool(online_agents(state))


def default_department(state: ServerState) -> str | None:
    """First enabled department shown on registration that has online agents."""
    for department in state.store.departments.find({"enabled": True}, sort=[("name", 1)]):
        if department.get("showOnRegistration") and online_agents(state, department["_id"]):
            return str(department["_id"])
    return None


def next_agent(state: ServerState, department_id: str | None = None) -> Doc | None:
    """The routing method's next agent; Auto_Selection increments the agent's ``livechatCount``."""
    if state.settings["Livechat_Routing_Method"] != "Auto_Selection":
        return None
    candidates = online_agents(state, department_id)
    if not candidates:
        return None
    agent = min(candidates, key=lambda a: (a.get("livechatCount", 0), a["username"]))
    return state.store.users.update(agent["_id"], {"$inc": {"livechatCount": 1}})


def _auto_assigns(state: ServerState) -> bool:
    return bool(state.settings["Livechat_Routing_Method"] == "Auto_Selection")


# ---------------------------------------------------------------------------------------------
# room creation


def _visitor_ref(visitor: Doc) -> Doc:
    return {
        "_id": visitor["_id"],
        "username": visitor["username"],
        "token": visitor["token"],
        "status": visitor.get("status", "online"),
    }


def _check_enabled(state: ServerState) -> None:
    if not state.settings["Livechat_enabled"]:
        raise MeteorError("error-omnichannel-is-disabled")


def _resolve_department(state: ServerState, visitor: Doc, agent: Doc | None) -> str | None:
    department = visitor.get("department")
    if department and state.store.departments.get(department) is not None:
        return online_department(state, department) or str(department)
    if agent is None:
        return default_department(state)
    return None


def _check_availability(state: ServerState, department: str | None, agent: Doc | None) -> None:
    if state.settings["Livechat_accept_chats_with_no_agents"]:
        return
    if agent is not None:
        ok = is_available(agent)
    elif department is not None:
        ok = online_department(state, department) is not None
    else:
        ok = bool(online_agents(state))
    if not ok:
        raise MeteorError(*NO_AGENT_ONLINE)


def create_room(
    state: ServerState,
    visitor: Doc,
    *,
    source: Doc,
    agent_id: str | None = None,
    extra: Doc | None = None,
) -> Doc:
    """Create a room for the visitor and route it (§5.1). Returns the room after routing.

    From 8.3 a visitor token has at most one open room (``one-open-room-per-token``, a unique
    index in Rocket.Chat): the open room is returned instead of a second one (where Rocket.Chat's
    insert would fail on the index). Older lines open another room.
    """
    if state.line.has("one-open-room-per-token"):
        existing = rooms.find_open_room(state, visitor["token"])
        if existing is not None:
            return existing
    _check_enabled(state)
    default_agent = state.store.users.get(agent_id) if agent_id else None
    if default_agent is not None and not users.is_agent(default_agent):
        default_agent = None
    department = _resolve_department(state, visitor, default_agent)
    _check_availability(state, department, default_agent)
    # 7.x ``createRoom``: ``migrateVisitorIfMissingContact`` links/creates the visitor's contact
    contact = contacts.contact_for_room(state, visitor, source)
    now = state.now()
    room: Doc = {
        "_id": random_id(),
        "t": "l",
        "fname": contact.get("name") or visitor.get("name") or visitor["username"],
        "msgs": 0,
        "usersCount": 1,
        "lm": now,
        "ts": now,
        "_updatedAt": now,
        "v": _visitor_ref(visitor),
        "cl": False,
        "open": True,
        "waitingResponse": True,
        "source": source,
        "queuedAt": now,
        "priorityWeight": PRIORITY_NOT_SPECIFIED,
        "estimatedWaitingTimeQueue": DEFAULT_ESTIMATED_WAITING_TIME,
        "contactId": contact["_id"],
        "verified": False,
        **(extra or {}),
    }
    if department:
        room["departmentId"] = department
    inquiry: Doc = {
        "_id": object_id(),
        "rid": room["_id"],
        "name": room["fname"],
        "ts": now,
        "message": "",
        "status": "ready" if _auto_assigns(state) else "queued",
        "v": _visitor_ref(visitor),
        "t": "l",
        "source": source,
        "priorityWeight": PRIORITY_NOT_SPECIFIED,
        "estimatedWaitingTimeQueue": DEFAULT_ESTIMATED_WAITING_TIME,
        "_updatedAt": now,
    }
    if department:
        inquiry["department"] = department
    if default_agent is not None:
        inquiry["defaultAgent"] = {
            "agentId": default_agent["_id"],
            "username": default_agent["username"],
        }
    if inquiry["status"] == "queued":
        inquiry["queuedAt"] = now
    with state.store.transaction():
        state.store.rooms.insert(room)
        state.store.inquiries.insert(inquiry)
        state.settings.increment("Livechat_Room_Count")
        # ``onNewRoom``: the visitor's and the contact's ``lastChat``
        last_chat = {"_id": room["_id"], "ts": now}
        state.store.visitors.update(visitor["_id"], {"$set": {"lastChat": last_chat}})
        assoc = contacts.association(str(visitor["_id"]), source)
        contacts.set_last_chat(state, contact["_id"], assoc, last_chat)
    webhooks.session_start(state, room["_id"])  # livechat.newRoom
    messages.system_message(
        state, room["_id"], "livechat-started", "", visitor, token=visitor["token"]
    )
    _move_navigation_history(state, visitor["token"], room["_id"])
    return _route_new_inquiry(state, inquiry, default_agent)


def _move_navigation_history(state: ServerState, token: str, rid: str) -> None:
    pending = state.store.messages.find({"rid": "", "navigation.token": token})
    for message in pending:
        state.store.messages.update(
            message["_id"], {"$set": {"rid": rid}, "$unset": {"expireAt": 1}}
        )


def _route_new_inquiry(state: ServerState, inquiry: Doc, default_agent: Doc | None) -> Doc:
    if inquiry["status"] == "queued":
        events.inquiry(state, "added", inquiry)
        send_queue_positions(state, inquiry.get("department"))
        webhooks.session_queued(state, inquiry["rid"])  # livechat.chatQueued
    else:
        agent = default_agent if default_agent and is_available(default_agent) else None
        agent = agent or next_agent(state, inquiry.get("department"))
        if agent is not None:
            take(state, inquiry, agent)
    room = state.store.rooms.get(inquiry["rid"])
    assert room is not None
    return room


# ---------------------------------------------------------------------------------------------
# queue


def queued_inquiries(state: ServerState, department: str | None) -> list[Doc]:
    """Queued inquiries of one queue (a department or the public queue), oldest first."""
    flt: dict[str, Any] = {"status": "queued", "department": department}
    return state.store.inquiries.find(flt, sort=[("ts", 1)])


def send_queue_positions(state: ServerState, department: str | None) -> None:
    """Push ``queueData`` to every room still queued in this queue (Manual_Selection only)."""
    if _auto_assigns(state):
        return
    for spot, inquiry in enumerate(queued_inquiries(state, department), start=1):
        events.queue_data(state, inquiry["rid"], spot)


def take(state: ServerState, inquiry: Doc, agent: Doc, *, taken_hook: bool = True) -> Doc:
    """Assign the inquiry's room to ``agent`` (auto delegation or ``inquiries.take``).

    ``taken_hook`` runs ``livechat.afterTakeInquiry`` (the ``LivechatSessionTaken`` webhook):
    ``RoutingManager.takeInquiry`` does, a forward to an agent (``assignAgent``) does not.
    """
    now = state.now()
    was_queued = inquiry.get("status") == "queued"
    with state.store.transaction():
        taken = state.store.inquiries.update(
            inquiry["_id"],
            {
                "$set": {"status": "taken", "takenAt": now, "_updatedAt": now},
                "$unset": {"defaultAgent": 1, "queuedAt": 1},
            },
        )
        room = state.store.rooms.update(
            inquiry["rid"],
            {
                "$set": {
                    "servedBy": {"_id": agent["_id"], "username": agent["username"], "ts": now},
                    "_updatedAt": now,
                },
                "$inc": {"usersCount": 1},
            },
        )
    assert room is not None and taken is not None
    messages.system_message(state, room["_id"], "command", "connected", agent)
    messages.system_message(state, room["_id"], "uj", "", agent)
    events.agent_data(state, room["_id"], users.agent_info(state, agent))
    events.inquiry(state, "changed", taken)
    events.user_rooms_changed(state, agent["_id"], "inserted", room)
    if was_queued:
        send_queue_positions(state, inquiry.get("department"))
    if taken_hook:
        webhooks.session_taken(state, room["_id"])
    return room


def take_inquiry(state: ServerState, inquiry_id: str, user: Doc) -> None:
    """``POST livechat/inquiries.take`` checks and effect (§4.4)."""
    inquiry = state.store.inquiries.get(inquiry_id)
    if inquiry is None:
        raise MeteorError("error-not-found", "Inquiry not found")
    if inquiry.get("status") == "taken":
        raise MeteorError("error-inquiry-taken", "Inquiry already taken")
    if not users.is_agent(user) or user.get("statusLivechat") != "available":
        raise MeteorError(
            "error-agent-status-service-offline",
            "Agent status is offline or Omnichannel service is not active",
        )
    department = inquiry.get("department")
    if department and user["_id"] not in department_agent_ids(state, department):
        raise MeteorError("error-not-allowed", "Not allowed")
    take(state, inquiry, user)


def unassign(state: ServerState, room: Doc) -> Doc:
    """Remove the serving agent: ``ul`` message and an ``agentData`` event without data."""
    served = room.get("servedBy")
    updated = state.store.rooms.update(
        room["_id"], {"$unset": {"servedBy": 1}, "$inc": {"usersCount": -1 if served else 0}}
    )
    assert updated is not None
    if served:
        agent = state.store.users.get(served["_id"]) or served
        messages.system_message(state, room["_id"], "ul", served["username"], agent)
        events.agent_data(state, room["_id"], None)
        events.user_rooms_changed(state, served["_id"], "removed", updated)
    return updated


# ---------------------------------------------------------------------------------------------
# transfer


def transfer_to_department(
    state: ServerState, room: Doc, department: Doc, transferred_by: Doc, *, by_visitor: bool
) -> Doc:
    """Move an open room to ``department`` (§3.10 side effects)."""
    previous = room.get("departmentId")
    if previous == department["_id"]:
        raise PlainError("error-forwarding-chat-same-department")
    auto = _auto_assigns(state)
    agent = next_agent(state, department["_id"]) if auto else None
    if auto and agent is None and not state.settings["Livechat_accept_chats_with_no_agents"]:
        raise PlainError("error-no-agents-online-in-department")
    transfer_data: Doc = {
        "transferredBy": {
            **messages.user_ref(transferred_by),
            "userType": "visitor" if by_visitor else "user",
        },
        "ts": state.now(),
        "scope": "department",
        "nextDepartment": {"_id": department["_id"], "name": department["name"]},
    }
    if previous:  # saveTransferHistory stores the room's departmentId as it is
        transfer_data["previousDepartment"] = previous
    extra: Doc = {"transferData": transfer_data}
    if by_visitor:
        extra["token"] = room["v"]["token"]
    messages.system_message(
        state, room["_id"], "livechat_transfer_history", "", transferred_by, **extra
    )
    if room.get("servedBy"):
        room = unassign(state, room)
    state.store.rooms.update(room["_id"], {"$set": {"departmentId": department["_id"]}})
    moved = _requeue(state, room, department["_id"], agent)
    # livechat.afterForwardChatToDepartment
    webhooks.session_forwarded(state, room["_id"], old_department_id=previous, to_department=True)
    return moved


def _requeue(state: ServerState, room: Doc, department: str | None, agent: Doc | None) -> Doc:
    now = state.now()
    inquiry = state.store.inquiries.find_one({"rid": room["_id"]})
    status = "ready" if agent is not None else "queued"
    fields: Doc = {"status": status, "department": department, "_updatedAt": now}
    if status == "queued":
        fields["queuedAt"] = now
    if inquiry is None:
        inquiry = {
            "_id": object_id(),
            "rid": room["_id"],
            "name": room["fname"],
            "ts": now,
            "message": "",
            "v": room["v"],
            "t": "l",
            "source": room.get("source", {"type": "api"}),
            **fields,
        }
        state.store.inquiries.insert(inquiry)
    else:
        removed_from = inquiry.get("department")
        if removed_from != department and inquiry.get("status") == "queued":
            events.inquiry(state, "removed", inquiry)
        inquiry = state.store.inquiries.update(inquiry["_id"], {"$set": fields})
        assert inquiry is not None
    if agent is not None:
        return take(state, inquiry, agent)
    events.inquiry(state, "added", inquiry)
    send_queue_positions(state, department)
    updated = state.store.rooms.get(room["_id"])
    assert updated is not None
    return updated


# ---------------------------------------------------------------------------------------------
# closing


def close_room(
    state: ServerState,
    room: Doc,
    *,
    closer: Literal["visitor", "user"],
    closed_by: Doc,
    comment: str,
    tags: list[str] | None = None,
) -> Doc:
    """Close an open room (§3.8 / §4.8): room fields, inquiry removal, ``livechat-close``."""
    now = state.now()
    opened: datetime = room["ts"]
    metrics: Doc = {**room.get("metrics", {}), "chatDuration": (now - opened).total_seconds()}
    served = room.get("servedBy")
    if served:
        metrics["serviceTimeDuration"] = (now - served["ts"]).total_seconds()
    update: Doc = {
        "$set": {
            "closedAt": now,
            "closer": closer,
            "closedBy": {"_id": closed_by["_id"], "username": closed_by["username"]},
            "metrics": metrics,
            "v.status": "offline",
            "_updatedAt": now,
        },
        "$unset": {"open": 1},
    }
    if tags:
        update["$set"]["tags"] = tags
    with state.store.transaction():
        closed = state.store.rooms.update(room["_id"], update)
        removed = state.store.inquiries.delete_many({"rid": room["_id"]})
    assert closed is not None
    for inquiry in removed:
        events.inquiry(state, "removed", inquiry)
        if inquiry.get("status") == "queued":
            send_queue_positions(state, inquiry.get("department"))
    extra: Doc = {"transcriptRequested": False}
    if closer == "visitor":
        extra["token"] = room["v"]["token"]
    closing = messages.system_message(
        state, room["_id"], "livechat-close", comment, closed_by, **extra
    )
    webhooks.message_saved(state, closing)  # the filter lets livechat-close through
    if (
        state.settings["Livechat_enable_transcript"]
        and not state.settings["Livechat_transcript_send_always"]
    ):
        messages.system_message(state, room["_id"], "command", "promptTranscript", ROCKET_CAT)
    if served:
        events.user_rooms_changed(state, served["_id"], "removed", closed)
    webhooks.session_closed(state, room["_id"])  # livechat.closeRoom
    return closed


def queued_for_agent(
    state: ServerState, agent: Doc, department: str | None, sort: Sort
) -> list[Doc]:
    """Queued inquiries ``agent`` may take: its defaultAgent ones, its departments', public.

    With ``department`` (one of the agent's, else ``error-not-authorized``) only that one.
    """
    mine = set(departments.department_ids_of(state, agent["_id"]))
    if department:
        if department not in mine:
            raise PlainError("error-not-authorized")
        mine = {department}
    queued = state.store.inquiries.find({"status": "queued"}, sort=sort)
    return [
        i
        for i in queued
        if i.get("defaultAgent", {}).get("agentId") == agent["_id"]
        or (i.get("department") in mine if i.get("department") else not department)
    ]


# ---------------------------------------------------------------------------------------------
# return to the queue


def return_as_inquiry(state: ServerState, room: Doc, department_id: str | None) -> bool:
    """``returnRoomAsInquiry`` (``lib/omnichannel``/``LivechatTyped``): the serving agent gives
    the chat back to the queue (optionally of ``department_id``). ``False`` when the room has no
    agent or no inquiry. A ``livechat_transfer_history`` message (scope ``queue``) by the serving
    agent, the agent unassigned, the inquiry queued again (``RoutingManager.unassignAgent``).

    Embedded-server choice: the returned inquiry is queued, not routed again, also under
    ``Auto_Selection`` (Community has no queue worker to re-deliver it)."""
    if not room.get("open"):
        raise MeteorError("room-closed", "Room closed")
    served = room.get("servedBy")
    if not served:
        return False
    agent = state.store.users.get(served["_id"])
    if agent is None:
        raise MeteorError("error-invalid-user")
    inquiry = state.store.inquiries.find_one({"rid": room["_id"]})
    if inquiry is None:
        return False
    transfer_data: Doc = {
        "transferredBy": {**messages.user_ref(agent), "userType": "agent"},
        "ts": state.now(),
        "scope": "queue",
    }
    if room.get("departmentId"):
        transfer_data["previousDepartment"] = room["departmentId"]
    messages.system_message(
        state, room["_id"], "livechat_transfer_history", "", agent, transferData=transfer_data
    )
    room = unassign(state, room)
    department = department_id or inquiry.get("department") or room.get("departmentId")
    if department_id and department_id != room.get("departmentId"):
        state.store.rooms.update(room["_id"], {"$set": {"departmentId": department_id}})
    _requeue(state, room, department, None)
    return True
