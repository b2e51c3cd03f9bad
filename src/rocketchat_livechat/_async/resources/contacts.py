"""``client.contacts``: omnichannel contacts (Rocket.Chat 7.x+, agent side)."""

from __future__ import annotations

from ..._core.endpoints import contacts
from ._base import AsyncEndpointMethod, AsyncResource


class AsyncContactsResource(AsyncResource):
    create_contact = AsyncEndpointMethod(contacts.create_contact)
    update_contact = AsyncEndpointMethod(contacts.update_contact)
    resolve_conflicts = AsyncEndpointMethod(contacts.resolve_conflicts)
    get_contact = AsyncEndpointMethod(contacts.get_contact)
    search_contacts = AsyncEndpointMethod(contacts.search_contacts)
    contact_exists = AsyncEndpointMethod(contacts.contact_exists)
    get_contact_history = AsyncEndpointMethod(contacts.get_contact_history)
    get_contact_channels = AsyncEndpointMethod(contacts.get_contact_channels)
    delete_contact = AsyncEndpointMethod(contacts.delete_contact)
    register_legacy_contact = AsyncEndpointMethod(contacts.register_legacy_contact)
