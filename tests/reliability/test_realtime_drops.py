"""Forced realtime drops while an agent streams messages to a visitor.

The visitor's realtime stream (and its history requests) go through the fault proxy; the agent
sends over REST directly to the server. Every few messages the proxy breaks the websocket in
turn: a server close (close frame 1001), a TCP reset, or a stall (nothing flows, pongs never
come back, so the client must notice the silence by itself). The visitor must receive every
agent message exactly once and in send order.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from _reliability_env import Deployment

from _support.faultproxy import FaultProxy, TunnelDrop
from rocketchat_livechat import AsyncLivechatClient, new_visitor_token
from rocketchat_livechat.realtime import AsyncRealtimeStream, ConnectionEvent, MessageEvent

PING_INTERVAL = 0.25


@dataclass(frozen=True)
class Size:
    messages: int
    drops: int


@dataclass
class Received:
    texts: list[str] = field(default_factory=list)
    states: Counter[str] = field(default_factory=Counter)
    recovered: int = 0
    live: asyncio.Event = field(default_factory=asyncio.Event)
    done: asyncio.Event = field(default_factory=asyncio.Event)


@pytest.fixture
def proxy(deployment: Deployment) -> Iterator[FaultProxy]:
    with FaultProxy(deployment.url) as proxy:
        yield proxy


async def _consume(stream: AsyncRealtimeStream, agent_id: str, want: int, out: Received) -> None:
    async for event in stream:
        if isinstance(event, ConnectionEvent):
            out.states[event.state] += 1
            out.recovered += event.recovered
            if event.state == "resubscribed":
                out.live.set()
        elif _from(event, agent_id):
            assert isinstance(event, MessageEvent)
            out.texts.append(event.message.msg or "")
            if len(out.texts) >= want:
                out.done.set()


def _from(event: object, user_id: str) -> bool:
    """A new (not edited) message by ``user_id``."""
    if not isinstance(event, MessageEvent) or event.edited or event.message.u is None:
        return False
    return event.message.u.id == user_id


async def _wait_for_tunnel(proxy: FaultProxy, out: Received) -> None:
    """Until the stream is back (resubscribed) and its websocket passes through the proxy."""
    await asyncio.wait_for(out.live.wait(), timeout=30)
    while proxy.tunnel_count == 0:
        await asyncio.sleep(0.01)


SIZES = [
    pytest.param(Size(messages=300, drops=9), id="300-messages-9-drops"),
    pytest.param(
        Size(messages=2_000, drops=100), id="2000-messages-100-drops", marks=pytest.mark.slow
    ),
]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("size", SIZES)
async def test_every_agent_message_arrives_once_in_order_across_drops(
    size: Size, deployment: Deployment, proxy: FaultProxy
) -> None:
    agent = deployment.agent
    token = new_visitor_token()
    texts = [f"agent says {i}" for i in range(size.messages)]
    per_drop = size.messages // (size.drops + 1)
    modes = itertools.cycle(TunnelDrop)
    dropped: Counter[str] = Counter()
    out = Received()
    started = time.perf_counter()
    async with (
        AsyncLivechatClient(proxy.url) as visitor,
        AsyncLivechatClient(
            deployment.url, user_id=agent.user_id, auth_token=agent.auth_token
        ) as agent_client,
    ):
        await visitor.visitor.register_visitor(token, name="Stream Watcher")
        rid = (await visitor.room.get_room(token)).room.id
        stream = visitor.realtime.connect(token, rooms=[rid], ping_interval=PING_INTERVAL)
        async with stream:
            out.live.set()  # open() returned: subscribed
            consumer = asyncio.create_task(_consume(stream, agent.user_id, len(texts), out))
            # each cycle: back online, half the batch live, drop, the other half while down
            for i, text in enumerate(texts):
                pending = sum(dropped.values()) < size.drops
                if i % per_drop == 0 and pending:
                    await _wait_for_tunnel(proxy, out)
                await agent_client.messages.send_agent_message(rid, text)
                if i % per_drop == per_drop // 2 and pending:
                    out.live.clear()
                    mode = next(modes)
                    dropped[mode.value] += await asyncio.to_thread(proxy.drop_tunnels, mode)
            await asyncio.wait_for(out.done.wait(), timeout=60)
            await asyncio.wait_for(out.live.wait(), timeout=30)  # the last recovery completed
            await stream.close()
            await consumer
    elapsed = time.perf_counter() - started
    print(
        f"{size.messages} messages, drops {dict(dropped)}, connection events "
        f"{dict(out.states)}, recovered from history {out.recovered}, {elapsed:.1f} s"
    )
    assert sum(dropped.values()) == size.drops
    assert set(dropped) == {m.value for m in TunnelDrop}
    duplicates = [t for t, n in Counter(out.texts).items() if n > 1]
    assert not duplicates, f"delivered more than once: {duplicates[:10]}"
    missing = sorted(set(texts) - set(out.texts), key=texts.index)
    assert not missing, f"never delivered: {missing[:10]}"
    assert out.texts == texts, "delivered out of order"
    assert out.states["reconnecting"] >= size.drops
    assert out.states["resubscribed"] >= size.drops
    # both paths were exercised: live delivery and recovery from history after a drop
    assert size.messages * 0.2 < out.recovered < size.messages * 0.8
