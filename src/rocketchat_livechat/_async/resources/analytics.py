"""``client.analytics``: omnichannel analytics (managers)."""

from __future__ import annotations

from ..._core.endpoints import analytics
from ._base import AsyncEndpointMethod, AsyncResource


class AsyncAnalyticsResource(AsyncResource):
    get_overview = AsyncEndpointMethod(analytics.get_overview)
    get_agent_overview = AsyncEndpointMethod(analytics.get_agent_overview)
