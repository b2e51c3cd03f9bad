"""A minimal HTTP/1.1 keep-alive server answering canned Rocket.Chat JSON, for client benchmarks.

It runs in its own process (``python bench/_canned_server.py``), prints ``PORT <n>`` once it
listens on 127.0.0.1, and exits when its parent dies. Request bodies are read in chunks and
discarded (``Content-Length`` or chunked), so a 200 MB upload costs it no memory; the upload
answer reports ``receivedBytes`` so a benchmark can check the whole body arrived.

Answers by path: ``livechat/message`` → a stored message, ``messages.history`` → ``limit``
messages (default 20, at most 200), ``livechat/visitor`` → a visitor, ``livechat/room`` → an
open room, ``livechat/upload`` and ``rooms.media`` → a file message, ``/api/info`` → a version,
anything else → ``{"success": true}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

CHUNK = 1 << 20
MAX_HISTORY = 200
_USER = {"_id": "6523dc0ba2f73c7460e18d4d", "username": "guest-35", "name": "Baek"}
_TOKEN = "54fc5544030bcecda053311cb6b98920bdf953f242c129d7b8065000b1f9b2e9"


def message(i: int) -> dict[str, Any]:
    """A visitor message as Rocket.Chat stores and returns it."""
    text = f"Hello World! message number {i}"
    return {
        "_id": f"djsajdkscks{i:06d}",
        "rid": "hGFwSKA28nRKut3pD",
        "msg": text,
        "token": _TOKEN,
        "alias": "Baek",
        "ts": f"2023-10-31T13:{i // 60 % 60:02d}:{i % 60:02d}.804Z",
        "u": _USER,
        "_updatedAt": f"2023-10-31T13:{i // 60 % 60:02d}:{i % 60:02d}.960Z",
        "urls": [],
        "mentions": [],
        "channels": [],
        "md": [{"type": "PARAGRAPH", "value": [{"type": "PLAIN_TEXT", "value": text}]}],
    }


def _visitor() -> dict[str, Any]:
    return {
        "_id": "642fc15452492a08c3a756de",
        "username": "guest-19",
        "status": "online",
        "ts": "2023-04-07T07:08:04.375Z",
        "_updatedAt": "2023-11-03T08:23:23.449Z",
        "name": "Livechat Visitor",
        "token": "iNKE8a6k6cjbqWhWd",
        "visitorEmails": [{"address": "visitor@rocket.chat"}],
    }


def _room() -> dict[str, Any]:
    return {
        "_id": "hGFwSKA28nRKut3pD",
        "fname": "Baek",
        "t": "l",
        "v": {"_id": _USER["_id"], "username": "guest-35", "token": _TOKEN, "status": "online"},
        "open": True,
        "msgs": 0,
        "ts": "2023-10-31T13:14:29.804Z",
        "_updatedAt": "2023-10-31T13:14:29.960Z",
        "usersCount": 2,
        "cl": False,
        "servedBy": {"_id": "XycfA5CetCPuEjqxw", "username": "agent", "ts": "2023-10-31T13:14Z"},
        "source": {"type": "api"},
    }


def _encode(body: dict[str, Any]) -> bytes:
    return json.dumps({**body, "success": True}, separators=(",", ":")).encode()


class Answers:
    """Canned response bodies, encoded once."""

    def __init__(self) -> None:
        self.message = _encode({"message": message(0)})
        self.visitor = _encode({"visitor": _visitor()})
        self.room = _encode({"room": _room(), "newRoom": True})
        self.info = json.dumps({"version": "7.10.0", "success": True}).encode()
        self.ok = _encode({})
        self._history: dict[int, bytes] = {}

    def history(self, limit: int) -> bytes:
        limit = max(1, min(limit, MAX_HISTORY))
        if limit not in self._history:
            messages = [message(i) for i in range(limit)]
            self._history[limit] = _encode({"messages": messages, "unreadNotLoaded": 0})
        return self._history[limit]

    def upload(self, received: int) -> bytes:
        body = {**message(0), "file": {"_id": "uredcLri4GdehDQnD", "name": "f.bin"}}
        return _encode(
            {**body, "newRoom": False, "showConnecting": False, "receivedBytes": received}
        )

    def route(self, method: str, target: str, received: int) -> bytes:
        url = urlsplit(target)
        path = url.path
        if "messages.history" in path:
            limit = parse_qs(url.query).get("limit", ["20"])[0]
            return self.history(int(limit) if limit.isdigit() else 20)
        if "livechat/upload" in path or "rooms.media" in path:
            return self.upload(received)
        routes: list[tuple[str, Callable[[], bytes]]] = [
            ("livechat/message", lambda: self.message),
            ("livechat/visitor", lambda: self.visitor),
            ("livechat/room", lambda: self.room),
            ("/api/info", lambda: self.info),
        ]
        return next((answer() for key, answer in routes if key in path), self.ok)


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> int:
    """Read and discard the request body; the number of body bytes."""
    if headers.get("transfer-encoding", "").lower() == "chunked":
        total = 0
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await _discard(reader, size + 2)  # the chunk and its CRLF (no trailers are sent)
            total += size
            if size == 0:
                return total
    length = int(headers.get("content-length", "0"))
    await _discard(reader, length)
    return length


async def _discard(reader: asyncio.StreamReader, size: int) -> None:
    while size > 0:
        chunk = await reader.read(min(size, CHUNK))
        if not chunk:
            raise asyncio.IncompleteReadError(b"", size)
        size -= len(chunk)


def _parse_head(head: bytes) -> tuple[str, str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return method, target, headers


async def _serve_connection(
    answers: Answers, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            method, target, headers = _parse_head(head)
            received = await _read_body(reader, headers)
            body = answers.route(method, target, received)
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
            )
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                return
    except (asyncio.IncompleteReadError, ConnectionError):
        return
    finally:
        writer.close()


async def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        await asyncio.sleep(1.0)


async def serve(port: int) -> None:
    """Listen on 127.0.0.1:``port`` (0: any free port) until the parent process exits."""
    answers = Answers()
    parent = os.getppid()
    server = await asyncio.start_server(
        lambda r, w: _serve_connection(answers, r, w),
        "127.0.0.1",
        port,
        limit=CHUNK,
        backlog=2048,
    )
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await _watch_parent(parent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.port))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
