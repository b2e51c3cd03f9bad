"""``client.custom_fields``: custom field definitions (list/get: agents; save/delete: managers)."""

from __future__ import annotations

from ..._core.endpoints import custom_fields
from ._base import AsyncEndpointMethod, AsyncResource


class AsyncCustomFieldsResource(AsyncResource):
    list_custom_fields = AsyncEndpointMethod(custom_fields.list_custom_fields)
    get_custom_field = AsyncEndpointMethod(custom_fields.get_custom_field)
    save_custom_field = AsyncEndpointMethod(custom_fields.save_custom_field)
    delete_custom_field = AsyncEndpointMethod(custom_fields.delete_custom_field)
