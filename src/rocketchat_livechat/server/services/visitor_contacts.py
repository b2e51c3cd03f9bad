"""The legacy visitor-based ``POST omnichannel/contact`` (``registerContact``).

Source: ``apps/meteor/server/lib/omnichannel/contacts/registerContact.ts`` (7.x/8.x). It
registers or updates a *visitor* (not a 7.x contact): found by token, else by e-mail (and then
given this token), else created; its name, custom fields (the visitor-scope definitions,
unknown keys ignored, the stored ones replaced), phone, e-mail and contact manager are
overwritten (an omitted e-mail or contact manager is removed), and every room of the visitor is
renamed. The answer is the visitor's id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import MeteorError
from ..ids import object_id
from ..state import ServerState
from ..store import Doc
from . import contacts, events, users, visitors


def register(state: ServerState, params: Mapping[str, Any]) -> str:
    """Register or update the visitor ``params["token"]``; its id."""
    token = params["token"]
    if not token:
        raise MeteorError("error-invalid-contact-data", "Invalid visitor token")
    _check_manager(state, (params.get("contactManager") or {}).get("username"))
    email = (params.get("email") or "").strip().lower()
    visitor = visitors.find_by_token(state, token)
    if visitor is None:
        # as registerContact: the next guest number is taken before the e-mail look-up
        username = params.get("username") or visitors.next_username(state)
        visitor = _by_email(state, email)
        if visitor is None:
            visitor = {"_id": object_id(), "username": username, "ts": state.now(), "token": token}
            state.store.visitors.insert(visitor)
    name = params["name"]
    livechat_data = contacts.validate_custom_fields(
        state, params.get("customFields") or {}, ignore_additional=True
    )
    state.store.visitors.update(visitor["_id"], _update(params, token, name, email, livechat_data))
    _rename_rooms(state, str(visitor["_id"]), name)
    return str(visitor["_id"])


def _check_manager(state: ServerState, username: str | None) -> None:
    if not username:
        return
    manager = state.store.users.find_one({"username": username})
    if manager is None:
        raise MeteorError(
            "error-contact-manager-not-found", f"No user found with username {username}"
        )
    if not users.is_agent(manager):
        reason = 'The contact manager must have the role "livechat-agent"'
        raise MeteorError("error-invalid-contact-manager", reason)


def _by_email(state: ServerState, email: str) -> Doc | None:
    """``findOneGuestByEmailAddress``."""
    if not email:
        return None
    for visitor in state.store.visitors.find({"disabled": {"$ne": True}}):
        if any(e.get("address") == email for e in visitor.get("visitorEmails") or []):
            return visitor
    return None


def _update(
    params: Mapping[str, Any], token: str, name: str, email: str, livechat_data: Doc
) -> Doc:
    phone, manager = params.get("phone"), (params.get("contactManager") or {}).get("username")
    to_set: Doc = {"token": token, "name": name, "livechatData": livechat_data}
    if phone:
        to_set["phone"] = [{"phoneNumber": phone}]
    if email:
        to_set["visitorEmails"] = [{"address": email}]
    if manager:
        to_set["contactManager"] = {"username": manager}
    removed = {"phone": phone == "", "visitorEmails": not email, "contactManager": not manager}
    to_unset = {key: 1 for key, remove in removed.items() if remove}
    return {"$set": to_set, **({"$unset": to_unset} if to_unset else {})}


def _rename_rooms(state: ServerState, visitor_id: str, name: str) -> None:
    """``Rooms.setFnameById``, ``LivechatInquiry.setNameByRoomId`` and
    ``Subscriptions.updateDisplayNameByRoomId`` for every room of the visitor, announced."""
    store = state.store
    for room in store.rooms.find({"t": "l", "v._id": visitor_id}):
        if room.get("fname") != name:
            renamed = store.rooms.update(room["_id"], {"$set": {"fname": name}})
            agent_id = ((renamed or {}).get("servedBy") or {}).get("_id")
            if renamed is not None and agent_id:
                events.user_rooms_changed(state, agent_id, "updated", renamed)
        for inquiry in store.inquiries.find({"rid": room["_id"]}):
            if inquiry.get("name") != name:
                updated = store.inquiries.update(inquiry["_id"], {"$set": {"name": name}})
                if updated is not None:
                    events.inquiry(state, "changed", updated)
        store.subscriptions.update_many(
            {"rid": room["_id"]}, {"$set": {"name": name, "fname": name}}
        )
