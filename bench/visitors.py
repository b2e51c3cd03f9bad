"""Many visitors at once: register, open room, 5 messages, history — per visitor, all concurrent.

Ours: one ``AsyncLivechatClient`` in one process, every visitor a task. Peer: ``rocketchat_API``
on a 32-thread pool (one ``RocketChat`` session per thread). Each side runs in its own child
process (its peak RSS is ``VmHWM``, its CPU time is ``os.times``), twice in alternating order
(medians reported), each time against a fresh embedded server in a third process; then again
against the canned server, where the server costs nearly nothing and the client is what limits,
and where raw ``httpx2.AsyncClient`` doing the same requests shows what the transport costs.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import Any

import _util
from _util import Outcome, Row

MESSAGES = 5
REQUESTS_PER_VISITOR = 3 + MESSAGES  # register, room, messages, history
THREADS = 32
OURS = "ours (AsyncLivechatClient)"
PEER = f"rocketchat_API ({THREADS} threads)"
RAW = "raw httpx2 (AsyncClient)"


class Meter:
    """Wall time, CPU time and peak RSS of the work that follows its creation."""

    def __init__(self) -> None:
        self.baseline_mb = _util.proc_status_mb("VmHWM")
        self.cpu = _cpu()
        self.started = time.perf_counter()

    def result(self, errors: list[str], visitors: int) -> dict[str, Any]:
        wall = time.perf_counter() - self.started
        requests = visitors * REQUESTS_PER_VISITOR
        return {
            "visitors": visitors,
            "wall_s": wall,
            "requests": requests,
            "requests_per_s": requests / wall,
            "cpu_us_per_request": (_cpu() - self.cpu) / requests * 1e6,
            "errors": len(errors),
            "first_error": errors[0] if errors else "",
            "baseline_rss_mb": self.baseline_mb,
            "peak_rss_mb": _util.proc_status_mb("VmHWM"),
        }


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


async def _all_at_once(flow: Callable[[int], Awaitable[None]], visitors: int) -> dict[str, Any]:
    errors: list[str] = []

    async def guarded(i: int) -> None:
        try:
            await flow(i)
        except Exception as exc:
            errors.append(_describe(exc))

    meter = Meter()
    await asyncio.gather(*(guarded(i) for i in range(visitors)))
    return meter.result(errors, visitors)


def run_ours(url: str, visitors: int) -> dict[str, Any]:
    """All visitors as tasks on one ``AsyncLivechatClient`` (child process)."""
    from rocketchat_livechat import AsyncLivechatClient, new_visitor_token

    async def main() -> dict[str, Any]:
        async with AsyncLivechatClient(url) as client:

            async def flow(i: int) -> None:
                token = new_visitor_token()
                await client.visitor.register_visitor(token, name=f"Visitor {i}")
                rid = (await client.room.get_room(token)).room.id
                for n in range(MESSAGES):
                    await client.messages.send_message(token, rid, f"message {n} from {i}")
                await client.messages.get_message_history(rid, token)

            await client.server_version()  # warm-up: connection pool, imports
            return await _all_at_once(flow, visitors)

    return asyncio.run(main())


def run_raw_httpx2(url: str, visitors: int) -> dict[str, Any]:
    """The same requests with a bare ``httpx2.AsyncClient`` and ``.json()`` (child process)."""
    import httpx2

    async def main() -> dict[str, Any]:
        async with httpx2.AsyncClient(base_url=url + "/api/v1/", timeout=30) as http:

            async def call(method: str, path: str, **kwargs: Any) -> Any:
                response = await http.request(method, path, **kwargs)
                return response.raise_for_status().json()

            async def flow(i: int) -> None:
                token = secrets.token_urlsafe(24)
                visitor = {"token": token, "name": f"Visitor {i}"}
                await call("POST", "livechat/visitor", json={"visitor": visitor})
                rid = (await call("GET", "livechat/room", params={"token": token}))["room"]["_id"]
                for n in range(MESSAGES):
                    body = {"token": token, "rid": rid, "msg": f"message {n} from {i}"}
                    await call("POST", "livechat/message", json=body)
                await call("GET", f"livechat/messages.history/{rid}", params={"token": token})

            await http.get(url + "/api/info")
            return await _all_at_once(flow, visitors)

    return asyncio.run(main())


def run_rocketchat_api(url: str, visitors: int) -> dict[str, Any]:
    """The same work with ``rocketchat_API`` on a 32-thread pool (child process)."""
    from rocketchat_API.rocketchat import RocketChat  # type: ignore[import-untyped]

    local = threading.local()

    def flow(i: int) -> str | None:
        if not hasattr(local, "rc"):
            local.rc = RocketChat(server_url=url)
        rc = local.rc
        try:
            token = secrets.token_urlsafe(24)
            rc.livechat_register_visitor(token, visitor={"name": f"Visitor {i}"})
            rid = rc.livechat_room(token)["room"]["_id"]
            for n in range(MESSAGES):
                rc.livechat_message(token, rid, f"message {n} from {i}")
            list(rc.livechat_messages_history(rid, token))
        except Exception as exc:
            return _describe(exc)
        return None

    RocketChat(server_url=url).info()  # warm-up: imports
    meter = Meter()
    with ThreadPoolExecutor(THREADS) as pool:
        errors = [e for e in pool.map(flow, range(visitors)) if e is not None]
    return meter.result(errors, visitors)


Side = Callable[[str, int], dict[str, Any]]
SIDES: dict[str, Side] = {OURS: run_ours, PEER: run_rocketchat_api, RAW: run_raw_httpx2}
Server = Callable[[], AbstractContextManager[str]]
SERVERS: list[tuple[str, Server, list[str]]] = [
    ("canned server", _util.canned_server, [OURS, PEER, RAW]),
    ("embedded server", _util.embedded_server, [OURS, PEER]),
]


def _measure(server: Server, names: list[str], visitors: int, reps: int) -> dict[str, Any]:
    """Each side ``reps`` times, in alternating order, each time against a fresh server."""
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for rep in range(reps):
        for name in names if rep % 2 == 0 else names[::-1]:
            with server() as url:
                runs[name].append(_util.in_child(SIDES[name], url, visitors))
    return {name: _combine(results) for name, results in runs.items()}


def _combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians of the timings over the runs; errors add up; the peak RSS is the highest."""
    combined: dict[str, Any] = {"runs": len(runs)}
    for key in runs[0]:
        values = [run[key] for run in runs]
        if key == "errors":
            combined[key] = sum(values)
        elif key == "peak_rss_mb":
            combined[key] = max(values)
        elif key == "first_error":
            combined[key] = next((v for v in values if v), "")
        elif isinstance(values[0], float):
            combined[key] = _util.median(values)
        else:  # counts that are the same in every run
            combined[key] = values[0]
    return combined


UNITS = {
    "wall_s": "s",
    "requests_per_s": "req/s",
    "cpu_us_per_request": "µs",
    "errors": "",
    "peak_rss_mb": "MB",
}


def _rows(where: str, results: dict[str, dict[str, Any]], visitors: int) -> list[Row]:
    """Ours vs the peers; size-dependent targets are judged on the full embedded-server run."""
    ours, peer = results[OURS], results[PEER]
    embedded = where == "embedded server"
    judged = visitors >= 1000
    ratio = ours["requests_per_s"] / peer["requests_per_s"]
    cpu_ratio = ours["cpu_us_per_request"] / peer["cpu_us_per_request"]
    # the server's throughput is judged against the embedded server, the client's CPU against the
    # canned one (where the server costs nearly nothing)
    throughput = (">= 1.5x rocketchat_API", ratio >= 1.5) if embedded else ("", None)
    cpu = ("", None) if embedded else ("<= 0.7x rocketchat_API", cpu_ratio <= 0.7)
    specs = [  # label, key, target, held, judged in every run, peer
        ("wall time", "wall_s", "", None, False, PEER),
        ("throughput", "requests_per_s", *throughput, False, PEER),
        ("client CPU per request", "cpu_us_per_request", *cpu, False, PEER),
        ("errors", "errors", "0", ours["errors"] == 0, True, PEER),
        ("peak RSS", "peak_rss_mb", "< 250 MB", ours["peak_rss_mb"] < 250, False, PEER),
    ]
    if RAW in results:
        specs += [
            ("throughput", "requests_per_s", "", None, False, RAW),
            ("client CPU per request", "cpu_us_per_request", "", None, False, RAW),
        ]
    return [
        Row(
            "visitors",
            f"{visitors} visitors, {where}: {label}",
            ours[key],
            UNITS[key],
            other,
            results[other][key],
            target,
            held if judged or always else None,
            note=(ours["first_error"] or peer["first_error"]) if key == "errors" else "",
            better="higher" if key == "requests_per_s" else "lower",
        )
        for label, key, target, held, always, other in specs
    ]


def run(quick: bool) -> Outcome:
    """1,000 visitors, each side twice (quick: 50, once, no raw httpx2): canned, then embedded."""
    visitors, reps = (50, 1) if quick else (1000, 2)
    rows: list[Row] = []
    details: dict[str, list[dict[str, Any]]] = {}
    for where, server, all_names in SERVERS:
        names = [n for n in all_names if n != RAW] if quick else all_names
        try:
            results = _measure(server, names, visitors, reps)
        except _util.Pending as exc:
            rows.append(_util.pending_row("visitors", f"{visitors} visitors, {where}", str(exc)))
            continue
        rows += _rows(where, results, visitors)
        details[f"{visitors} visitors, {where}"] = [
            {"client": name, **{k: _round(v) for k, v in r.items()}} for name, r in results.items()
        ]
    return Outcome(rows, details)


def _round(value: Any) -> Any:
    return round(value, 2) if isinstance(value, float) else value
