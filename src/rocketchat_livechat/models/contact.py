"""Omnichannel contacts (Rocket.Chat 7.x+, ``ILivechatContact``) and the Contacts API answers."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._base import RocketChatModel, Timestamp

__all__ = [
    "Contact",
    "ContactChannel",
    "ContactConflict",
    "ContactEmail",
    "ContactLastChat",
    "ContactManager",
    "ContactPhone",
    "ContactVisitor",
    "ContactVisitorSource",
]


class ContactEmail(RocketChatModel):
    """One entry of ``emails``."""

    address: str


class ContactPhone(RocketChatModel):
    """One entry of ``phones``."""

    phone_number: str


class ContactLastChat(RocketChatModel):
    """``lastChat``: the newest room of the contact (or of one channel)."""

    id: str = Field(alias="_id")
    ts: Timestamp | None = None


class ContactVisitorSource(RocketChatModel):
    """The room source of a channel's visitor association (``{type, id?}``)."""

    type: str
    id: str | None = None


class ContactVisitor(RocketChatModel):
    """``ILivechatContactVisitorAssociation``: a visitor reached through one source."""

    visitor_id: str
    source: ContactVisitorSource


class ContactChannel(RocketChatModel):
    """One way the contact was reached (``ILivechatContactChannel``): ``name`` is the source's
    label or type (``"widget"``, ``"api"``, an app's name).

    Older 7.x revisions kept ``visitorId`` at the top level instead of ``visitor``; read
    :attr:`visitor_ref` for either form.
    """

    name: str
    visitor: ContactVisitor | None = None
    visitor_id: str | None = None
    verified: bool = False
    verified_at: Timestamp | None = None
    blocked: bool = False
    field: str | None = None
    value: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    last_chat: ContactLastChat | None = None

    @property
    def visitor_ref(self) -> str | None:
        """The visitor's ``_id``, whichever revision answered."""
        return self.visitor.visitor_id if self.visitor is not None else self.visitor_id


class ContactConflict(RocketChatModel):
    """A value that conflicts with the contact's own (``field`` is ``name``, ``manager`` or
    ``customFields.<id>``)."""

    field: str
    value: Any = None


class ContactManager(RocketChatModel):
    """The contact manager as ``contacts.search`` resolves it (``{_id, name, username}``)."""

    id: str = Field(alias="_id")
    username: str | None = None
    name: str | None = None


class Contact(RocketChatModel):
    """An omnichannel contact (``ILivechatContact``).

    ``contact_manager`` is the manager's user ``_id`` in ``contacts.get``/``contacts.update``
    answers and a :class:`ContactManager` in ``contacts.search``; :attr:`contact_manager_id`
    reads both.
    """

    id: str = Field(alias="_id")
    name: str | None = None
    emails: list[ContactEmail] = Field(default_factory=list)
    phones: list[ContactPhone] = Field(default_factory=list)
    contact_manager: str | ContactManager | None = None
    unknown: bool = False
    enabled: bool = True
    custom_fields: dict[str, Any] = Field(default_factory=dict)
    channels: list[ContactChannel] = Field(default_factory=list)
    conflicting_fields: list[ContactConflict] = Field(default_factory=list)
    has_conflict: bool | None = None  # older 7.x revisions
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = Field(default=None, alias="_updatedAt")
    last_chat: ContactLastChat | None = None
    activity: list[str] = Field(default_factory=list)
    import_ids: list[str] = Field(default_factory=list)
    pre_registration: bool | None = None

    @property
    def contact_manager_id(self) -> str | None:
        """The manager's user ``_id`` in either answer form."""
        manager = self.contact_manager
        return manager.id if isinstance(manager, ContactManager) else manager

    @property
    def email_addresses(self) -> list[str]:
        """The addresses of :attr:`emails`."""
        return [e.address for e in self.emails]

    @property
    def phone_numbers(self) -> list[str]:
        """The numbers of :attr:`phones`."""
        return [p.phone_number for p in self.phones]
