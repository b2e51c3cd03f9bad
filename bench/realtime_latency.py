"""Realtime latency: agent sends → visitor receives, DDP stream vs polling the history.

    python bench/realtime_latency.py [--messages N] [--interval S] [--poll-interval S]

Starts the embedded server in another process (loopback), opens a visitor's room and has the
agent send N messages, one every ``--interval`` seconds, from a thread. The visitor sees them
through ``client.realtime`` and, side by side, by polling ``messages.history`` every
``--poll-interval`` seconds. Latency runs from the moment the agent starts its send request to
the moment the visitor's code holds the message. Prints one JSON line: p50/p99/max in ms and
the number of messages each way missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
import time
from typing import Any

import _util

from rocketchat_livechat import AsyncLivechatClient, LivechatClient
from rocketchat_livechat._core.tokens import new_visitor_token
from rocketchat_livechat.realtime import AsyncRealtimeStream, MessageEvent

AGENT = "bench.agent"


def send_all(url: str, rid: str, texts: list[str], interval: float, sent: dict[str, float]) -> None:
    """The agent's side: send each text, noting when its request started."""
    auth = _util.login(url, AGENT, _util.AGENT_PASSWORD)
    with LivechatClient(url, user_id=auth["X-User-Id"], auth_token=auth["X-Auth-Token"]) as agent:
        for text in texts:
            sent[text] = time.perf_counter()
            agent.messages.send_agent_message(rid, text)
            time.sleep(interval)


async def watch_stream(
    stream: AsyncRealtimeStream, wanted: set[str], seen: dict[str, float]
) -> None:
    async for event in stream:
        if isinstance(event, MessageEvent) and event.message.msg in wanted:
            seen.setdefault(event.message.msg, time.perf_counter())
            if len(seen) == len(wanted):
                return


async def poll_history(
    client: AsyncLivechatClient,
    token: str,
    rid: str,
    wanted: set[str],
    seen: dict[str, float],
    every: float,
) -> None:
    while len(seen) < len(wanted):
        for message in await client.messages.get_message_history(rid, token, limit=100):
            if message.msg in wanted:
                seen.setdefault(message.msg, time.perf_counter())
        await asyncio.sleep(every)


def figures(sent: dict[str, float], seen: dict[str, float]) -> dict[str, Any]:
    latencies = [(seen[t] - sent[t]) * 1000 for t in sent if t in seen]
    if not latencies:
        return {"missed": len(sent)}
    return {
        "p50_ms": round(_util.percentile(latencies, 50), 3),
        "p99_ms": round(_util.percentile(latencies, 99), 3),
        "max_ms": round(max(latencies), 3),
        "missed": len(sent) - len(latencies),
    }


async def measure(url: str, count: int, interval: float, poll_every: float) -> dict[str, Any]:
    texts = [f"bench-{i:05d}" for i in range(count)]
    wanted = set(texts)
    sent: dict[str, float] = {}
    by_stream: dict[str, float] = {}
    by_polling: dict[str, float] = {}
    async with AsyncLivechatClient(url) as client:
        token = new_visitor_token()
        await client.visitor.register_visitor(token, name="Bench Visitor")
        rid = (await client.room.get_room(token)).room.id
        async with client.realtime.connect(token, rooms=[rid]) as stream:
            # warm up: the subscription is live once a first message went all the way through
            await asyncio.to_thread(send_all, url, rid, ["warm-up"], 0, {})
            await watch_stream(stream, {"warm-up"}, {})
            sender = threading.Thread(target=send_all, args=(url, rid, texts, interval, sent))
            poller = asyncio.create_task(
                poll_history(client, token, rid, wanted, by_polling, poll_every)
            )
            sender.start()
            budget = count * interval + 30
            try:
                await asyncio.wait_for(watch_stream(stream, wanted, by_stream), budget)
                await asyncio.wait_for(poller, 3 * poll_every + 10)
            finally:
                poller.cancel()
                await asyncio.to_thread(sender.join)
    return {
        "messages": count,
        "interval_ms": interval * 1000,
        "poll_every_s": poll_every,
        "realtime": figures(sent, by_stream),
        "polling": figures(sent, by_polling),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500, help="messages to send (500)")
    parser.add_argument("--interval", type=float, default=0.02, help="seconds between sends")
    parser.add_argument("--poll-interval", type=float, default=1.0, help="polling period (1 s)")
    args = parser.parse_args(argv)
    with _util.embedded_server() as url:
        results = asyncio.run(measure(url, args.messages, args.interval, args.poll_interval))
    print(json.dumps(results), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
