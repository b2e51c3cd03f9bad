"""The embedded server with 1,000 visitors' realtime subscriptions open: memory and latency.

1,000 visitors (one ``AsyncLivechatClient`` in one process) register, open their room and keep
its DDP stream (``client.realtime.connect``) open. With all of them open, the agent (from a
thread, REST) sends one message into every room, one every 5 ms; each figure is the time from
the send to that room's visitor holding the message. Its peer is the same server and agent with
one subscription open (as many messages, all into that room); the server's resident memory is
compared with the one before the visitors connected.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from typing import Any

import _util
from _util import Outcome, Row
from realtime_latency import AGENT

from rocketchat_livechat import AsyncLivechatClient, LivechatClient, new_visitor_token
from rocketchat_livechat.realtime import AsyncRealtimeStream, MessageEvent

INTERVAL = 0.005
CONNECTING = 50  # visitors opening at the same time


def _agent_sends(url: str, texts: list[tuple[str, str]], sent: dict[str, float]) -> None:
    """The agent's side: each ``(room, text)`` sent, one every ``INTERVAL`` seconds."""
    auth = _util.login(url, AGENT, _util.AGENT_PASSWORD)
    with LivechatClient(url, user_id=auth["X-User-Id"], auth_token=auth["X-Auth-Token"]) as agent:
        for rid, text in texts:
            sent[text] = time.perf_counter()
            agent.messages.send_agent_message(rid, text)
            time.sleep(INTERVAL)


async def _watch(stream: AsyncRealtimeStream, wanted: set[str], seen: dict[str, float]) -> None:
    async for event in stream:
        if isinstance(event, MessageEvent) and event.message.msg in wanted:
            seen[event.message.msg] = time.perf_counter()
            wanted.discard(event.message.msg)
            if not wanted:
                return


async def _round(
    url: str, streams: dict[str, AsyncRealtimeStream], label: str, samples: int
) -> list[float]:
    """At least ``samples`` agent messages, as many into every room; the latencies (s) of those
    the visitors got within 30 s."""
    repeats = max(1, samples // len(streams))
    texts = [(rid, f"{label} {n} {rid}") for n in range(repeats) for rid in streams]
    sent: dict[str, float] = {}
    seen: dict[str, float] = {}
    waiting = [
        asyncio.create_task(_watch(stream, {t for r, t in texts if r == rid}, seen))
        for rid, stream in streams.items()
    ]
    sender = threading.Thread(target=_agent_sends, args=(url, texts, sent))
    sender.start()
    _, late = await asyncio.wait(waiting, timeout=len(texts) * INTERVAL + 30)
    for task in late:
        task.cancel()
    await asyncio.to_thread(sender.join)
    return [seen[text] - sent[text] for text in seen]


async def _open(
    client: AsyncLivechatClient, stack: contextlib.AsyncExitStack, gate: asyncio.Semaphore
) -> tuple[str, AsyncRealtimeStream]:
    async with gate:
        token = new_visitor_token()
        await client.visitor.register_visitor(token, name="Bench Visitor")
        rid = (await client.room.get_room(token)).room.id
        stream = await stack.enter_async_context(client.realtime.connect(token, rooms=[rid]))
        return rid, stream


async def _measure(url: str, pid: int, visitors: int, samples: int) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    async with AsyncLivechatClient(url) as client:
        for count in (1, visitors):
            before = _util.process_status_mb(pid, "VmRSS")
            gate = asyncio.Semaphore(CONNECTING)
            async with contextlib.AsyncExitStack() as stack:
                opened = await asyncio.gather(*(_open(client, stack, gate) for _ in range(count)))
                streams = dict(opened)
                await _round(url, streams, "warm-up", 1)
                rss = _util.process_status_mb(pid, "VmRSS")
                times = await _round(url, streams, "measured", samples)
            millis = [t * 1000 for t in times] or [float("nan")]
            results[f"{count} subscription{'s' if count > 1 else ''} open"] = {
                "subscriptions": count,
                "p50_ms": _util.percentile(millis, 50),
                "p99_ms": _util.percentile(millis, 99),
                "messages": max(len(times), samples),
                "missed": max(1, samples // count) * count - len(times),
                "server_rss_before_mb": before,
                "server_rss_open_mb": rss,
                "server_rss_growth_mb": rss - before,
            }
    return results


def _in_child(visitors: int, samples: int) -> dict[str, dict[str, Any]]:
    with _util.embedded_server_process() as (url, pid):
        return asyncio.run(_measure(url, pid, visitors, samples))


def run(quick: bool) -> Outcome:
    """1,000 subscriptions (quick: 100) against one."""
    visitors, samples = (100, 100) if quick else (1000, 1000)
    figures = _util.in_child(_in_child, visitors, samples)
    one, many = figures["1 subscription open"], figures[f"{visitors} subscriptions open"]
    peer = "same, 1 subscription open"
    where = f"{visitors} subscriptions open"
    note = f"missed: {many['missed']} (1 open: {one['missed']})"
    rows = [
        Row(
            "realtime load",
            f"{where}: agent → visitor, p50",
            many["p50_ms"],
            "ms",
            peer,
            one["p50_ms"],
            note=note,
        ),
        Row(
            "realtime load",
            f"{where}: agent → visitor, p99",
            many["p99_ms"],
            "ms",
            peer,
            one["p99_ms"],
            note=note,
        ),
        Row(
            "realtime load",
            f"{where}: server RSS",
            many["server_rss_open_mb"],
            "MB",
            peer,
            one["server_rss_open_mb"],
            note=f"growth with the subscriptions open: {many['server_rss_growth_mb']:.1f} MB",
        ),
    ]
    table = [{"run": name, **{k: round(v, 2) for k, v in f.items()}} for name, f in figures.items()]
    return Outcome(rows, {"realtime subscriptions open": table})
