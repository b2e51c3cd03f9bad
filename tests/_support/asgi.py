"""Serve an ASGI app with uvicorn on 127.0.0.1 inside the running event loop (tests)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

import uvicorn


@contextlib.asynccontextmanager
async def serving(app: Any, *, timeout: float = 10) -> AsyncIterator[str]:
    """``app`` served on a free port of 127.0.0.1 until the block ends; yields its URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        while not server.started:  # a condition with a deadline, not a hopeful sleep
            assert not task.done() and loop.time() < deadline, "uvicorn did not start"
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()
