"""``client.visitor``: the visitor's registration, status, custom fields and page visits."""

from __future__ import annotations

from ..._core.endpoints import visitor
from ._base import AsyncEndpointMethod, AsyncResource


class AsyncVisitorResource(AsyncResource):
    register_visitor = AsyncEndpointMethod(visitor.register_visitor)
    get_visitor = AsyncEndpointMethod(visitor.get_visitor)
    delete_visitor = AsyncEndpointMethod(visitor.delete_visitor)
    set_visitor_status = AsyncEndpointMethod(visitor.set_visitor_status)
    set_custom_field = AsyncEndpointMethod(visitor.set_custom_field)
    set_custom_fields = AsyncEndpointMethod(visitor.set_custom_fields)
    send_page_visited = AsyncEndpointMethod(visitor.send_page_visited)
