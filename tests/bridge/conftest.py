"""Bridge fixtures: a store of each kind (SQLite file, memory, a real redis-server)."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rocketchat_livechat.bridge import BridgeStore, MemoryStore, SQLiteStore


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A redis-server of the test session's own, on a unix socket (no TCP port at all)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (scripts/test.sh installs it)")
    folder = tmp_path_factory.mktemp("redis")
    socket = folder / "redis.sock"
    command = [
        binary,
        "--port",
        "0",
        "--unixsocket",
        str(socket),
        "--save",
        "",
        "--dir",
        str(folder),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while not socket.exists():
            assert process.poll() is None, f"redis-server exited: {process.stderr.read()!r}"  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "redis-server did not open its socket"
            time.sleep(0.01)
        yield f"unix://{socket}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(params=["sqlite", "memory", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BridgeStore]:
    if request.param == "sqlite":
        made: BridgeStore = SQLiteStore(tmp_path / "bridge.db")
    elif request.param == "memory":
        made = MemoryStore()
    else:
        from rocketchat_livechat.bridge._redis import RedisStore

        made = RedisStore(request.getfixturevalue("redis_url"), prefix=f"t-{tmp_path.name}")
    yield made
    made.close()
