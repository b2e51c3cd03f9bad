"""Omnichannel contacts (Rocket.Chat 7.x+): the ``contacts`` collection (``livechat_contact``).

Source: ``apps/meteor/app/livechat/server/lib/contacts/*.ts`` (``createContact``,
``updateContact``, ``resolveContactConflicts``, ``getContacts``, ``getContactHistory``,
``getContactChannelsGrouped``, ``disableContact``, ``ContactMerger``,
``migrateVisitorIfMissingContact`` / ``migrateVisitorToContactId`` / ``createContactFromVisitor``,
``registerGuestData``) and ``packages/models/src/models/LivechatContacts.ts``.

A contact document::

    {"_id", "name", "emails": [{"address"}], "phones": [{"phoneNumber"}], "contactManager"?,
     "unknown": bool, "customFields": {...}, "channels": [channel], "conflictingFields": [...],
     "createdAt", "lastChat"?: {"_id", "ts"}, "preRegistration": bool, "enabled"?: False}

    channel = {"name": "widget", "visitor": {"visitorId", "source": {"type", "id"?}},
               "blocked": False, "verified": False, "details": <room source>, "lastChat"?}

When a contact is made (as 7.x does): a visitor gets one the first time a room is created for it
from a source (``createRoom`` → ``migrateVisitorIfMissingContact``): a pre-registered contact
(made by ``POST omnichannel/contacts``, no channel yet) with one of the visitor's e-mails or
phones is linked (``ContactMerger.mergeVisitorIntoContact``), otherwise a new contact is made
from the visitor (``unknown`` while the visitor has no ``activity``). The room gets
``contactId`` and the contact's name as ``fname``; the contact's and the channel's ``lastChat``
become the room. Registering the visitor again (``POST livechat/visitor``) merges the new name,
e-mail, phone and username into the contacts already linked to it (``registerGuestData``);
deleting the visitor disables its contact (``disableByVisitorId``).

Not modelled: contact verification and blocking (EE), MAC ``activity`` (so contacts made from
visitors stay ``unknown``), ``importIds``, the ``Resolved_Conflicts_Count`` statistic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import PlainError
from ..ids import random_id
from ..state import ServerState
from ..store import Doc, Sort
from . import events, users

CONTACT_NOT_FOUND = "error-contact-not-found"
MANAGER_NOT_FOUND = "error-contact-manager-not-found"
NO_CONFLICTS = "error-contact-has-no-conflicts"
#: ``LivechatContacts.disableByContactId`` / ``disableByVisitorId`` unset these
_DISABLED_UNSET = ("emails", "customFields", "lastChat", "channels", "name", "phones")


# ---------------------------------------------------------------------------------------------
# lookups


def find_enabled(state: ServerState, contact_id: str) -> Doc | None:
    """``findOneEnabledById``."""
    contact = state.store.contacts.get(contact_id)
    return contact if contact is not None and contact.get("enabled") is not False else None


def association(visitor_id: str, source: Mapping[str, Any]) -> Doc:
    """``ILivechatContactVisitorAssociation`` of a visitor and a room source."""
    return {
        "visitorId": visitor_id,
        "source": {
            "type": source.get("type"),
            **({"id": source["id"]} if source.get("id") else {}),
        },
    }


def _is_channel_of(channel: Mapping[str, Any], assoc: Mapping[str, Any]) -> bool:
    """``makeQueryForVisitor``: same visitor and source type (and source id when given)."""
    visitor = channel.get("visitor") or {}
    source = visitor.get("source") or {}
    wanted = assoc["source"]
    return (
        visitor.get("visitorId") == assoc["visitorId"]
        and source.get("type") == wanted.get("type")
        and (not wanted.get("id") or source.get("id") == wanted["id"])
    )


def find_by_visitor(state: ServerState, assoc: Mapping[str, Any]) -> Doc | None:
    """``LivechatContacts.findOneByVisitor``."""
    linked = {"channels.visitor.visitorId": assoc["visitorId"]}
    for contact in state.store.contacts.find(linked):
        if any(_is_channel_of(c, assoc) for c in contact.get("channels") or ()):
            return contact
    return None


def _all_by_visitor_id(state: ServerState, visitor_id: str) -> list[Doc]:
    """``findAllByVisitorId``."""
    return [
        contact
        for contact in state.store.contacts.find({"channels.visitor.visitorId": visitor_id})
        if any(
            (c.get("visitor") or {}).get("visitorId") == visitor_id
            for c in contact.get("channels") or ()
        )
    ]


def count_by_info(
    state: ServerState, *, contact_id: str | None, email: str | None, phone: str | None
) -> int:
    """``countByContactInfo`` (disabled contacts count too, as in Rocket.Chat)."""
    found = 0
    for contact in state.store.contacts.find():
        if contact_id and contact["_id"] != contact_id:
            continue
        if email and email not in _addresses(contact):
            continue
        if phone and phone not in _phone_numbers(contact):
            continue
        found += 1
    return found


def _addresses(contact: Mapping[str, Any]) -> list[str]:
    return [str(e["address"]) for e in contact.get("emails") or () if e.get("address")]


def _phone_numbers(contact: Mapping[str, Any]) -> list[str]:
    return [str(p["phoneNumber"]) for p in contact.get("phones") or () if p.get("phoneNumber")]


# ---------------------------------------------------------------------------------------------
# validation


def validate_contact_manager(state: ServerState, user_id: str) -> None:
    """``validateContactManager``: the manager must be a livechat agent."""
    if not users.is_agent(state.store.users.get(user_id)):
        raise PlainError(MANAGER_NOT_FOUND)


def _manager_id_by_username(state: ServerState, username: str) -> str | None:
    """``getContactManagerIdByUsername``."""
    user = state.store.users.find_one({"username": username})
    return str(user["_id"]) if user is not None else None


def validate_custom_fields(
    state: ServerState,
    values: Mapping[str, Any],
    *,
    allowed: Iterable[Mapping[str, Any]] | None = None,
    ignore_additional: bool = False,
    ignore_errors: bool = False,
) -> dict[str, str]:
    """``validateCustomFields`` over the visitor-scope fields (``getAllowedCustomFields``)."""
    fields = (
        list(allowed)
        if allowed is not None
        else state.store.custom_fields.find({"scope": "visitor"})
    )
    valid: dict[str, str] = {}
    for field in fields:
        label = field.get("label") or field["_id"]
        if field["_id"] not in values:
            if field.get("required") and not ignore_errors:
                raise PlainError(f"Invalid value for {label} field")
            continue
        raw = values[field["_id"]]
        value = raw.strip() if isinstance(raw, str) else raw
        if not value or not isinstance(value, str):
            if field.get("required") and not ignore_errors:
                raise PlainError(f"Invalid value for {label} field")
            continue
        regexp = field.get("regexp")
        if regexp and not re.search(regexp, value):
            if ignore_errors:
                continue
            raise PlainError(f"Invalid value for {label} field")
        valid[field["_id"]] = value
    if not ignore_additional:
        ids = {f["_id"] for f in fields}
        for key in values:
            if key not in ids:
                raise PlainError(f"Custom field {key} is not allowed")
    return valid


# ---------------------------------------------------------------------------------------------
# create / update / conflicts / disable


def create(
    state: ServerState,
    *,
    name: str,
    emails: Iterable[str] | None = None,
    phones: Iterable[str] | None = None,
    custom_fields: Mapping[str, Any] | None = None,
    contact_manager: str | None = None,
    unknown: bool = False,
    channels: list[Doc] | None = None,
    last_chat: Doc | None = None,
    check_custom_fields: bool = True,
) -> str:
    """``createContact`` + ``LivechatContacts.insertContact``; returns the new ``_id``."""
    if contact_manager:
        validate_contact_manager(state, contact_manager)
    fields = dict(custom_fields or {})
    if check_custom_fields:
        fields = validate_custom_fields(state, fields)
    channels = list(channels or [])
    contact: Doc = {
        "_id": random_id(),
        "createdAt": state.now(),
        "name": name,
        **({"emails": [{"address": a} for a in emails]} if emails is not None else {}),
        **({"phones": [{"phoneNumber": p} for p in phones]} if phones is not None else {}),
        **({"contactManager": contact_manager} if contact_manager else {}),
        "channels": channels,
        "customFields": fields,
        **({"lastChat": last_chat} if last_chat else {}),
        "unknown": unknown,
        "preRegistration": not channels,
    }
    state.store.contacts.insert(contact)
    return str(contact["_id"])


def update(state: ServerState, params: Mapping[str, Any]) -> Doc:
    """``updateContact`` (``params`` after ``removeEmpty``); renames the contact's rooms,
    subscriptions and inquiries when the name changes. Always clears ``unknown``."""
    contact_id = params["contactId"]
    contact = state.store.contacts.get(contact_id)
    if contact is None:
        raise PlainError(CONTACT_NOT_FOUND)
    manager = params.get("contactManager")
    if manager:
        validate_contact_manager(state, manager)
    received = params.get("customFields")
    to_set: Doc = {"unknown": False}
    if received is not None:
        allowed = state.store.custom_fields.find({"scope": "visitor"})
        allowed_ids = {f["_id"] for f in allowed}
        stale = [k for k in contact.get("customFields") or {} if k not in allowed_ids]
        checked = validate_custom_fields(state, received, ignore_additional=bool(stale))
        if stale:
            validate_custom_fields(
                state, received, allowed=[*allowed, *({"_id": k} for k in stale)]
            )
            for key in stale:
                checked[key] = contact["customFields"][key]
        to_set["customFields"] = checked
    if "name" in params:
        to_set["name"] = params["name"]
    if "emails" in params:
        to_set["emails"] = [{"address": a} for a in params["emails"]]
    if "phones" in params:
        to_set["phones"] = [{"phoneNumber": p} for p in params["phones"]]
    if manager:
        to_set["contactManager"] = manager
    if params.get("wipeConflicts"):
        to_set["conflictingFields"] = []
    updated = state.store.contacts.update(contact_id, {"$set": to_set})
    assert updated is not None
    name = params.get("name")
    if name is not None and name != contact.get("name"):
        _rename(state, updated, name)
    return updated


def _rename(state: ServerState, contact: Doc, name: str) -> None:
    """``updateContactDataByContactId`` + subscriptions and inquiries of its visitors."""
    for room in state.store.rooms.find({"t": "l"}):
        if room.get("contactId") == contact["_id"]:
            renamed = state.store.rooms.update(room["_id"], {"$set": {"fname": name}})
            agent_id = ((renamed or {}).get("servedBy") or {}).get("_id")
            if renamed is not None and agent_id:
                events.user_rooms_changed(state, agent_id, "updated", renamed)
    visitor_ids = {(c.get("visitor") or {}).get("visitorId") for c in contact.get("channels") or ()}
    visitor_ids.discard(None)
    if not visitor_ids:
        return
    for sub in state.store.subscriptions.find():
        if (sub.get("v") or {}).get("_id") in visitor_ids:
            state.store.subscriptions.update(sub["_id"], {"$set": {"name": name, "fname": name}})
    for inquiry in state.store.inquiries.find():
        if (inquiry.get("v") or {}).get("_id") in visitor_ids:
            state.store.inquiries.update(inquiry["_id"], {"$set": {"name": name}})


def resolve_conflicts(state: ServerState, params: Mapping[str, Any]) -> Doc:
    """``resolveContactConflicts``."""
    contact = state.store.contacts.get(params["contactId"])
    if contact is None:
        raise PlainError(CONTACT_NOT_FOUND)
    conflicts = list(contact.get("conflictingFields") or [])
    if not conflicts:
        raise PlainError(NO_CONFLICTS)
    name, manager = params.get("name"), params.get("contactManager")
    custom = params.get("customFields")
    if manager:
        validate_contact_manager(state, manager)
    remaining: list[Doc] = []
    if not params.get("wipeConflicts"):
        drop = {
            *(("name",) if name else ()),
            *(("manager",) if manager else ()),
            *(f"customFields.{k}" for k in custom or {}),
        }
        remaining = [c for c in conflicts if c.get("field") not in drop]
    to_set: Doc = {"unknown": False, "conflictingFields": remaining}
    if name:
        to_set["name"] = name
    if manager:
        to_set["contactManager"] = manager
    if custom is not None:
        to_set["customFields"] = {**(contact.get("customFields") or {}), **custom}
    updated = state.store.contacts.update(contact["_id"], {"$set": to_set})
    assert updated is not None
    return updated


def disable(state: ServerState, contact_id: str) -> None:
    """``disableContactById`` (``POST omnichannel/contacts.delete``)."""
    if state.store.contacts.get(contact_id) is None:
        raise PlainError(CONTACT_NOT_FOUND)
    _disable(state, contact_id)


def _disable(state: ServerState, contact_id: str) -> None:
    state.store.contacts.update(
        contact_id,
        {
            "$set": {"enabled": False},
            "$unset": dict.fromkeys((*_DISABLED_UNSET, "conflictingFields"), 1),
        },
    )


def disable_by_visitor(state: ServerState, visitor_id: str) -> None:
    """``LivechatContacts.disableByVisitorId`` (the first contact linked to the visitor)."""
    linked = _all_by_visitor_id(state, visitor_id)
    if linked:
        state.store.contacts.update(
            linked[0]["_id"],
            {"$set": {"enabled": False}, "$unset": dict.fromkeys(_DISABLED_UNSET, 1)},
        )


# ---------------------------------------------------------------------------------------------
# reads


def search(state: ServerState, *, text: str | None, unknown: bool, sort: Sort) -> list[Doc]:
    """``findPaginatedContacts``: name, e-mail or phone contains ``text`` (any case); only
    ``unknown`` (default known) enabled contacts; each ``contactManager`` becomes
    ``{_id, name, username}``."""
    pattern = re.compile(re.escape(text or ""), re.IGNORECASE)
    found = []
    for contact in state.store.contacts.find(sort=sort):
        if contact.get("enabled") is False or bool(contact.get("unknown")) != unknown:
            continue
        texts = [contact.get("name") or "", *_addresses(contact), *_phone_numbers(contact)]
        if any(pattern.search(t or "") for t in texts):
            found.append(_with_manager(state, contact))
    return found


def _with_manager(state: ServerState, contact: Doc) -> Doc:
    manager_id = contact.get("contactManager")
    if not manager_id:
        return contact
    data = {k: v for k, v in contact.items() if k != "contactManager"}
    user = state.store.users.get(manager_id)
    if user is not None:
        data["contactManager"] = {
            "_id": user["_id"],
            "username": user.get("username"),
            **({"name": user["name"]} if user.get("name") else {}),
        }
    return data


_HISTORY_KEYS = (
    "_id",
    "fname",
    "ts",
    "v",
    "msgs",
    "servedBy",
    "closedAt",
    "closedBy",
    "closer",
    "tags",
    "source",
    "lastMessage",
    "verified",
)


def history(state: ServerState, contact_id: str, sort: Sort) -> list[Doc]:
    """``getContactHistory``: the contact's closed rooms, projected (CE: ``source`` ignored)."""
    if state.store.contacts.get(contact_id) is None:
        raise PlainError(CONTACT_NOT_FOUND)
    rooms = [
        {k: room[k] for k in _HISTORY_KEYS if k in room}
        for room in state.store.rooms.find({"t": "l"}, sort=sort)
        if room.get("contactId") == contact_id and room.get("closedAt") is not None
    ]
    return rooms


def channels_grouped(state: ServerState, contact_id: str) -> list[Doc]:
    """``getContactChannelsGrouped``: one channel per name, the one chatted with last."""
    contact = state.store.contacts.get(contact_id)
    grouped: dict[str, Doc] = {}
    for channel in (contact or {}).get("channels") or ():
        existing = grouped.get(channel["name"])
        if existing is None or _last_ts(channel) > _last_ts(existing):
            grouped[channel["name"]] = channel
    return list(grouped.values())


def _last_ts(channel: Mapping[str, Any]) -> float:
    ts = (channel.get("lastChat") or {}).get("ts")
    return ts.timestamp() if ts is not None else 0.0


# ---------------------------------------------------------------------------------------------
# visitors and rooms


def _channel_for(visitor: Mapping[str, Any], source: Mapping[str, Any]) -> Doc:
    return {
        "name": source.get("label") or str(source.get("type")),
        "visitor": association(str(visitor["_id"]), source),
        "blocked": False,
        "verified": False,
        "details": dict(source),
        **({"lastChat": visitor["lastChat"]} if visitor.get("lastChat") else {}),
    }


def contact_for_room(state: ServerState, visitor: Doc, source: Mapping[str, Any]) -> Doc:
    """``migrateVisitorIfMissingContact(visitor, source)`` (``requireRoom: false``): the contact
    linked to this visitor and source, else a pre-registered one matching an e-mail or phone
    (linked now), else a new one made from the visitor."""
    assoc = association(str(visitor["_id"]), source)
    found = find_by_visitor(state, assoc)
    if found is not None:
        return found
    matching = _pre_registered_matching(state, visitor)
    if matching is not None:
        _merge_visitor(state, visitor, matching, source)
        merged = state.store.contacts.get(matching["_id"])
        assert merged is not None
        return merged
    custom = validate_custom_fields(
        state, visitor.get("livechatData") or {}, ignore_additional=True, ignore_errors=True
    )
    manager = (visitor.get("contactManager") or {}).get("username")
    contact_id = create(
        state,
        name=visitor.get("name") or visitor["username"],
        emails=[e["address"] for e in visitor["visitorEmails"]]
        if visitor.get("visitorEmails")
        else None,
        phones=[p["phoneNumber"] for p in visitor["phone"]] if visitor.get("phone") else None,
        custom_fields=custom,
        contact_manager=_manager_id_by_username(state, manager) if manager else None,
        unknown=not visitor.get("activity"),
        channels=[_channel_for(visitor, source)],
        last_chat=visitor.get("lastChat"),
        check_custom_fields=False,
    )
    created = state.store.contacts.get(contact_id)
    assert created is not None
    return created


def _pre_registered_matching(state: ServerState, visitor: Mapping[str, Any]) -> Doc | None:
    """``findContactMatchingVisitor``."""
    emails = {e.get("address") for e in visitor.get("visitorEmails") or ()} - {None, ""}
    phones = {p.get("phoneNumber") for p in visitor.get("phone") or ()} - {None, ""}
    if not emails and not phones:
        return None
    for contact in state.store.contacts.find():
        if not contact.get("preRegistration"):
            continue
        if emails & set(_addresses(contact)) or phones & set(_phone_numbers(contact)):
            return contact
    return None


def set_last_chat(
    state: ServerState, contact_id: str, assoc: Mapping[str, Any], last_chat: Doc
) -> None:
    """``updateLastChatById``: the contact's and the channel's ``lastChat`` (``{_id, ts}``)."""
    contact = state.store.contacts.get(contact_id)
    if contact is None:
        return
    channels = [
        {**c, "lastChat": last_chat} if _is_channel_of(c, assoc) else c
        for c in contact.get("channels") or ()
    ]
    state.store.contacts.update(contact_id, {"$set": {"lastChat": last_chat, "channels": channels}})


def _merge_visitor(
    state: ServerState, visitor: Mapping[str, Any], contact: Doc, source: Mapping[str, Any]
) -> None:
    """``ContactMerger.mergeVisitorIntoContact``."""
    fields: list[tuple[str, Any]] = [
        *(("email", e["address"]) for e in visitor.get("visitorEmails") or ()),
        *(("phone", p["phoneNumber"]) for p in visitor.get("phone") or ()),
    ]
    if visitor.get("name"):
        fields.append(("name", visitor["name"]))
    if visitor.get("username"):
        fields.append(("username", visitor["username"]))
    manager = (visitor.get("contactManager") or {}).get("username")
    if manager:
        manager_id = _manager_id_by_username(state, manager)
        if manager_id:
            fields.append(("manager", manager_id))
    for key, value in (visitor.get("livechatData") or {}).items():
        fields.append((f"customFields.{key}", value))
    fields.append(("channel", _channel_for(visitor, source)))
    merge_fields(state, contact, fields, "overwrite" if contact.get("unknown") else "conflict")


def merge_fields(
    state: ServerState, contact: Doc, fields: list[tuple[str, Any]], mode: str
) -> None:
    """``ContactMerger.mergeFieldsIntoContact`` (modes ``conflict`` and ``overwrite``)."""
    overwrite = mode == "overwrite"
    emails, phones = set(_addresses(contact)), set(_phone_numbers(contact))
    channels = list(contact.get("channels") or [])
    custom = contact.get("customFields") or {}
    existing_conflicts = {
        (c.get("field"), str(c.get("value"))) for c in contact.get("conflictingFields") or ()
    }
    has_name = bool(contact.get("name")) or any(f == "name" for f, _ in existing_conflicts)
    new: list[tuple[str, Any]] = []
    for kind, value in fields:
        if kind == "email" and value in emails:
            continue
        if kind == "phone" and value in phones:
            continue
        if kind == "channel" and any(_is_channel_of(c, value["visitor"]) for c in channels):
            continue
        if kind == "name" and (
            value == contact.get("name") or ("name", value) in existing_conflicts
        ):
            continue
        if kind == "manager" and (
            value == contact.get("contactManager") or ("manager", value) in existing_conflicts
        ):
            continue
        if kind.startswith("customFields.") and custom.get(kind[13:]) == value:
            continue
        if kind == "username" and has_name:
            continue
        new.append((kind, value))
    names = [v for k, v in new if k == "name"]
    if not contact.get("name") and not names:
        names = [v for k, v in new if k == "username"]
    managers = [v for k, v in new if k == "manager"]
    to_set: Doc = {}
    if names and (not contact.get("name") or overwrite):
        to_set["name"] = names.pop(0)
    if managers and (not contact.get("contactManager") or overwrite):
        to_set["contactManager"] = managers.pop(0)
    seen_custom: set[str] = set()
    for kind, value in new:
        if kind.startswith("customFields.") and kind not in seen_custom:
            seen_custom.add(kind)
            if not custom.get(kind[13:]) or overwrite:
                to_set[kind] = value
    conflicts = (
        []
        if mode != "conflict"
        else [
            *({"field": "name", "value": n} for n in names),
            *({"field": "manager", "value": m} for m in managers),
        ]
    )
    new_channels = [v for k, v in new if k == "channel"]
    update: dict[str, Doc] = {}
    if new_channels:
        to_set["preRegistration"] = False
    add_emails = [v for k, v in new if k == "email"]
    add_phones = [v for k, v in new if k == "phone"]
    if add_emails:
        to_set["emails"] = [*(contact.get("emails") or []), *({"address": a} for a in add_emails)]
    if add_phones:
        to_set["phones"] = [
            *(contact.get("phones") or []),
            *({"phoneNumber": p} for p in add_phones),
        ]
    if new_channels:
        to_set["channels"] = [*channels, *new_channels]
    if conflicts:
        to_set["conflictingFields"] = [*(contact.get("conflictingFields") or []), *conflicts]
    if to_set:
        update["$set"] = to_set
        state.store.contacts.update(contact["_id"], update)


def merge_registration(state: ServerState, visitor: Doc, data: Mapping[str, Any]) -> None:
    """``registerGuestData``: a (re-)registered visitor's name, phone, e-mail and username
    merged into the contacts already linked to it."""
    fields: list[tuple[str, Any]] = []
    if data.get("name"):
        fields.append(("name", data["name"]))
    phone = data.get("phone")
    if phone:
        fields.append(("phone", phone))
    email = (data.get("email") or "").strip().lower()
    if email:
        fields.append(("email", email))
    username = data.get("username") or visitor.get("username")
    if username:
        fields.append(("username", username))
    if not fields:
        return
    for contact in _all_by_visitor_id(state, str(visitor["_id"])):
        merge_fields(state, contact, fields, "overwrite" if contact.get("unknown") else "conflict")
