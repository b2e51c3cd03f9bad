"""Public classes report the module users import them from, and pickle through it."""

from __future__ import annotations

import pickle

import pytest

from rocketchat_livechat import realtime
from rocketchat_livechat._core.events import RealtimeEvent

EVENTS = RealtimeEvent.__args__


@pytest.mark.parametrize("event", EVENTS, ids=lambda cls: cls.__name__)
def test_event_classes_live_in_the_realtime_module(event: type) -> None:
    assert event.__module__ == "rocketchat_livechat.realtime"
    assert getattr(realtime, event.__name__) is event
    assert event.__name__ in realtime.__all__


def test_events_pickle_through_the_public_module() -> None:
    closed = realtime.ConnectionEvent("closed", attempt=2)
    assert b"rocketchat_livechat.realtime" in pickle.dumps(closed)
    assert pickle.loads(pickle.dumps(closed)) == closed
    assert repr(realtime.MessageEvent).startswith("<class 'rocketchat_livechat.realtime.")
