"""Visitors (guests): registration/upsert (§3.4), deletion (§3.6), status, custom fields (§3.22)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..errors import MeteorError, PlainError
from ..ids import object_id
from ..state import ServerState
from ..store import Doc
from . import contacts, events
from ._constants import EMAIL_RE

_DISABLED_UNSET = ("token", "name", "visitorEmails", "phone", "department", "livechatData")


def find_by_token(state: ServerState, token: str) -> Doc | None:
    """The enabled visitor owning ``token``."""
    if not token:
        return None
    return state.store.visitors.find_one({"token": token, "disabled": {"$ne": True}})


def open_rooms(state: ServerState, token: str) -> list[Doc]:
    """Open livechat rooms of a visitor token, oldest first."""
    return state.store.rooms.find({"t": "l", "v.token": token, "open": True}, sort=[("ts", 1)])


def _find_existing(state: ServerState, token: str, phone: str | None, email: str | None) -> Doc:
    """Upsert match order: token, phone (keeps old token), e-mail (takes the new token)."""
    found = find_by_token(state, token)
    if found is None and phone:
        for visitor in state.store.visitors.find({"disabled": {"$ne": True}}):
            if any(p.get("phoneNumber") == phone for p in visitor.get("phone") or []):
                return visitor
    if found is None and email:
        for visitor in state.store.visitors.find({"disabled": {"$ne": True}}):
            if any(e.get("address") == email for e in visitor.get("visitorEmails") or []):
                return {**visitor, "token": token}
    return found or {}


def register(state: ServerState, data: Mapping[str, Any], connection: Doc | None = None) -> Doc:
    """Create or update the visitor described by ``data`` (the body's ``visitor`` object)."""
    token = str(data["token"])
    if not token.strip():
        raise MeteorError(
            "error-invalid-token", "Token cannot be empty", {"method": "livechat/visitor"}
        )
    email = (data.get("email") or "").strip().lower() or None
    if email is not None and not EMAIL_RE.match(email):
        raise MeteorError(
            "error-invalid-email",
            f"Invalid email {email}",
            {"function": "Livechat.validateEmail", "email": email},
        )
    phone = data.get("phone") or None
    existing = _find_existing(state, token, phone, email)
    department = _check_department(state, data.get("department"), existing.get("department"))
    now = state.now()
    fields: Doc = {"status": "online", "_updatedAt": now}
    if not existing:
        fields["token"] = token
    if data.get("name"):
        fields["name"] = data["name"]
    if email:
        fields["visitorEmails"] = [{"address": email}]
    if phone:
        fields["phone"] = [{"phoneNumber": phone}]
    if department:
        fields["department"] = department
    if connection and state.settings["Livechat_Allow_collect_and_store_HTTP_header_informations"]:
        fields.update(connection)
    if existing:
        visitor = {**existing, **fields}
        state.store.visitors.save(visitor)
    else:
        username = data.get("username") or next_username(state)
        visitor = {
            "_id": data.get("id") or object_id(),
            "username": username,
            "ts": now,
            **fields,
        }
        state.store.visitors.insert(visitor)
    # 7.x ``registerGuest`` → ``registerGuestData``
    contacts.merge_registration(state, visitor, {**data, "email": email, "phone": phone})
    _refresh_open_rooms(state, visitor)
    return visitor


def next_username(state: ServerState) -> str:
    """``getNextVisitorUsername``: ``guest-<n>``."""
    return f"guest-{state.settings.increment('Livechat_guest_count')}"


def _check_department(state: ServerState, requested: Any, stored: Any) -> str | None:
    if not requested or requested == stored:
        return str(requested) if requested else None
    found = state.store.departments.get(requested) or state.store.departments.find_one(
        {"name": requested}
    )
    if found is None:
        raise MeteorError("error-invalid-department", "The provided department is invalid")
    return str(found["_id"])


def _refresh_open_rooms(state: ServerState, visitor: Doc) -> None:
    name = visitor.get("name") or visitor["username"]
    for room in open_rooms(state, visitor["token"]):
        if room.get("fname") != name:
            state.store.rooms.update(room["_id"], {"$set": {"fname": name}})
            state.store.inquiries.update_many({"rid": room["_id"]}, {"$set": {"name": name}})
            events.visitor_data(state, room["_id"], visitor)


def delete(state: ServerState, visitor: Doc) -> None:
    """Delete all rooms, messages, uploads and inquiries of the visitor; disable the doc."""
    token = visitor["token"]
    with state.store.transaction():
        rooms = state.store.rooms.delete_many({"t": "l", "v.token": token})
        for room in rooms:
            state.store.messages.delete_many({"rid": room["_id"]})
            state.store.uploads.delete_many({"rid": room["_id"]})
        inquiries = state.store.inquiries.delete_many({"v.token": token})
        state.store.visitors.update(
            visitor["_id"],
            {
                "$set": {"disabled": True, "_updatedAt": state.now()},
                "$unset": dict.fromkeys(_DISABLED_UNSET, 1),
            },
        )
        # 7.x ``removeContactsByVisitorId``: the visitor's contact is disabled
        contacts.disable_by_visitor(state, str(visitor["_id"]))
    for inquiry in inquiries:
        events.inquiry(state, "removed", inquiry)


def set_status(state: ServerState, token: str, status: str) -> None:
    """``visitor.status``: ``v.status`` of the open rooms and their inquiries."""
    for room in open_rooms(state, token):
        state.store.rooms.update(room["_id"], {"$set": {"v.status": status}})
        for inquiry in state.store.inquiries.update_many(
            {"rid": room["_id"]}, {"$set": {"v.status": status}}
        ):
            events.inquiry(state, "changed", inquiry)


def set_custom_field(
    state: ServerState, visitor: Doc, key: str, value: str, overwrite: bool
) -> bool:
    """Write one custom field (scope visitor or room); ``False`` when nothing was modified."""
    field = state.store.custom_fields.get(key)
    if field is None:
        raise PlainError("invalid-custom-field")
    regexp = field.get("regexp")
    if regexp and not re.search(regexp, value):
        raise PlainError(f"Invalid value for {key} field")
    if field.get("scope") == "room":
        targets = [(state.store.rooms, r) for r in open_rooms(state, visitor["token"])]
    else:
        targets = [(state.store.visitors, visitor)]
    modified = False
    for collection, doc in targets:
        current = (doc.get("livechatData") or {}).get(key)
        if current == value or (current is not None and not overwrite):
            continue
        collection.update(doc["_id"], {"$set": {f"livechatData.{key}": value}})
        modified = True
    return modified


def apply_registration_custom_fields(
    state: ServerState, visitor: Doc, fields: list[Mapping[str, Any]]
) -> Doc:
    """``customFields`` of ``POST livechat/visitor`` (a non-empty list), as Rocket.Chat 8.x does.

    ``apps/meteor/app/livechat/server/api/v1/visitor.ts`` + ``lib/custom-fields.ts``: the
    visitor-scope definitions not ``hidden`` (``findByScope('visitor', …, false)``) must all be
    named when ``required`` (``Missing required custom fields: a, b``, checked only when the
    request carries custom fields); keys of other definitions are ignored; a value is written
    when ``overwrite`` or the visitor has none yet (``livechatData.<key>``). Unchanged visitor
    (no ``livechatData`` added) when nothing matches.
    """
    defined = {
        f["_id"]: f
        for f in state.store.custom_fields.find({"scope": "visitor"})
        if f.get("visibility") != "hidden"
    }
    keys = [f["key"] for f in fields]
    missing = [k for k, f in defined.items() if f.get("required") and k not in keys]
    if missing:
        raise PlainError(f"Missing required custom fields: {', '.join(missing)}")
    current = visitor.get("livechatData") or {}
    update: dict[str, Any] = {}
    for item in fields:
        key = item["key"]
        if key in defined and (item["overwrite"] or not current.get(key)):
            update[f"livechatData.{key}"] = item["value"]
    if not update:
        return visitor
    updated = state.store.visitors.update(visitor["_id"], {"$set": update})
    assert updated is not None
    return updated
