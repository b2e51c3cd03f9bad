"""Embedded server: ``POST livechat/message`` throughput and latency with 50 concurrent visitors,
and DDP fan-out of one message to 500 subscriptions.

The load comes from a raw asyncio HTTP/1.1 client (prebuilt requests, one keep-alive connection
per visitor) in a child process, so the server is what is measured; the same load against the
canned server is the load generator's own ceiling, reported as the peer. Fan-out: 500 websocket
connections of one visitor subscribe to its room's ``stream-room-messages``; each message sent
through REST is timed until every subscription has it.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import urlsplit

import _util
from _util import Outcome, Row

VISITORS = 50
SUBSCRIBERS = 500


def _request(host: str, token: str, rid: str, n: int) -> bytes:
    body = json.dumps({"token": token, "rid": rid, "msg": f"load message {n}"}).encode()
    head = (
        f"POST /api/v1/livechat/message HTTP/1.1\r\nHost: {host}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one response; its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return int(head.split(b" ", 2)[1])


async def _visitor_load(
    url: str, token: str, rid: str, deadline: float, latencies: list[float], errors: list[int]
) -> None:
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    n = 0
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(_request(parts.netloc, token, rid, n))
            status = await _read_response(reader)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors.append(status)
            n += 1
    finally:
        writer.close()


def load(url: str, visitors: list[tuple[str, str]], seconds: float) -> dict[str, Any]:
    """Every visitor sends messages back to back for ``seconds`` (child process)."""

    async def main() -> tuple[list[float], list[int], float]:
        latencies: list[float] = []
        errors: list[int] = []
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(
            *(_visitor_load(url, t, r, deadline, latencies, errors) for t, r in visitors)
        )
        return latencies, errors, time.perf_counter() - started

    latencies, errors, elapsed = asyncio.run(main())
    return {
        "messages": len(latencies),
        "messages_per_s": len(latencies) / elapsed,
        "p50_ms": _util.percentile(latencies, 50) * 1000,
        "p99_ms": _util.percentile(latencies, 99) * 1000,
        "errors": len(errors),
    }


def open_visitors(url: str, count: int) -> list[tuple[str, str]]:
    """``count`` registered visitors with an open room each: ``(token, rid)``."""
    from rocketchat_livechat import LivechatClient, new_visitor_token

    visitors = []
    with LivechatClient(url) as client:
        for i in range(count):
            token = new_visitor_token()
            client.visitor.register_visitor(token, name=f"Load {i}")
            visitors.append((token, client.room.get_room(token).room.id))
    return visitors


def _throughput_rows(embedded: dict[str, Any], canned: dict[str, Any]) -> list[Row]:
    peer = "same load vs canned server (load-generator ceiling)"
    return [
        Row(
            "server",
            f"POST livechat/message, {VISITORS} visitors: throughput",
            embedded["messages_per_s"],
            "msg/s",
            peer,
            canned["messages_per_s"],
            ">= 1,500 msg/s",
            embedded["messages_per_s"] >= 1500,
            better="higher",
        ),
        Row(
            "server",
            f"POST livechat/message, {VISITORS} visitors: p99 latency",
            embedded["p99_ms"],
            "ms",
            peer,
            canned["p99_ms"],
            "< 50 ms",
            embedded["p99_ms"] < 50,
            note=f"p50 {embedded['p50_ms']:.1f} ms",
        ),
        Row(
            "server",
            f"POST livechat/message, {VISITORS} visitors: non-200 answers",
            embedded["errors"],
            "",
            peer,
            canned["errors"],
            "0",
            embedded["errors"] == 0,
        ),
    ]


# --- DDP fan-out ----------------------------------------------------------------------------------


def _ws_url(url: str) -> str:
    return url.replace("http://", "ws://", 1) + "/websocket"


async def _ddp_connect(url: str) -> Any:
    """A DDP session: connected, or ``Pending`` when ``/websocket`` does not speak DDP yet."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import WebSocketException

    try:
        ws = await connect(_ws_url(url), max_size=None)
        await ws.send(json.dumps({"msg": "connect", "version": "1", "support": ["1"]}))
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 5))
            if frame.get("msg") == "connected":
                return ws
            if frame.get("msg") == "failed":
                raise _util.Pending("DDP connect answered 'failed'")
    except (OSError, TimeoutError, ValueError, WebSocketException) as exc:
        raise _util.Pending(f"/websocket does not speak DDP yet ({exc!r})") from exc


async def _subscribe(url: str, token: str, rid: str) -> Any:
    ws = await _ddp_connect(url)
    args = [{"token": token, "visitorToken": token}]
    params = [rid, {"useCollection": False, "args": args}]
    await ws.send(
        json.dumps({"msg": "sub", "id": "s1", "name": "stream-room-messages", "params": params})
    )
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if frame.get("msg") == "ready":
            return ws
        if frame.get("msg") == "nosub":
            raise RuntimeError(f"subscription refused: {frame}")


async def _receive(ws: Any, arrivals: dict[str, list[float]]) -> None:
    """Record when each message id arrives; answer pings."""
    async for raw in ws:
        frame = json.loads(raw)
        if frame.get("msg") == "ping":
            await ws.send(
                json.dumps({"msg": "pong", **({"id": frame["id"]} if "id" in frame else {})})
            )
        elif frame.get("msg") == "changed":
            for doc in frame.get("fields", {}).get("args", []):
                if isinstance(doc, dict) and doc.get("_id") in arrivals:
                    arrivals[doc["_id"]].append(time.perf_counter())


async def _fan_out(
    url: str, token: str, rid: str, messages: int, subscribers: int
) -> dict[str, Any]:
    import httpx2

    sockets = []
    for start in range(0, subscribers, 50):
        batch = range(start, min(start + 50, subscribers))
        sockets += await asyncio.gather(*(_subscribe(url, token, rid) for _ in batch))
    arrivals: dict[str, list[float]] = {}
    readers = [asyncio.create_task(_receive(ws, arrivals)) for ws in sockets]
    delays: list[float] = []
    last: list[float] = []
    try:
        async with httpx2.AsyncClient(base_url=url) as http:
            for n in range(messages):
                delays_n = await _one_fan_out(http, token, rid, n, arrivals, subscribers)
                delays += delays_n
                last.append(max(delays_n))
    finally:
        for task in readers:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    return {
        "subscribers": subscribers,
        "messages": messages,
        "p50_ms": _util.percentile(delays, 50) * 1000,
        "p99_ms": _util.percentile(delays, 99) * 1000,
        "all_delivered_median_ms": _util.median(last) * 1000,
    }


async def _one_fan_out(
    http: Any, token: str, rid: str, n: int, arrivals: dict[str, list[float]], expected: int
) -> list[float]:
    """Send message ``n``; the delay until each of the ``expected`` subscriptions got it."""
    message_id = f"fanout{expected:05d}{n:06d}"
    arrivals[message_id] = []
    started = time.perf_counter()
    body = {"token": token, "rid": rid, "msg": f"fan-out {n}", "_id": message_id}
    (await http.post("/api/v1/livechat/message", json=body)).raise_for_status()
    deadline = started + 30
    while len(arrivals[message_id]) < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.001)
    if len(arrivals[message_id]) < expected:
        raise RuntimeError(f"{len(arrivals[message_id])}/{expected} subscribers got message {n}")
    return [t - started for t in arrivals[message_id]]


def fan_out(url: str, messages: int, subscribers: int) -> dict[str, Any]:
    """Fan-out figures for a new visitor's room (child process)."""
    ((token, rid),) = open_visitors(url, 1)
    return asyncio.run(_fan_out(url, token, rid, messages, subscribers))


def _fan_out_rows(url: str, messages: int, subscribers: int) -> list[Row]:
    metric = f"DDP fan-out, 1 message to {subscribers} subscriptions"
    try:
        asyncio.run(_probe_ddp(url))
    except _util.Pending as exc:
        return [_util.pending_row("server", metric, str(exc))]
    many = _util.in_child(fan_out, url, messages, subscribers)
    one = _util.in_child(fan_out, url, messages, 1)
    note = f"per subscriber: p50 {many['p50_ms']:.1f} ms, p99 {many['p99_ms']:.1f} ms"
    return [
        Row(
            "server",
            f"{metric}: until all have it (median of {messages})",
            many["all_delivered_median_ms"],
            "ms",
            "same, 1 subscription",
            one["all_delivered_median_ms"],
            note=note,
        ),
    ]


async def _probe_ddp(url: str) -> None:
    ws = await _ddp_connect(url)
    await ws.close()


def run(quick: bool) -> Outcome:
    """10 s of load, then 10 messages to 500 subscriptions (quick: 1.5 s, 3 to 100)."""
    seconds, messages, subscribers = (1.5, 3, 100) if quick else (10.0, 10, SUBSCRIBERS)
    try:
        with _util.embedded_server() as url:
            visitors = open_visitors(url, VISITORS)
            _util.in_child(load, url, visitors, min(1.0, seconds / 3))  # warm-up
            embedded = _util.in_child(load, url, visitors, seconds)
            fan_out_rows = _fan_out_rows(url, messages, subscribers)
    except _util.Pending as exc:
        return Outcome([_util.pending_row("server", "embedded server", str(exc))])
    with _util.canned_server() as canned_url:
        canned = _util.in_child(load, canned_url, visitors, seconds)
    details = {
        f"POST livechat/message, {VISITORS} concurrent visitors": [
            {"server": "embedded", **_rounded(embedded)},
            {"server": "canned (load-generator ceiling)", **_rounded(canned)},
        ]
    }
    return Outcome(_throughput_rows(embedded, canned) + fan_out_rows, details)


def _rounded(result: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 1) if isinstance(v, float) else v for k, v in result.items()}
