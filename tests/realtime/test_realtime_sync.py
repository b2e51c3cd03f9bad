"""The generated sync flavour: same stream, driven by threads instead of tasks."""

from __future__ import annotations

import secrets
import threading
import time

import pytest
from _realtime_helpers import PING

from _support.faultproxy import FaultProxy
from rocketchat_livechat import LivechatClient
from rocketchat_livechat.realtime import (
    ConnectionEvent,
    MessageEvent,
    RealtimeEvent,
    TypingEvent,
    VisitorSession,
)
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

COUNT = 20


def test_sync_stream_survives_a_drop_and_sends_typing_from_another_thread(
    livechat_server: LivechatTestServer, proxy: FaultProxy, agent: Agent
) -> None:
    token = f"rt-sync-{secrets.token_urlsafe(8)}"
    with LivechatClient(proxy.url, timeout=5) as client:
        client.visitor.register_visitor(token, name="Sync")
        rid = client.room.get_room(token).room.id
        events: list[RealtimeEvent] = []
        with client.realtime.connect(token, rooms=[rid], ping_interval=PING) as stream:

            def agent_side() -> None:
                for i in range(COUNT):
                    livechat_server.agent_send(agent, rid, f"s{i:02d}")
                    if i == COUNT // 2:
                        proxy.drop()
                    stream.send_typing(rid, i % 2 == 0)  # from this thread, mid-iteration
                    time.sleep(0.02)

            sender = threading.Thread(target=agent_side)
            sender.start()
            deadline = time.monotonic() + 20
            for event in stream:
                events.append(event)
                texts = [e.message.msg for e in events if isinstance(e, MessageEvent)]
                if f"s{COUNT - 1:02d}" in texts or time.monotonic() > deadline:
                    break
            sender.join()
    assert [e.message.msg for e in events if isinstance(e, MessageEvent)] == [
        f"s{i:02d}" for i in range(COUNT)
    ]
    states = [e.state for e in events if isinstance(e, ConnectionEvent)]
    assert states[:3] == ["connected", "reconnecting", "connected"]
    assert not any(isinstance(e, TypingEvent) for e in events)  # our own typing is not echoed


def test_sync_visitor_session(livechat_server: LivechatTestServer, agent: Agent) -> None:
    with LivechatClient(livechat_server.url) as client:
        session = VisitorSession.start(client, name="Sync Bob")
        with session, session.events(ping_interval=PING) as stream:
            livechat_server.agent_send(agent, session.rid, "hello sync")
            got = next(e for e in stream if isinstance(e, MessageEvent))
            assert got.message.msg == "hello sync"
        assert session.close() is None  # already closed on exit
