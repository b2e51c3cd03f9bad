"""Agent side: omnichannel contacts (Rocket.Chat 7.x+ Contacts API).

Rocket.Chat: ``apps/meteor/app/livechat/server/api/v1/contact.ts`` and
``apps/meteor/app/livechat/server/lib/contacts/*.ts``; request schemas in rest-typings
``packages/rest-typings/src/v1/omnichannel.ts``. Permissions: ``create-livechat-contact``,
``update-livechat-contact``, ``view-livechat-contact``, ``view-livechat-contact-history``
(agents, monitors, managers, admins) and ``delete-livechat-contact``. Every route is community
(no license check). Rocket.Chat makes a contact for a visitor the first time a room is opened
for it from a source (the widget, the REST API, an app); its channels record those sources.
The legacy visitor-based ``POST omnichannel/contact`` (``registerContact``, still served by
7.x/8.x in ``apps/meteor/server/api/v1/omnichannel/contact.ts``) is
:func:`register_legacy_contact`; its ``GET`` and ``contact.search`` (not in the reference's
community part) are not declared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Unpack

from ...errors import InvalidArgumentError
from .. import parsing
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ..lazy import lazy_model
from ..parsing import Parser
from ..request import json_body
from ._samples import ROOM, page

if TYPE_CHECKING:
    from ...models import Contact, ContactChannel, Page, RocketChatModel, Room
else:
    Contact = lazy_model("Contact")
    ContactChannel = lazy_model("ContactChannel")
    Page = lazy_model("Page")
    Room = lazy_model("Room")

_CONTACT: dict[str, Any] = {
    "_id": "contact-1",
    "name": "Alice",
    "emails": [{"address": "alice@example.com"}],
    "phones": [{"phoneNumber": "+15550001"}],
    "unknown": False,
    "channels": [],
    "createdAt": "2026-01-02T03:04:05.000Z",
}
_CHANNEL: dict[str, Any] = {
    "name": "widget",
    "visitor": {"visitorId": "v1", "source": {"type": "widget"}},
    "blocked": False,
    "verified": False,
    "details": {"type": "widget"},
    "lastChat": {"_id": "room-1", "ts": "2026-01-02T03:04:05.000Z"},
}
_CLOSED_ROOM: dict[str, Any] = {**ROOM, "open": False, "closer": "user", "source": {"type": "api"}}


if TYPE_CHECKING:

    class _Exists(RocketChatModel):
        exists: bool


@cache
def _exists_model() -> type[_Exists]:
    """``{"exists": bool}`` (built on first use, like every model)."""
    from pydantic import create_model

    from ...models import RocketChatModel

    return create_model("_Exists", __base__=RocketChatModel, exists=(bool, ...))  # type: ignore[arg-type]


def _string_set(name: str, value: object, *, required: bool) -> list[str] | None:
    """A list of distinct strings (rest-typings ``uniqueItems``); empty lists are allowed."""
    if value is None:
        if required:
            return []
        return None
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidArgumentError(name, "expected a list of strings")
    items = [v.required_str(f"{name}[{i}]", item) for i, item in enumerate(value)]
    if len(set(items)) != len(items):
        raise InvalidArgumentError(name, "must not repeat a value")
    return items


def _custom_fields(value: object) -> dict[str, Any] | None:
    mapping = v.optional_mapping("custom_fields", value)
    return None if mapping is None else dict(mapping)


def _search_parser() -> Parser[Page[Contact]]:
    """``contacts.search``'s ``count`` is the requested page size: the page keeps its length."""
    inner = parsing.page_under(Contact, "contacts")

    def parse(body: Any) -> Page[Contact]:
        found = inner(body)
        return found.model_copy(update={"count": len(found.items)})

    return Parser(parse, inner.returns)


@endpoint(
    "POST",
    "omnichannel/contact",
    parse=parsing.text_under("contact"),
    auth="user",
    samples=[
        Sample(("tok-1", "Alice"), response={"contact": "visitor-1"}),
        Sample(
            ("tok-1", "Alice"),
            {
                "email": "alice@example.com",
                "phone": "",
                "username": "alice",
                "custom_fields": {"cpf": "123"},
                "contact_manager": "jane",
            },
            response={"contact": "visitor-1"},
        ),
    ],
)
def register_legacy_contact(
    token: str,
    name: str,
    *,
    email: str | None = None,
    phone: str | None = None,
    username: str | None = None,
    custom_fields: Mapping[str, Any] | None = None,
    contact_manager: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Register or update the *visitor* with this token (``view-l-room``); returns its
    ``_id``. A visitor is found by token, else by ``email`` (it then takes this token), else
    created (``username``, default ``guest-<n>``). Its name, ``custom_fields`` (visitor-scope;
    the stored ones are replaced, unknown keys ignored), e-mail, phone and contact manager are
    overwritten: an omitted ``email`` or ``contact_manager`` (an agent's *username*) is removed,
    ``phone=""`` removes the phone. Every room of the visitor is renamed. Refusals:
    :class:`~rocketchat_livechat.errors.ContactManagerNotFoundError`,
    :class:`~rocketchat_livechat.errors.InvalidCustomFieldError`."""
    manager = v.optional_str("contact_manager", contact_manager)
    if phone is not None and not isinstance(phone, str):
        raise InvalidArgumentError("phone", f"expected a string, got {type(phone).__name__}")
    return Parts(
        json=json_body(
            token=v.required_str("token", token),
            name=v.required_str("name", name),
            email=v.optional_str("email", email),
            phone=phone,
            username=v.optional_str("username", username),
            customFields=_custom_fields(custom_fields),
            contactManager=None if manager is None else {"username": manager},
        )
    )


@endpoint(
    "POST",
    "omnichannel/contacts",
    parse=parsing.text_under("contactId"),
    auth="user",
    schema="isPOSTOmnichannelContactsProps",
    samples=[
        Sample(("Alice",), response={"contactId": "contact-1"}),
        Sample(
            ("Alice",),
            {
                "emails": ["alice@example.com"],
                "phones": ["+15550001"],
                "custom_fields": {"cpf": "123"},
                "contact_manager": "agent-1",
            },
            response={"contactId": "contact-1"},
        ),
    ],
)
def create_contact(
    name: str,
    *,
    emails: Sequence[str] | None = None,
    phones: Sequence[str] | None = None,
    custom_fields: Mapping[str, Any] | None = None,
    contact_manager: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Create a contact; returns its ``_id``. ``contact_manager`` is an agent's user ``_id``;
    ``custom_fields`` must be visitor-scope custom fields (required ones included)."""
    return Parts(
        json=json_body(
            name=v.required_str("name", name),
            emails=_string_set("emails", emails, required=True),
            phones=_string_set("phones", phones, required=True),
            customFields=_custom_fields(custom_fields),
            contactManager=v.optional_str("contact_manager", contact_manager),
        ),
    )


@endpoint(
    "POST",
    "omnichannel/contacts.update",
    parse=parsing.under(Contact, "contact"),
    auth="user",
    schema="isPOSTUpdateOmnichannelContactsProps",
    samples=[
        Sample(("contact-1",), {"name": "Bob"}, response={"contact": _CONTACT}),
        Sample(
            ("contact-1",),
            {
                "emails": ["bob@example.com"],
                "phones": [],
                "custom_fields": {"cpf": "456"},
                "contact_manager": "agent-1",
                "wipe_conflicts": True,
            },
            response={"contact": _CONTACT},
        ),
    ],
)
def update_contact(
    contact_id: str,
    *,
    name: str | None = None,
    emails: Sequence[str] | None = None,
    phones: Sequence[str] | None = None,
    custom_fields: Mapping[str, Any] | None = None,
    contact_manager: str | None = None,
    wipe_conflicts: bool | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Change a contact (fields left ``None`` are kept; ``emails``/``phones`` replace the lists);
    returns it. A new name is given to the contact's rooms and inquiries too. ``wipe_conflicts``
    drops the conflicting fields. The contact becomes known (``unknown`` false)."""
    return Parts(
        json=json_body(
            contactId=v.required_str("contact_id", contact_id),
            name=v.optional_str("name", name),
            emails=_string_set("emails", emails, required=False),
            phones=_string_set("phones", phones, required=False),
            customFields=_custom_fields(custom_fields),
            contactManager=v.optional_str("contact_manager", contact_manager),
            wipeConflicts=v.optional_bool("wipe_conflicts", wipe_conflicts),
        ),
    )


@endpoint(
    "POST",
    "omnichannel/contacts.conflicts",
    parse=parsing.under(Contact, "result"),
    auth="user",
    schema="isPOSTOmnichannelContactsConflictsProps",
    samples=[
        Sample(("contact-1",), {"name": "Alice"}, response={"result": _CONTACT}),
        Sample(
            ("contact-1",),
            {"contact_manager": "agent-1", "custom_fields": {"cpf": "1"}, "wipe_conflicts": True},
            response={"result": _CONTACT},
        ),
    ],
)
def resolve_conflicts(
    contact_id: str,
    *,
    name: str | None = None,
    contact_manager: str | None = None,
    custom_fields: Mapping[str, Any] | None = None,
    wipe_conflicts: bool | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Settle a contact's conflicting fields: the given values win and their conflicts go
    (``wipe_conflicts`` drops them all); returns the contact. A contact without conflicts is
    refused (:class:`ContactHasNoConflictsError`)."""
    return Parts(
        json=json_body(
            contactId=v.required_str("contact_id", contact_id),
            name=v.optional_str("name", name),
            contactManager=v.optional_str("contact_manager", contact_manager),
            customFields=_custom_fields(custom_fields),
            wipeConflicts=v.optional_bool("wipe_conflicts", wipe_conflicts),
        ),
    )


@endpoint(
    "GET",
    "omnichannel/contacts.get",
    parse=parsing.under(Contact, "contact"),
    auth="user",
    idempotent=True,
    schema="isGETOmnichannelContactsProps",
    samples=[Sample(("contact-1",), response={"contact": {**_CONTACT, "channels": [_CHANNEL]}})],
)
def get_contact(contact_id: str, **options: Unpack[CallOptions]) -> Parts:
    """The contact with this ``_id``; an unknown or deleted one is a :class:`NotFoundError`."""
    contact_id = v.required_str("contact_id", contact_id)
    if not contact_id.strip():
        raise InvalidArgumentError("contact_id", "must not be blank")
    return Parts(params={"contactId": contact_id})


@endpoint(
    "GET",
    "omnichannel/contacts.search",
    parse=_search_parser(),
    auth="user",
    idempotent=True,
    schema="isGETOmnichannelContactsSearchProps",
    samples=[
        Sample(response=page("contacts", _CONTACT)),
        Sample(
            kwargs={
                "search_text": "alice",
                "unknown": True,
                "offset": 0,
                "count": 10,
                "sort": {"name": 1},
            },
            response=page("contacts"),
        ),
    ],
)
def search_contacts(
    *,
    search_text: str | None = None,
    unknown: bool | None = None,
    offset: int | None = None,
    count: int | None = None,
    sort: Mapping[str, int] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of contacts whose name, e-mail or phone contains ``search_text`` (any case).
    Only known contacts unless ``unknown`` is true (then only unknown ones: contacts made from
    visitors who have not been served yet). Each ``contact_manager`` is a
    :class:`ContactManager`."""
    return Parts(
        params={
            "searchText": v.optional_str("search_text", search_text),
            "unknown": v.optional_bool("unknown", unknown),
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
            "sort": v.optional_json("sort", sort),
        },
    )


@endpoint(
    "GET",
    "omnichannel/contacts.checkExistence",
    parse=Parser(lambda body: bool(parsing.whole(_exists_model())(body).exists), "bool"),
    auth="user",
    idempotent=True,
    schema="isGETOmnichannelContactsCheckExistenceProps",
    samples=[
        Sample(kwargs={"contact_id": "contact-1"}, response={"exists": True}),
        Sample(kwargs={"email": "alice@example.com"}, response={"exists": False}),
        Sample(kwargs={"phone": "+15550001"}, response={"exists": True}),
    ],
)
def contact_exists(
    *,
    contact_id: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Whether a contact has this ``_id``, e-mail or phone (exactly one of them)."""
    given = {
        "contactId": v.optional_str("contact_id", contact_id),
        "email": v.optional_str("email", email),
        "phone": v.optional_str("phone", phone),
    }
    chosen = {k: value for k, value in given.items() if value is not None}
    if len(chosen) != 1:
        raise InvalidArgumentError("contact_id", "give exactly one of contact_id, email, phone")
    if "email" in chosen and chosen["email"].count("@") != 1:
        raise InvalidArgumentError("email", "expected an e-mail address")
    for key, value in chosen.items():
        if not value.strip():
            raise InvalidArgumentError({"contactId": "contact_id"}.get(key, key), "is blank")
    return Parts(params=chosen)


@endpoint(
    "GET",
    "omnichannel/contacts.history",
    parse=parsing.page_under(Room, "history"),
    auth="user",
    idempotent=True,
    schema="isGETOmnichannelContactHistoryProps",
    samples=[
        Sample(("contact-1",), response=page("history", _CLOSED_ROOM)),
        Sample(
            ("contact-1",),
            {"source": "api", "offset": 0, "count": 5, "sort": {"closedAt": -1}},
            response=page("history"),
        ),
    ],
)
def get_contact_history(
    contact_id: str,
    *,
    source: str | None = None,
    offset: int | None = None,
    count: int | None = None,
    sort: Mapping[str, int] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of the contact's closed rooms (newest close first), with the fields Rocket.Chat
    projects (``fname``, ``ts``, ``v``, ``msgs``, ``servedBy``, ``closedAt``, ``closedBy``,
    ``closer``, ``tags``, ``source``, ``lastMessage``, ``verified``). ``source`` (a source type)
    filters only with the Enterprise ``contact-id-verification`` module; Community ignores it."""
    return Parts(
        params={
            "contactId": v.required_str("contact_id", contact_id),
            "source": v.optional_str("source", source),
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
            "sort": v.optional_json("sort", sort),
        },
    )


@endpoint(
    "GET",
    "omnichannel/contacts.channels",
    parse=parsing.list_under(ContactChannel, "channels"),
    auth="user",
    idempotent=True,
    schema="isGETOmnichannelContactsChannelsProps",
    samples=[Sample(("contact-1",), response={"channels": [_CHANNEL]})],
)
def get_contact_channels(contact_id: str, **options: Unpack[CallOptions]) -> Parts:
    """The contact's channels, one per channel name (the one chatted with last); an unknown
    contact has none (``[]``)."""
    return Parts(
        params={"contactId": v.required_str("contact_id", contact_id)},
    )


@endpoint(
    "POST",
    "omnichannel/contacts.delete",
    parse=parsing.nothing,
    auth="user",
    schema="isPOSTOmnichannelContactDeleteProps",
    samples=[Sample(("contact-1",))],
)
def delete_contact(contact_id: str, **options: Unpack[CallOptions]) -> Parts:
    """Delete (disable) a contact: its data is erased and it is no longer found. Needs
    ``delete-livechat-contact`` (Rocket.Chat 8.x)."""
    return Parts(
        json={"contactId": v.required_str("contact_id", contact_id)},
    )
