"""The embedded server is SIGKILLed under load and restarted on the same data directory.

Every message whose ``send_message`` returned must still be there after the restart, exactly
once and under the returned id; calls cut by the crash must fail with a typed error; the
restarted server keeps serving the same visitors and rooms.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from _reliability_env import rest_agent, start_server_process

from _support.servers import ServerProcess
from rocketchat_livechat import APIConnectionError, APIError, AsyncLivechatClient, new_visitor_token

ADMIN_PASSWORD = "crash-test-admin"
VISITORS = 10
ACKS_BEFORE_KILL = 300


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "livechat-data"


@pytest.fixture
def first_run(data_dir: Path) -> Iterator[ServerProcess]:
    server = start_server_process(data_dir, admin_password=ADMIN_PASSWORD)
    yield server
    server.stop()


@dataclass
class Load:
    acked: dict[str, str] = field(default_factory=dict)  # message id -> text
    errors: list[BaseException] = field(default_factory=list)
    attempted: set[str] = field(default_factory=set)


async def _visitor_load(
    client: AsyncLivechatClient, token: str, rid: str, load: Load, stop: asyncio.Event
) -> None:
    """Send until ``stop`` or the first failure (the crash)."""
    i = 0
    while not stop.is_set():
        text = f"{token[:8]} #{i}"
        load.attempted.add(text)
        try:
            message = await client.messages.send_message(token, rid, text)
        except BaseException as exc:
            load.errors.append(exc)
            return
        load.acked[message.id] = text
        i += 1


async def _open_chats(client: AsyncLivechatClient) -> list[tuple[str, str]]:
    chats = []
    for i in range(VISITORS):
        token = new_visitor_token()
        await client.visitor.register_visitor(token, name=f"Crash {i}")
        chats.append((token, (await client.room.get_room(token)).room.id))
    return chats


@pytest.mark.timeout(120)
async def test_sigkill_under_load_keeps_every_acknowledged_message(
    first_run: ServerProcess, data_dir: Path
) -> None:
    rest_agent(first_run.url, ADMIN_PASSWORD, "crash-agent", "pw-123456")
    load, stop = Load(), asyncio.Event()
    async with AsyncLivechatClient(first_run.url, timeout=2.0) as client:
        chats = await _open_chats(client)
        tasks = [
            asyncio.create_task(_visitor_load(client, token, rid, load, stop))
            for token, rid in chats
        ]
        while len(load.acked) < ACKS_BEFORE_KILL:
            await asyncio.sleep(0.01)
        await asyncio.to_thread(first_run.kill)  # requests are in flight right now
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=30)
    assert first_run.proc.returncode == -signal.SIGKILL

    second_run = start_server_process(data_dir, admin_password=ADMIN_PASSWORD)
    try:
        async with AsyncLivechatClient(second_run.url) as client:
            stored: Counter[tuple[str, str]] = Counter()
            for token, rid in chats:
                async for message in client.messages.iter_message_history(rid, token):
                    if message.t is None:
                        stored[(message.id, message.msg or "")] += 1
            after = [
                await client.messages.send_message(token, rid, "after restart")
                for token, rid in chats
            ]
    finally:
        second_run.stop()

    crash_errors = [exc for exc in load.errors if not isinstance(exc, asyncio.CancelledError)]
    print(
        f"acknowledged {len(load.acked)}, attempted {len(load.attempted)}, "
        f"in flight at the kill {len(crash_errors)} "
        f"{dict(Counter(type(e).__name__ for e in crash_errors))}, "
        f"stored after restart {sum(stored.values())}"
    )
    missing = [i for i, text in load.acked.items() if stored[(i, text)] != 1]
    assert not missing, f"acknowledged but lost in the crash: {missing[:10]}"
    assert all(n == 1 for n in stored.values()), "a message was stored twice"
    assert {text for _, text in stored} <= load.attempted
    assert crash_errors and all(isinstance(exc, APIConnectionError) for exc in crash_errors)
    assert all(isinstance(exc, APIError) for exc in load.errors)
    assert all(m.msg == "after restart" for m in after)
    assert not any("Traceback" in line for line in second_run.output), second_run.output
    assert os.path.exists(data_dir / "livechat.sqlite3")
