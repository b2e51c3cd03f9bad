"""Per-call overhead: the same request through each client, over keep-alive, to the canned server.

Clients run interleaved in rounds (the machine's noise hits them alike) in one child process;
each figure is the median of the per-call times. Operations: ``send_message`` (POST
``livechat/message``) and a 200-message ``get_message_history`` page, where parsing matters.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any, Literal
from urllib.parse import urlsplit

import _util
from _util import Outcome, Row

TOKEN = "54fc5544030bcecda053311cb6b98920bdf953f242c129d7b8065000b1f9b2e9"
RID = "hGFwSKA28nRKut3pD"
TEXT = "Hello World!"
HISTORY = 200
SEND_PATH = "/api/v1/livechat/message"
HISTORY_PATH = f"/api/v1/livechat/messages.history/{RID}?token={TOKEN}&limit={HISTORY}"


class Subject:
    """A client under test: ``send()``/``history()`` make one call each."""

    name = ""

    def __init__(self, url: str) -> None:
        self.url = url

    def batch(self, op: str, n: int) -> list[float]:
        """Seconds per call for ``n`` calls of ``op``."""
        call: Callable[[], object] = getattr(self, op)
        times = []
        for _ in range(n):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        return times

    def close(self) -> None:
        return None


class AsyncSubject(Subject):
    """An async client, driven by one long-lived event loop."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.loop = asyncio.new_event_loop()

    def batch(self, op: str, n: int) -> list[float]:
        call: Callable[[], Awaitable[object]] = getattr(self, "a" + op)
        return self.loop.run_until_complete(self._abatch(call, n))

    @staticmethod
    async def _abatch(call: Callable[[], Awaitable[object]], n: int) -> list[float]:
        times = []
        for _ in range(n):
            started = time.perf_counter()
            await call()
            times.append(time.perf_counter() - started)
        return times

    def close(self) -> None:
        self.loop.run_until_complete(self.aclose())
        self.loop.close()

    async def aclose(self) -> None:
        return None


class HttpClient(Subject):
    name = "http.client"

    def __init__(self, url: str) -> None:
        super().__init__(url)
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname or "", parts.port)

    def _call(self, method: str, path: str, body: bytes | None) -> Any:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        self.conn.request(method, path, body=body, headers=headers)
        return json.loads(self.conn.getresponse().read())

    def send(self) -> Any:
        body = json.dumps({"token": TOKEN, "rid": RID, "msg": TEXT}).encode()
        return self._call("POST", SEND_PATH, body)

    def history(self) -> Any:
        return self._call("GET", HISTORY_PATH, None)

    def close(self) -> None:
        self.conn.close()


class Httpx2(Subject):
    name = "raw httpx2"

    def __init__(self, url: str) -> None:
        import httpx2

        super().__init__(url)
        self.client = httpx2.Client(base_url=url)

    def send(self) -> Any:
        return self.client.post(SEND_PATH, json={"token": TOKEN, "rid": RID, "msg": TEXT}).json()

    def history(self) -> Any:
        return self.client.get(HISTORY_PATH).json()

    def close(self) -> None:
        self.client.close()


class Requests(Subject):
    name = "requests"

    def __init__(self, url: str) -> None:
        import requests

        super().__init__(url)
        self.session = requests.Session()

    def send(self) -> Any:
        body = {"token": TOKEN, "rid": RID, "msg": TEXT}
        return self.session.post(self.url + SEND_PATH, json=body).json()

    def history(self) -> Any:
        return self.session.get(self.url + HISTORY_PATH).json()

    def close(self) -> None:
        self.session.close()


class RocketChatAPI(Subject):
    name = "rocketchat_API"

    def __init__(self, url: str) -> None:
        from rocketchat_API.rocketchat import RocketChat  # type: ignore[import-untyped]

        super().__init__(url)
        self.rc = RocketChat(server_url=url)

    def send(self) -> Any:
        return self.rc.livechat_message(TOKEN, RID, TEXT)

    def history(self) -> Any:
        # paginated generator; limit= reaches the query, max_count stops after one page
        return list(self.rc.livechat_messages_history(RID, TOKEN, limit=HISTORY, max_count=HISTORY))

    def close(self) -> None:
        self.rc.session.close()


class OursSync(Subject):
    name = "ours (sync)"
    backend: Literal["auto", "httpx2"] = "auto"  # auto: http.client under httpx2

    def __init__(self, url: str) -> None:
        from rocketchat_livechat import LivechatClient

        super().__init__(url)
        self.client = LivechatClient(url, http_backend=self.backend)

    def send(self) -> Any:
        return self.client.messages.send_message(TOKEN, RID, TEXT)

    def history(self) -> Any:
        return self.client.messages.get_message_history(RID, TOKEN, limit=HISTORY)

    def close(self) -> None:
        self.client.close()


class OursSyncHttpx2(OursSync):
    name = "ours (sync, httpx2 backend)"
    backend = "httpx2"


class Httpx2Async(AsyncSubject):
    name = "raw httpx2 (async)"

    def __init__(self, url: str) -> None:
        import httpx2

        super().__init__(url)
        self.client = httpx2.AsyncClient(base_url=url)

    async def asend(self) -> Any:
        body = {"token": TOKEN, "rid": RID, "msg": TEXT}
        return (await self.client.post(SEND_PATH, json=body)).json()

    async def ahistory(self) -> Any:
        return (await self.client.get(HISTORY_PATH)).json()

    async def aclose(self) -> None:
        await self.client.aclose()


class OursAsync(AsyncSubject):
    name = "ours (async)"

    def __init__(self, url: str) -> None:
        from rocketchat_livechat import AsyncLivechatClient

        super().__init__(url)
        self.client = AsyncLivechatClient(url)

    async def asend(self) -> Any:
        return await self.client.messages.send_message(TOKEN, RID, TEXT)

    async def ahistory(self) -> Any:
        return await self.client.messages.get_message_history(RID, TOKEN, limit=HISTORY)

    async def aclose(self) -> None:
        await self.client.close()


SUBJECTS: list[type[Subject]] = [
    HttpClient,
    Httpx2,
    Requests,
    RocketChatAPI,
    OursSync,
    OursSyncHttpx2,
    Httpx2Async,
    OursAsync,
]


Figures = dict[str, dict[str, float]]


def measure(url: str, calls: dict[str, int], rounds: int) -> dict[str, Figures]:
    """Per operation, the figures of every subject, interleaved over ``rounds`` (child process).

    ``calls`` maps each operation to its number of calls per subject. Wall time is taken per
    call; CPU time (of this process only: the server is another one) per batch.
    """
    subjects = [cls(url) for cls in SUBJECTS]
    try:
        return {op: _measure_op(subjects, op, n, rounds) for op, n in calls.items()}
    finally:
        for subject in subjects:
            subject.close()


def _measure_op(subjects: list[Subject], op: str, calls: int, rounds: int) -> Figures:
    times: dict[str, list[float]] = {s.name: [] for s in subjects}
    cpu = dict.fromkeys(times, 0.0)
    for subject in subjects:
        subject.batch(op, max(10, calls // 20))  # warm-up: connection, schemas, caches
    for r in range(rounds):
        for subject in subjects[r % len(subjects) :] + subjects[: r % len(subjects)]:
            started = time.process_time()
            times[subject.name] += subject.batch(op, calls // rounds)
            cpu[subject.name] += time.process_time() - started
    return {name: _stats(times[name], cpu[name]) for name in times}


def _stats(times: list[float], cpu: float) -> dict[str, float]:
    return {
        "calls": len(times),
        "median_us": _util.median(times) * 1e6,
        "p99_us": _util.percentile(times, 99) * 1e6,
        "mean_us": sum(times) / len(times) * 1e6,
        "client_cpu_us": cpu / len(times) * 1e6,
    }


def _row(
    stats: Figures,
    metric: str,
    ours: str,
    peer: str,
    key: str = "median_us",
    target: tuple[str, float] | None = None,
    note: str = "",
) -> Row:
    """``ours`` vs ``peer`` on one figure; ``target`` is (text, highest ratio that holds)."""
    value, peer_value = stats[ours][key], stats[peer][key]
    unit = "µs/call" if key == "median_us" else "µs CPU/call"
    text, held = ("", None) if target is None else (target[0], value / peer_value <= target[1])
    return Row("overhead", f"{metric}, {ours}", value, unit, peer, peer_value, text, held, note)


def _send_rows(stats: Figures) -> list[Row]:
    metric, cpu = "send_message", "send_message client CPU"
    return [
        _row(stats, metric, "ours (sync)", "raw httpx2", target=("<= 1.15x", 1.15)),
        _row(
            stats,
            metric,
            "ours (sync)",
            "rocketchat_API",
            target=(">= 1.5x faster (ratio <= 0.67)", 1 / 1.5),
        ),
        _row(stats, metric, "ours (sync)", "requests"),
        _row(
            stats,
            metric,
            "ours (sync)",
            "http.client",
            target=("stretch: <= 2.0x (the floor)", 2.0),
            note="http.client: no pool, no retries, no validation; the floor, not a peer",
        ),
        _row(stats, metric, "ours (sync)", "ours (sync, httpx2 backend)"),
        _row(stats, metric, "ours (async)", "raw httpx2 (async)"),
        _row(stats, metric, "rocketchat_API", "requests"),
        _row(stats, cpu, "ours (sync)", "raw httpx2", "client_cpu_us"),
        _row(stats, cpu, "ours (sync)", "rocketchat_API", "client_cpu_us"),
        _row(stats, cpu, "ours (async)", "raw httpx2 (async)", "client_cpu_us"),
    ]


def _history_rows(stats: Figures) -> list[Row]:
    metric = f"get_message_history ({HISTORY} msgs, typed models)"
    note = "ours validates 200 pydantic Message models; the peers return plain dicts"
    pairs: list[tuple[str, str, tuple[str, float] | None]] = [
        ("ours (sync)", "raw httpx2", None),
        ("ours (sync)", "rocketchat_API", ("<= 1.0x", 1.0)),
        ("ours (sync)", "http.client", None),
        ("ours (sync)", "ours (sync, httpx2 backend)", None),
        ("ours (async)", "raw httpx2 (async)", None),
        ("ours (async)", "rocketchat_API", None),
    ]
    return [_row(stats, metric, ours, peer, target=t, note=note) for ours, peer, t in pairs]


def _table(stats: Figures) -> list[dict[str, Any]]:
    return [{"client": name, **{k: round(v, 1) for k, v in s.items()}} for name, s in stats.items()]


def run(quick: bool) -> Outcome:
    """2,400 sends and 300 history pages per client (quick: 200 and 40)."""
    sends, pages, rounds = (200, 40, 2) if quick else (2400, 300, 6)
    with _util.canned_server() as url:
        figures = _util.in_child(measure, url, {"send": sends, "history": pages}, rounds)
    send, history = figures["send"], figures["history"]
    return Outcome(
        _send_rows(send) + _history_rows(history),
        {
            "send_message per client (median of per-call times)": _table(send),
            f"get_message_history, {HISTORY} messages, per client": _table(history),
        },
    )
