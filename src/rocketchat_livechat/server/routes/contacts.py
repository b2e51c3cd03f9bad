"""``omnichannel/contacts*`` (Rocket.Chat 7.x+ Contacts API).

Source: ``apps/meteor/app/livechat/server/api/v1/contact.ts``; request schemas
``packages/rest-typings/src/v1/omnichannel.ts`` (``isPOSTOmnichannelContactsProps``,
``isPOSTUpdateOmnichannelContactsProps``, ``isPOSTOmnichannelContactsConflictsProps``,
``isGETOmnichannelContactsProps``, ``isGETOmnichannelContactsSearchProps``,
``isGETOmnichannelContactsCheckExistenceProps``, ``isGETOmnichannelContactHistoryProps``,
``isGETOmnichannelContactsChannelsProps``, ``isPOSTOmnichannelContactDeleteProps``).
All of them are community routes (no license check). The logic is in ``services/contacts.py``.
The legacy visitor-based ``POST omnichannel/contact`` (``apps/meteor/server/api/v1/omnichannel/
contact.ts``, ``view-l-room``) runs a Meteor ``check`` in its handler (rest-typings'
``isPOSTOmnichannelContactProps`` is not applied to it): ``services/visitor_contacts.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..api import Context, RouteGroup
from ..errors import NotFound, PlainError
from ..services import contacts, visitor_contacts
from ..validation import BOOLEAN, NUMBER, STRING, Maybe, check, obj
from ._common import pagination, sort_spec

routes = RouteGroup()

_STRING_SET = {"type": "array", "items": STRING, "uniqueItems": True}
_NULLABLE = {"nullable": True}
_NOT_EMPTY = {"type": "string", "nullable": False, "isNotEmpty": True}

CREATE_BODY = obj(
    {
        "name": STRING,
        "emails": _STRING_SET,
        "phones": _STRING_SET,
        "customFields": {"type": "object", **_NULLABLE},
        "contactManager": {"type": "string", **_NULLABLE},
    },
    ("name", "emails", "phones"),
)
UPDATE_BODY = obj(
    {
        "contactId": STRING,
        "name": STRING,
        "emails": {**_STRING_SET, **_NULLABLE},
        "phones": {**_STRING_SET, **_NULLABLE},
        "customFields": {"type": "object", **_NULLABLE},
        "contactManager": {"type": "string", **_NULLABLE},
        "wipeConflicts": {"type": "boolean", **_NULLABLE},
    },
    ("contactId",),
)
CONFLICTS_BODY = obj(
    {
        "contactId": STRING,
        "name": {"type": "string", **_NULLABLE},
        "contactManager": {"type": "string", **_NULLABLE},
        "customFields": {"type": "object"},
        "wipeConflicts": {"type": "boolean", **_NULLABLE},
    },
    ("contactId",),
)
DELETE_BODY = obj({"contactId": STRING}, ("contactId",))
GET_QUERY = obj({"contactId": _NOT_EMPTY}, ("contactId",))
SEARCH_QUERY = obj(
    {"count": NUMBER, "offset": NUMBER, "sort": STRING, "searchText": STRING, "unknown": BOOLEAN}
)
CHECK_EXISTENCE_QUERY = {
    "oneOf": [
        obj({"contactId": _NOT_EMPTY}, ("contactId",)),
        obj({"email": {**_NOT_EMPTY, "format": "basic_email"}}, ("email",)),
        obj({"phone": _NOT_EMPTY}, ("phone",)),
    ]
}
HISTORY_QUERY = obj(
    {"contactId": STRING, "source": STRING, "count": NUMBER, "offset": NUMBER, "sort": STRING},
    ("contactId",),
)
CHANNELS_QUERY = obj({"contactId": STRING}, ("contactId",))

#: ``check(this.bodyParams, ...)`` of ``POST omnichannel/contact``
LEGACY_CONTACT_BODY = {
    "_id": Maybe(str),
    "token": str,
    "name": str,
    "email": Maybe(str),
    "phone": Maybe(str),
    "username": Maybe(str),
    "customFields": Maybe(dict),
    "contactManager": Maybe({"username": str}),
}

_VIEW = ("view-livechat-contact",)
_UPDATE = ("update-livechat-contact",)


def _remove_empty(params: Mapping[str, Any]) -> dict[str, Any]:
    """``removeEmpty`` (``@rocket.chat/tools``): drops ``null``/``undefined``/``""`` values."""
    return {k: v for k, v in params.items() if v is not None and v != ""}


@routes.post(
    "omnichannel/contacts",
    auth=True,
    permissions=("create-livechat-contact",),
    schema=CREATE_BODY,
)
async def create_contact(ctx: Context) -> dict[str, Any]:
    p = ctx.params
    contact_id = contacts.create(
        ctx.state,
        name=p["name"],
        emails=p["emails"],
        phones=p["phones"],
        custom_fields=p.get("customFields") or {},
        contact_manager=p.get("contactManager"),
        unknown=False,
    )
    return {"contactId": contact_id}


@routes.post("omnichannel/contacts.update", auth=True, permissions=_UPDATE, schema=UPDATE_BODY)
async def update_contact(ctx: Context) -> dict[str, Any]:
    return {"contact": contacts.update(ctx.state, _remove_empty(ctx.params))}


@routes.post(
    "omnichannel/contacts.conflicts", auth=True, permissions=_UPDATE, schema=CONFLICTS_BODY
)
async def resolve_conflicts(ctx: Context) -> dict[str, Any]:
    return {"result": contacts.resolve_conflicts(ctx.state, _remove_empty(ctx.params))}


@routes.get("omnichannel/contacts.get", auth=True, permissions=_VIEW, schema=GET_QUERY)
async def get_contact(ctx: Context) -> dict[str, Any]:
    """404 ``Resource not found`` for an unknown or disabled contact."""
    contact = contacts.find_enabled(ctx.state, ctx.params["contactId"])
    if contact is None:
        raise NotFound()
    return {"contact": contact}


@routes.get("omnichannel/contacts.search", auth=True, permissions=_VIEW, schema=SEARCH_QUERY)
async def search_contacts(ctx: Context) -> dict[str, Any]:
    """``count`` in the answer is the requested page size (``getContacts``)."""
    offset, count = pagination(ctx)
    found = contacts.search(
        ctx.state,
        text=ctx.params.get("searchText"),
        unknown=bool(ctx.params.get("unknown", False)),
        sort=sort_spec(ctx, [("name", 1)]),
    )
    return {
        "contacts": found[offset : offset + count],
        "count": count,
        "offset": offset,
        "total": len(found),
    }


@routes.get(
    "omnichannel/contacts.checkExistence",
    auth=True,
    permissions=_VIEW,
    schema=CHECK_EXISTENCE_QUERY,
)
async def check_existence(ctx: Context) -> dict[str, Any]:
    p = ctx.params
    found = contacts.count_by_info(
        ctx.state, contact_id=p.get("contactId"), email=p.get("email"), phone=p.get("phone")
    )
    return {"exists": found > 0}


@routes.get(
    "omnichannel/contacts.history",
    auth=True,
    permissions=("view-livechat-contact-history",),
    schema=HISTORY_QUERY,
)
async def contact_history(ctx: Context) -> dict[str, Any]:
    """The contact's closed rooms, newest close first; ``count`` is the page's length. The
    ``source`` filter is an Enterprise patch of ``fetchContactHistory`` (license module
    ``contact-id-verification``): Community ignores it, so does the embedded server."""
    offset, count = pagination(ctx)
    rooms = contacts.history(ctx.state, ctx.params["contactId"], sort_spec(ctx, [("closedAt", -1)]))
    items = rooms[offset : offset + count]
    return {"history": items, "count": len(items), "offset": offset, "total": len(rooms)}


@routes.get("omnichannel/contacts.channels", auth=True, permissions=_VIEW, schema=CHANNELS_QUERY)
async def contact_channels(ctx: Context) -> dict[str, Any]:
    """An unknown contact has no channels (``[]``, no error)."""
    return {"channels": contacts.channels_grouped(ctx.state, ctx.params["contactId"])}


@routes.post(
    "omnichannel/contacts.delete",
    auth=True,
    permissions=("delete-livechat-contact",),
    schema=DELETE_BODY,
)
async def delete_contact(ctx: Context) -> dict[str, Any]:
    """Disables the contact: 404 ``error-contact-not-found`` when there is none."""
    try:
        contacts.disable(ctx.state, ctx.params["contactId"])
    except PlainError as error:
        raise NotFound(error.message) from None
    return {}


@routes.post("omnichannel/contact", auth=True, permissions=("view-l-room",))
async def register_contact(ctx: Context) -> dict[str, Any]:
    """``registerContact``: the answer's ``contact`` is the visitor's id."""
    check(ctx.params, LEGACY_CONTACT_BODY)
    return {"contact": visitor_contacts.register(ctx.state, ctx.params)}
