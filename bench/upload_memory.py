"""Upload memory: peak RSS growth of the client process while uploading a large file from a path.

Each client runs in its own child process against the canned server (which discards the body
and reports how many bytes it received, so a client that sent less fails). Growth is ``VmHWM``
after the upload minus ``VmHWM`` before it (after imports and a small warm-up upload). The file is
sparse, in a temporary directory. Peers read the file into memory first, as other clients do.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import _util
from _util import Outcome, Row

TOKEN = "54fc5544030bcecda053311cb6b98920bdf953f242c129d7b8065000b1f9b2e9"
RID = "hGFwSKA28nRKut3pD"
MB = 1024 * 1024


def _growth(before_mb: float, received: int, size: int) -> dict[str, Any]:
    """The figures of one upload; ``before_mb`` is ``VmHWM`` just before it started."""
    if received < size:  # the multipart body is the file plus a few hundred bytes
        raise RuntimeError(f"the server received {received} body bytes for a {size}-byte file")
    after = _util.proc_status_mb("VmHWM")
    return {"before_mb": before_mb, "peak_mb": after, "growth_mb": after - before_mb}


def _received(message: Any) -> int:
    return int((message.model_extra or {})["receivedBytes"])


WARM_UP = b"warm-up"


def ours_sync(url: str, path: str, size: int) -> dict[str, Any]:
    """``LivechatClient.room.upload_file(rid, path, token)`` (child process)."""
    from rocketchat_livechat import LivechatClient

    with LivechatClient(url) as client:
        # warm-up: imports (the answer's models too), connection
        client.room.upload_file(RID, WARM_UP, TOKEN, filename="warm-up.bin")
        before = _util.proc_status_mb("VmHWM")
        return _growth(before, _received(client.room.upload_file(RID, path, TOKEN)), size)


def ours_async(url: str, path: str, size: int) -> dict[str, Any]:
    """``AsyncLivechatClient.room.upload_file(rid, path, token)`` (child process)."""
    import asyncio

    from rocketchat_livechat import AsyncLivechatClient

    async def main() -> dict[str, Any]:
        async with AsyncLivechatClient(url) as client:
            await client.room.upload_file(RID, WARM_UP, TOKEN, filename="warm-up.bin")
            before = _util.proc_status_mb("VmHWM")
            message = await client.room.upload_file(RID, path, TOKEN)
            return _growth(before, _received(message), size)

    return asyncio.run(main())


def requests_bytes(url: str, path: str, size: int) -> dict[str, Any]:
    """``requests`` with ``files=`` from the file's bytes (child process)."""
    import requests

    session = requests.Session()
    session.get(f"{url}/api/info")
    before = _util.proc_status_mb("VmHWM")
    files = {"file": (Path(path).name, Path(path).read_bytes(), "application/octet-stream")}
    answer = session.post(
        f"{url}/api/v1/livechat/upload/{RID}", files=files, headers={"x-visitor-token": TOKEN}
    )
    return _growth(before, int(answer.json()["receivedBytes"]), size)


def rocketchat_api(url: str, path: str, size: int) -> dict[str, Any]:
    """``rocketchat_API.rooms_media(rid, path)`` (child process; it has no livechat upload)."""
    from rocketchat_API.rocketchat import RocketChat  # type: ignore[import-untyped]

    rc = RocketChat(server_url=url)
    rc.info()
    before = _util.proc_status_mb("VmHWM")
    return _growth(before, int(rc.rooms_media(RID, path)["receivedBytes"]), size)


Client = Callable[[str, str, int], dict[str, Any]]
CLIENTS: list[tuple[str, Client]] = [
    ("ours (sync, from path)", ours_sync),
    ("ours (async, from path)", ours_async),
    ("requests (files= from bytes)", requests_bytes),
    ("rocketchat_API rooms_media (path)", rocketchat_api),
]


@contextlib.contextmanager
def sparse_file(size: int) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as tmp:
        path = Path(tmp) / "upload.bin"
        with path.open("wb") as f:
            f.truncate(size)
        yield str(path)


def _rows(results: dict[str, dict[str, Any]], size_mb: int) -> list[Row]:
    """Ours vs the in-memory peers; the target is judged on the full 200 MB run only."""
    full = size_mb >= 200
    note = "" if full else f"quick run: {size_mb} MB file (the target is for 200 MB)"
    pairs = [
        ("ours (sync, from path)", "requests (files= from bytes)"),
        ("ours (async, from path)", "requests (files= from bytes)"),
        ("ours (sync, from path)", "rocketchat_API rooms_media (path)"),
    ]
    return [
        Row(
            "upload",
            f"{size_mb} MB upload, {ours}: peak RSS growth",
            results[ours]["growth_mb"],
            "MB",
            peer,
            results[peer]["growth_mb"],
            "< 20 MB for 200 MB",
            results[ours]["growth_mb"] < 20 if full else None,
            note=note,
        )
        for ours, peer in pairs
    ]


def run(quick: bool) -> Outcome:
    """A 200 MB file (quick: 20 MB) through every client."""
    size_mb = 20 if quick else 200
    results: dict[str, dict[str, Any]] = {}
    with sparse_file(size_mb * MB) as path, _util.canned_server() as url:
        for name, client in CLIENTS:
            results[name] = _util.in_child(client, url, path, size_mb * MB)
    table = [{"client": n, **{k: round(v, 1) for k, v in r.items()}} for n, r in results.items()]
    return Outcome(_rows(results, size_mb), {f"{size_mb} MB upload, client RSS": table})
