"""``client.triggers``: livechat triggers (managers)."""

from __future__ import annotations

from ..._core.endpoints import triggers
from ._base import AsyncEndpointMethod, AsyncResource


class AsyncTriggersResource(AsyncResource):
    list_triggers = AsyncEndpointMethod(triggers.list_triggers)
    save_trigger = AsyncEndpointMethod(triggers.save_trigger)
    get_trigger = AsyncEndpointMethod(triggers.get_trigger)
    delete_trigger = AsyncEndpointMethod(triggers.delete_trigger)
