"""The routing config (``livechat/config/routing``) and room sources
(``livechat/rooms/filters``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from rocketchat_livechat.models import RoomSource, RoutingConfig

RoundTrip = Callable[[BaseModel, dict[str, Any]], None]


def test_routing_config(round_trip: RoundTrip) -> None:
    payload = {
        "previewRoom": True,
        "showConnecting": True,
        "showQueue": True,
        "showQueueLink": False,
        "returnQueue": True,
        "enableTriggerAction": False,
        "autoAssignAgent": False,
    }
    config = RoutingConfig.model_validate(payload)
    assert config.preview_room and config.return_queue and not config.auto_assign_agent
    round_trip(config, payload)
    assert RoutingConfig.model_validate({}).auto_assign_agent is None


def test_room_source(round_trip: RoundTrip) -> None:
    payload = {
        "type": "app",
        "id": "app-1",
        "alias": "WhatsApp",
        "label": "WhatsApp",
        "sidebarIcon": "icon.svg",
        "defaultIcon": "default.svg",
        "destination": "+15550100",
    }
    source = RoomSource.model_validate(payload)
    assert (source.type, source.alias, source.sidebar_icon) == ("app", "WhatsApp", "icon.svg")
    round_trip(source, payload)
    assert RoomSource.model_validate({"type": "widget"}).id is None
