"""``client.config``: the widget configuration and the CRM-integration (webhook) settings."""

from __future__ import annotations

from ..._core.endpoints import config
from ._base import AsyncEndpointMethod, AsyncResource


class AsyncConfigResource(AsyncResource):
    get_config = AsyncEndpointMethod(config.get_config)
    get_appearance = AsyncEndpointMethod(config.get_appearance)
    set_appearance = AsyncEndpointMethod(config.set_appearance)
    get_routing_config = AsyncEndpointMethod(config.get_routing_config)
    test_webhook = AsyncEndpointMethod(config.test_webhook)
    get_integration_settings = AsyncEndpointMethod(config.get_integration_settings)
    save_integration_settings = AsyncEndpointMethod(config.save_integration_settings)
