"""Omnichannel contacts end to end: ``client.contacts`` (create, update, conflicts, get, search,
checkExistence, history, channels, delete), the contact a widget visitor gets, and the typed
refusals."""

from __future__ import annotations

import secrets

import pytest

from rocketchat_livechat import (
    AsyncLivechatClient,
    ContactHasNoConflictsError,
    ContactManagerNotFoundError,
    ContactNotFoundError,
    InvalidArgumentError,
    InvalidCustomFieldError,
    NotFoundError,
    PermissionDeniedError,
    new_visitor_token,
)
from rocketchat_livechat.models import ContactManager
from rocketchat_livechat.testing.plugin import LivechatTestServer

pytestmark = pytest.mark.e2e

#: what the Livechat widget sends with its requests (``rc_room_type``/``rc_is_widget`` cookies)
WIDGET_COOKIES = {"Cookie": "rc_room_type=l; rc_is_widget=t"}


def _unique(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(4)}"


async def test_create_update_get_search_and_check_existence(
    async_manager_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    contacts = async_manager_client.contacts
    manager = livechat_server.create_agent(available=False)
    name, email = _unique("Contact "), f"{_unique('c')}@example.com"
    contact_id = await contacts.create_contact(
        name, emails=[email], phones=["+15550100"], contact_manager=manager.user_id
    )
    contact = await contacts.get_contact(contact_id)
    assert (contact.id, contact.name) == (contact_id, name)
    assert contact.email_addresses == [email] and contact.phone_numbers == ["+15550100"]
    assert contact.contact_manager_id == manager.user_id
    assert contact.unknown is False and contact.channels == [] and contact.created_at

    new_name = _unique("Renamed ")
    updated = await contacts.update_contact(contact_id, name=new_name, phones=["+15550101"])
    assert updated.name == new_name and updated.phone_numbers == ["+15550101"]
    assert updated.email_addresses == [email]  # not given: kept

    found = await contacts.search_contacts(search_text=new_name.upper())
    assert [c.id for c in found] == [contact_id] and found.total == 1
    [listed] = found.items
    assert isinstance(listed.contact_manager, ContactManager)
    assert listed.contact_manager.username == manager.username
    assert listed.contact_manager_id == manager.user_id

    assert await contacts.contact_exists(contact_id=contact_id) is True
    assert await contacts.contact_exists(email=email) is True
    assert await contacts.contact_exists(phone="+15550101") is True
    assert await contacts.contact_exists(phone="+15550100") is False
    with pytest.raises(InvalidArgumentError):  # exactly one of them, checked before any I/O
        await contacts.contact_exists(contact_id=contact_id, email=email)

    await contacts.delete_contact(contact_id)
    with pytest.raises(NotFoundError):
        await contacts.get_contact(contact_id)
    with pytest.raises(ContactNotFoundError):
        await contacts.delete_contact(contact_id + "-gone")


async def test_a_widget_visitor_becomes_a_contact_with_its_channel(
    async_manager_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    agent = livechat_server.create_agent()
    name = _unique("Widget ")
    async with AsyncLivechatClient(livechat_server.url, headers=WIDGET_COOKIES) as widget:
        token = new_visitor_token("e2e-")
        visitor = await widget.visitor.register_visitor(token, name=name)
        opened = await widget.room.get_room(token)
    room = opened.room
    assert room.contact_id and room.fname == name
    contacts = async_manager_client.contacts

    contact = await contacts.get_contact(room.contact_id)
    assert contact.name == name and contact.unknown is True  # not served yet
    [channel] = contact.channels
    assert channel.name == "widget" and channel.visitor_ref == visitor.id
    assert channel.visitor is not None and channel.visitor.source.type == "widget"
    assert channel.blocked is False and channel.verified is False
    assert channel.last_chat is not None and channel.last_chat.id == room.id
    assert contact.last_chat is not None and contact.last_chat.id == room.id

    unknown = await contacts.search_contacts(search_text=name, unknown=True)
    assert [c.id for c in unknown] == [room.contact_id]
    known = await contacts.search_contacts(search_text=name)
    assert known.items == [] and known.total == 0
    channels = await contacts.get_contact_channels(room.contact_id)
    assert [(c.name, c.visitor_ref) for c in channels] == [("widget", visitor.id)]

    history = await contacts.get_contact_history(room.contact_id)
    assert history.items == [] and history.total == 0  # only closed rooms
    livechat_server.close_room(agent, room.id)
    history = await contacts.get_contact_history(room.contact_id, count=10)
    [closed] = history.items
    assert closed.id == room.id and closed.closer == "user" and closed.closed_at is not None
    assert closed.source == {"type": "widget", "destination": closed.source["destination"]}
    assert history.total == 1 and not history.has_more


async def test_a_pre_registered_contact_gets_the_visitor(
    async_livechat_client: AsyncLivechatClient,
    async_manager_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    livechat_server.create_agent()
    email = f"{_unique('pre')}@example.com"
    contact_id = await async_manager_client.contacts.create_contact(
        "Contact Name", emails=[email], phones=[]
    )
    token = new_visitor_token("e2e-")
    await async_livechat_client.visitor.register_visitor(token, name="Visitor Name", email=email)
    room = (await async_livechat_client.room.get_room(token)).room
    assert room.contact_id == contact_id and room.fname == "Contact Name"
    contact = await async_manager_client.contacts.get_contact(contact_id)
    assert [c.name for c in contact.channels] == ["api"]
    assert [(c.field, c.value) for c in contact.conflicting_fields] == [("name", "Visitor Name")]

    resolved = await async_manager_client.contacts.resolve_conflicts(
        contact_id, name="Visitor Name"
    )
    assert resolved.name == "Visitor Name" and resolved.conflicting_fields == []
    with pytest.raises(ContactHasNoConflictsError):
        await async_manager_client.contacts.resolve_conflicts(contact_id, wipe_conflicts=True)


async def test_refusals_are_typed(
    async_manager_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    contacts = async_manager_client.contacts
    with pytest.raises(ContactManagerNotFoundError) as refused:
        await contacts.create_contact("X", emails=[], phones=[], contact_manager="nobody")
    assert refused.value.error == "error-contact-manager-not-found"
    with pytest.raises(ContactNotFoundError) as missing:
        await contacts.update_contact("no-such-contact", name="Y")
    assert missing.value.code == 400 and missing.value.error == "error-contact-not-found"
    with pytest.raises(ContactNotFoundError):
        await contacts.get_contact_history("no-such-contact")
    assert await contacts.get_contact_channels("no-such-contact") == []

    field = _unique("cf")
    livechat_server.define_custom_field(field, label="Order number", regexp="^[0-9]+$")
    with pytest.raises(InvalidCustomFieldError) as invalid:
        await contacts.create_contact("X", emails=[], phones=[], custom_fields={field: "abc"})
    assert invalid.value.error == "Invalid value for Order number field"
    with pytest.raises(InvalidCustomFieldError):
        await contacts.create_contact("X", emails=[], phones=[], custom_fields={"nope": "1"})

    with pytest.raises(InvalidArgumentError):
        await contacts.create_contact("X", phones=["1", "1"])  # uniqueItems, before any I/O
    with pytest.raises(InvalidArgumentError):
        await contacts.get_contact(" ")

    agent = livechat_server.create_agent(available=False)
    async with AsyncLivechatClient(
        livechat_server.url, user_id=agent.user_id, auth_token=agent.auth_token
    ) as as_agent:
        contact_id = await as_agent.contacts.create_contact("By Agent", emails=[], phones=[])
        assert (await as_agent.contacts.get_contact(contact_id)).name == "By Agent"
        with pytest.raises(PermissionDeniedError):  # delete-livechat-contact: managers
            await as_agent.contacts.delete_contact(contact_id)
