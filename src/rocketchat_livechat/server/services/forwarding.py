"""Hand-off: ``livechat/room.forward``, ``livechat/room.join``, ``livechat/transfer.history``.

As Rocket.Chat 7.x/8.x does it: ``apps/meteor/app/livechat/server/lib/transfer.ts``
(``transfer``, ``saveTransferHistory``), ``RoutingManager.transferRoom`` / ``delegateInquiry`` /
``takeInquiry`` / ``unassignAgent`` / ``removeAllRoomSubscriptions`` and ``Helper.ts``
(``forwardRoomToAgent``, ``forwardRoomToDepartment``, ``normalizeTransferredByData``,
``removeAgentFromSubscription``), ``apps/meteor/app/livechat/server/api/lib/transfer.ts``
(``findLivechatTransferHistory``) and ``lib/server/functions/addUserToRoom.ts``.

Embedded-server notes (CE behaviour; EE-only parts left out):

* The serving agent's subscription is implicit (``servedBy``); users who joined with
  ``room.join`` get a stored subscription (``subscriptions`` collection) so a second join is
  refused and a forward removes them as Rocket.Chat's ``removeAllRoomSubscriptions`` does.
* ``fallbackForwardDepartment`` re-routing, ``allowReceiveForwardOffline``, on-hold rooms and
  the MAC limit are Enterprise features: as on CE, a forward to a department without an online
  agent and with a fallback department "succeeds" without changing the room (the CE callback
  returns the room), without one it is ``error-no-agents-online-in-department``.
"""

from __future__ import annotations

from typing import Any

from .. import auth
from ..errors import MeteorError, PlainError
from ..ids import random_id
from ..state import ServerState
from ..store import Doc
from . import departments, events, messages, routing, webhooks

TRANSFER_HISTORY = "livechat_transfer_history"


def transferred_by(user: Doc, room: Doc) -> Doc:
    """``normalizeTransferredByData``: ``userType`` ``agent`` when ``user`` serves the room."""
    ref = messages.user_ref(user)
    served = room.get("servedBy", {}).get("_id")
    ref["userType"] = "agent" if user["_id"] == served else "user"
    return ref


def _online_agent(state: ServerState, user_id: str) -> Doc | None:
    """``Users.findOneOnlineAgentById``."""
    user = state.store.users.get(user_id)
    return user if user is not None and routing.is_available(user) else None


def _save_transfer_history(
    state: ServerState, room: Doc, by: Doc, author: Doc, data: dict[str, Any]
) -> Doc:
    """``saveTransferHistory``: the ``livechat_transfer_history`` system message.

    ``previousDepartment`` is the room's ``departmentId`` (a string, as Rocket.Chat stores it),
    ``nextDepartment`` the target ``{_id, name}``; scope ``department`` when there is one.
    """
    next_department = data.get("department")
    transfer_data: Doc = {
        "transferredBy": by,
        "ts": state.now(),
        "scope": "department" if next_department else "agent",
    }
    if data.get("comment") is not None:
        transfer_data["comment"] = data["comment"]
    if room.get("departmentId"):
        transfer_data["previousDepartment"] = room["departmentId"]
    if next_department:
        transfer_data["nextDepartment"] = next_department
    if data.get("transferredTo"):
        transfer_data["transferredTo"] = data["transferredTo"]
    return messages.system_message(
        state, room["_id"], TRANSFER_HISTORY, "", author, transferData=transfer_data
    )


def _remove_subscriptions(
    state: ServerState, room: Doc, served: Doc | None, keep: str | None = None
) -> Doc:
    """``removeAllRoomSubscriptions(room, ignoreUser)``: every user but ``keep`` leaves.

    The (implicit) subscription of the agent who served the room (``served``) and the stored
    ones of joined users: each gets a ``ul`` message and a ``removed`` subscription/room event;
    ``usersCount`` goes down.
    """
    leaving: list[Doc] = []
    if served and served["_id"] != keep:
        leaving.append(served)
    for sub in state.store.subscriptions.find({"rid": room["_id"]}):
        if sub["u"]["_id"] != keep and all(u["_id"] != sub["u"]["_id"] for u in leaving):
            leaving.append(sub["u"])
        if sub["u"]["_id"] != keep:
            state.store.subscriptions.delete(sub["_id"])
    current = room
    for ref in leaving:
        updated = state.store.rooms.update(room["_id"], {"$inc": {"usersCount": -1}})
        assert updated is not None
        current = updated
        user = state.store.users.get(ref["_id"]) or ref
        messages.system_message(state, room["_id"], "ul", ref.get("username", ""), user)
        events.user_rooms_changed(state, ref["_id"], "removed", current)
    return current


def _update_chat_department(state: ServerState, rid: str, department_id: str) -> None:
    """``updateChatDepartment``: the room's and the inquiry's department."""
    state.store.rooms.update(rid, {"$set": {"departmentId": department_id}})
    inquiry = state.store.inquiries.find_one({"rid": rid})
    if inquiry is not None:
        state.store.inquiries.update(inquiry["_id"], {"$set": {"department": department_id}})


def forward_room(
    state: ServerState,
    room: Doc,
    user: Doc,
    *,
    department_id: str | None,
    user_id: str | None,
    comment: str | None,
) -> None:
    """``POST livechat/room.forward`` after the room checks (``api/v1/room.ts``)."""
    visitor = state.store.visitors.get(room.get("v", {}).get("_id", ""))
    if visitor is None or visitor.get("disabled"):
        raise PlainError("error-invalid-visitor")
    data: dict[str, Any] = {"comment": comment}
    if user_id:
        target = state.store.users.get(user_id)
        if target is not None:
            to: Doc = {"_id": target["_id"], "username": target["username"]}
            if target.get("name") is not None:
                to["name"] = target["name"]
            data["transferredTo"] = to
    by = transferred_by(user, room)
    # transfer(): the department must exist (enabled or not)
    if department_id:
        department = state.store.departments.get(department_id)
        if department is None:
            raise PlainError("error-invalid-department")
        data["department"] = {"_id": department["_id"], "name": department["name"]}
        _forward_to_department(state, room, user, by, department, user_id, data)
        return
    if user_id:
        _forward_to_agent(state, room, user, by, user_id, data)
        return
    # RoutingManager.transferRoom: no target → false → the route's error
    raise PlainError("error-forwarding-chat")


def _forward_to_agent(
    state: ServerState, room: Doc, user: Doc, by: Doc, agent_id: str, data: dict[str, Any]
) -> None:
    """``forwardRoomToAgent``."""
    agent = _online_agent(state, agent_id)
    if agent is None:
        raise PlainError("error-user-is-offline")
    inquiry = state.store.inquiries.find_one({"rid": room["_id"]})
    if inquiry is None:
        raise PlainError("error-invalid-inquiry")
    old = room.get("servedBy")
    if old and old["_id"] == agent_id:
        raise PlainError("error-selected-agent-room-agent-are-same")
    # assignAgent (subscription, servedBy, `connected` + `uj`, agentData): no afterTakeInquiry
    taken = routing.take(state, inquiry, agent, taken_hook=False)
    _save_transfer_history(state, room, by, user, data)
    if old:
        _remove_subscriptions(state, taken, old, keep=agent["_id"])
    # livechat.afterForwardChatToAgent
    webhooks.session_forwarded(state, room["_id"], old_served_by=old, to_department=False)


def _forward_to_department(
    state: ServerState,
    room: Doc,
    user: Doc,
    by: Doc,
    department: Doc,
    agent_id: str | None,
    data: dict[str, Any],
) -> None:
    """``forwardRoomToDepartment``."""
    rid, old = room["_id"], room.get("servedBy")
    old_department = room.get("departmentId")
    inquiry = state.store.inquiries.find_one({"rid": rid})
    if inquiry is None:
        raise PlainError("error-transferring-inquiry")
    if room.get("departmentId") == department["_id"]:
        raise PlainError("error-forwarding-chat-same-department")
    agent: Doc | None = None
    if agent_id:
        agent = _online_agent(state, agent_id)
        if agent is None:
            raise PlainError("error-user-is-offline")
        if agent_id not in routing.department_agent_ids(state, department["_id"]):
            raise PlainError("error-user-not-belong-to-department")
    if state.settings["Livechat_Routing_Method"] != "Auto_Selection":
        # no auto assignment: the chat goes to the department's queue (unassignAgent)
        _save_transfer_history(state, room, by, user, data)
        if old:
            room = _remove_subscriptions(state, room, old)
            room = state.store.rooms.update(rid, {"$unset": {"servedBy": 1}}) or room
            events.agent_data(state, rid, None)
        state.store.rooms.update(rid, {"$set": {"departmentId": department["_id"]}})
        routing._requeue(state, room, department["_id"], None)
        _forwarded_to_department(state, rid, old_department)
        return
    # delegateInquiry: a given agent is kept only when online and allowed to skip the queue
    # (a bot, ``allowAgentSkipQueue``); otherwise the routing method picks the next agent
    routed = agent is None or (agent.get("type") != "bot" and "bot" not in agent.get("roles", []))
    if routed:
        agent = _next_agent(state, department["_id"])
    if agent is None or (old and old["_id"] == agent["_id"]):
        # nobody (else) took it: the room keeps its agent
        if old:
            if department.get("fallbackForwardDepartment"):
                return  # CE: the onTransferFailure callback is EE, the room comes back
            raise PlainError("error-no-agents-online-in-department")
        _save_transfer_history(state, room, by, user, data)
        _update_chat_department(state, rid, department["_id"])
        _forwarded_to_department(state, rid, old_department)
        return
    if routed:  # Auto_Selection's getNextAgent counts the chat
        state.store.users.update(agent["_id"], {"$inc": {"livechatCount": 1}})
    taken = routing.take(state, {**inquiry, "department": department["_id"]}, agent)
    _save_transfer_history(state, room, by, user, data)
    if old:
        _remove_subscriptions(state, taken, old, keep=agent["_id"])
    _update_chat_department(state, rid, department["_id"])
    _forwarded_to_department(state, rid, old_department)


def _forwarded_to_department(state: ServerState, rid: str, old_department: str | None) -> None:
    """``livechat.afterForwardChatToDepartment`` (``LivechatSessionForwarded`` webhook)."""
    webhooks.session_forwarded(state, rid, old_department_id=old_department, to_department=True)


def _next_agent(state: ServerState, department_id: str) -> Doc | None:
    """Auto_Selection's next agent of the department (the fewest chats), without counting."""
    candidates = routing.online_agents(state, department_id)
    if not candidates:
        return None
    return min(candidates, key=lambda a: (a.get("livechatCount", 0), a["username"]))


# ---------------------------------------------------------------------------------------------
# join


def _may_access(state: ServerState, room: Doc, user: Doc) -> bool:
    """``canAccessRoom`` for a livechat room (``roomAccessValidator.compatibility.ts``)."""
    if room.get("servedBy", {}).get("_id") == user["_id"]:
        return True
    if auth.has_permission(user, "view-livechat-rooms"):
        return True
    if state.store.subscriptions.find_one({"rid": room["_id"], "u._id": user["_id"]}):
        return True
    inquiry = state.store.inquiries.find_one({"rid": room["_id"], "status": "queued"})
    if inquiry is None:
        return False
    if inquiry.get("defaultAgent", {}).get("agentId") == user["_id"]:
        return True
    department = inquiry.get("department")
    return not department or department in departments.department_ids_of(state, user["_id"])


def join_room(state: ServerState, rid: str, user: Doc) -> None:
    """``GET livechat/room.join`` checks and ``addUserToRoom`` (subscription, ``uj``)."""
    room = state.store.rooms.get(rid)
    if room is None:
        raise PlainError("error-invalid-room")
    if not room.get("open"):
        raise PlainError("room-closed")
    if not _may_access(state, room, user):
        raise PlainError("error-not-allowed")
    joined = state.store.subscriptions.find_one({"rid": rid, "u._id": user["_id"]})
    if joined is not None or room.get("servedBy", {}).get("_id") == user["_id"]:
        raise MeteorError("error-user-already-in-room", "User already in room")
    now = state.now()
    state.store.subscriptions.insert(
        {
            "_id": random_id(),
            "rid": rid,
            "t": room.get("t", "l"),
            "name": room.get("fname"),
            "fname": room.get("fname"),
            "u": {"_id": user["_id"], "username": user["username"]},
            "open": True,
            "ts": now,
            "_updatedAt": now,
        }
    )
    updated = state.store.rooms.update(rid, {"$inc": {"usersCount": 1}})
    assert updated is not None
    messages.system_message(state, rid, "uj", "", user)
    events.user_rooms_changed(state, user["_id"], "inserted", updated)


# ---------------------------------------------------------------------------------------------
# history


def transfer_history(state: ServerState, rid: str, sort: list[tuple[str, int]]) -> list[Doc]:
    """``findLivechatTransferHistory``: the ``transferData`` of the room's transfer messages."""
    found = state.store.messages.find({"rid": rid, "t": TRANSFER_HISTORY}, sort=sort)
    return [m["transferData"] for m in found if "transferData" in m]
