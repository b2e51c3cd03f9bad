"""Triggers, bulk-sent messages and the analytics answers (shapes from Rocket.Chat's source and
the ``omnichannel.yaml`` examples)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from rocketchat_livechat.models import (
    AgentChats,
    AgentOverview,
    AgentsStatus,
    ChatsChart,
    LivechatConfig,
    OverviewItem,
    SentMessage,
    Timings,
    Trigger,
)

RoundTrip = Callable[[BaseModel, dict[str, Any]], None]

TRIGGER = {
    "_id": "Lk52shJFYyb55trw8",
    "name": "test",
    "description": "test",
    "enabled": True,
    "runOnce": True,
    "conditions": [{"name": "page-url", "value": ""}],
    "actions": [{"name": "send-message", "params": {"sender": "", "msg": ""}}],
    "_updatedAt": "2019-10-04T15:36:29.695Z",
}


def test_trigger_round_trips(round_trip: RoundTrip) -> None:
    trigger = Trigger.model_validate(TRIGGER)
    assert trigger.id == "Lk52shJFYyb55trw8" and trigger.run_once is True
    assert trigger.conditions[0].name == "page-url"
    assert trigger.actions[0].params == {"sender": "", "msg": ""}
    assert trigger.updated_at == datetime(2019, 10, 4, 15, 36, 29, 695000, tzinfo=UTC)
    round_trip(trigger, TRIGGER)


def test_config_triggers_are_typed() -> None:
    shown = {k: TRIGGER[k] for k in ("_id", "actions", "conditions", "runOnce")}
    config = LivechatConfig.model_validate({"enabled": True, "triggers": [shown]})
    assert config.triggers[0].id == TRIGGER["_id"] and config.triggers[0].name is None
    with pytest.raises(ValidationError):
        Trigger.model_validate({"name": "no id"})


def test_time_on_site_value_may_be_a_number() -> None:
    trigger = Trigger.model_validate(
        {**TRIGGER, "conditions": [{"name": "time-on-site", "value": 10}]}
    )
    assert trigger.conditions[0].value == 10


def test_sent_message(round_trip: RoundTrip) -> None:
    payload = {"username": "guest-1", "msg": "hi", "ts": "2024-10-15T02:52:42.123Z"}
    round_trip(SentMessage.model_validate(payload), payload)


def test_overview_items_mix_numbers_and_texts() -> None:
    items = [
        OverviewItem.model_validate(x)
        for x in (
            {"title": "Total_conversations", "value": 1086},
            {"title": "Conversations_per_day", "value": "0.74"},
            {"title": "Busiest_time", "value": "7AM - 8AM"},
        )
    ]
    assert [i.value for i in items] == [1086, "0.74", "7AM - 8AM"]


def test_agent_overview(round_trip: RoundTrip) -> None:
    payload = {
        "head": [{"name": "Agent"}, {"name": "Total_messages"}],
        "data": [{"name": "kim", "value": 25}, {"name": "jane", "value": "50.00%"}],
    }
    overview = AgentOverview.model_validate(payload)
    assert [c.name for c in overview.head] == ["Agent", "Total_messages"]
    round_trip(overview, payload)


def test_dashboard_charts(round_trip: RoundTrip) -> None:
    timings = {
        "response": {"avg": 3, "longest": 9.5},
        "reaction": {"avg": 2, "longest": None},
        "chatDuration": {"avg": 0, "longest": 0},
    }
    parsed = Timings.model_validate(timings)
    assert parsed.chat_duration.avg == 0 and parsed.reaction.longest is None
    round_trip(parsed, timings)
    chats = {"open": 1, "closed": 2, "queued": 0, "onhold": 0}
    round_trip(ChatsChart.model_validate(chats), chats)
    assert AgentChats.model_validate({"open": 0, "closed": 1}).onhold is None
    status = {"offline": 1, "away": 0, "busy": 0, "available": 2}
    round_trip(AgentsStatus.model_validate(status), status)
