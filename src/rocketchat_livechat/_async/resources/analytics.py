"""``client.analytics``: omnichannel analytics (managers)."""

from __future__ import annotations

from ..._core.endpoints import analytics
from ._base import AsyncEndpointMethod, AsyncResource


class AsyncAnalyticsResource(AsyncResource):
    get_overview = AsyncEndpointMethod(analytics.get_overview)
    get_agent_overview = AsyncEndpointMethod(analytics.get_agent_overview)
    get_conversation_totalizers = AsyncEndpointMethod(analytics.get_conversation_totalizers)
    get_agents_productivity_totalizers = AsyncEndpointMethod(
        analytics.get_agents_productivity_totalizers
    )
    get_chats_totalizers = AsyncEndpointMethod(analytics.get_chats_totalizers)
    get_productivity_totalizers = AsyncEndpointMethod(analytics.get_productivity_totalizers)
    get_chats_chart = AsyncEndpointMethod(analytics.get_chats_chart)
    get_chats_per_agent_chart = AsyncEndpointMethod(analytics.get_chats_per_agent_chart)
    get_chats_per_department_chart = AsyncEndpointMethod(analytics.get_chats_per_department_chart)
    get_timings_chart = AsyncEndpointMethod(analytics.get_timings_chart)
    get_agents_status_chart = AsyncEndpointMethod(analytics.get_agents_status_chart)
    get_chart_data = AsyncEndpointMethod(analytics.get_chart_data)
