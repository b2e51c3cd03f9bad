"""Shared benchmark plumbing: result rows, statistics, child processes, servers, RSS."""

from __future__ import annotations

import contextlib
import importlib.util
import math
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar, cast

import httpx2

T = TypeVar("T")
BENCH_DIR = Path(__file__).resolve().parent
ADMIN_USER = "admin"
ADMIN_PASSWORD = "bench-admin-pw"
AGENT_PASSWORD = "bench-agent-pw"


class Pending(Exception):
    """A scenario cannot run yet (a part it measures does not exist): reported, not failed."""


@dataclass
class Row:
    """One reported figure, side by side with its peer.

    ``ratio`` is always ``value / peer_value``; ``better`` says whether lower or higher is better.
    """

    scenario: str
    metric: str
    value: float | None
    unit: str
    peer: str = ""
    peer_value: float | None = None
    target: str = ""
    held: bool | None = None
    note: str = ""
    better: str = "lower"

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.peer_value:
            return None
        return self.value / self.peer_value

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}


@dataclass
class Outcome:
    """What a scenario reports: comparison rows, and raw figures as named tables."""

    rows: list[Row]
    details: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def pending_row(scenario: str, metric: str, reason: str, target: str = "") -> Row:
    return Row(scenario, metric, None, "", target=target, note=f"pending: {reason}")


# --- statistics -----------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


_PROBE = (
    "import time\nbest = 1e9\nfor _ in range(3):\n    t = time.perf_counter()\n"
    "    sum(range(10**7))\n    best = min(best, time.perf_counter() - t)\nprint(best)"
)


def speed_probe() -> float:
    """Seconds a fixed pure-Python loop takes (best of 3), run on every CPU at once; the
    slowest CPU's figure. How fast the machine is right now: the scenarios with a server use
    both cores, and a neighbour on the host can slow one core and not the other.

    The absolute targets (import ms, server msg/s and p99) move with it; the ratios do not."""
    cmd = [sys.executable, "-c", _PROBE]
    probes = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _ in range(os.cpu_count() or 1)
    ]
    return max(float(probe.communicate()[0]) for probe in probes)


# --- processes and memory -------------------------------------------------------------------------


def in_child(func: Callable[..., T], *args: Any, timeout: float = 600) -> T:
    """Run ``func(*args)`` in a fresh interpreter (so its peak RSS is its own) and return it.

    The child is killed if it outlives ``timeout``; its exception comes back as RuntimeError.
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child_main, args=(sender, func, args), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise TimeoutError(f"{func.__name__} did not finish within {timeout:.0f} s")
        ok, value = receiver.recv()
    except EOFError:
        raise RuntimeError(f"{func.__name__}: the child process died") from None
    finally:
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()
        receiver.close()
    if not ok:
        raise RuntimeError(f"{func.__name__} failed in the child process:\n{value}")
    return cast(T, value)


def _child_main(sender: Connection, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        result = (True, func(*args))
    except BaseException:
        result = (False, traceback.format_exc())
    sender.send(result)
    sender.close()


def proc_status_mb(field: str) -> float:
    """A memory field of ``/proc/self/status`` (``VmHWM`` = peak RSS, ``VmRSS``) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _process(cmd: list[str], *, capture: bool) -> Iterator[subprocess.Popen[str]]:
    """A child process, terminated on exit. Only capture output that stays small."""
    output = subprocess.PIPE if capture else subprocess.DEVNULL
    process = subprocess.Popen(
        cmd, stdout=output, stderr=subprocess.DEVNULL, text=True, cwd=BENCH_DIR.parent
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def canned_server() -> Iterator[str]:
    """Start ``_canned_server.py`` in another process; yield its base URL."""
    cmd = [sys.executable, str(BENCH_DIR / "_canned_server.py")]
    with _process(cmd, capture=True) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"canned server did not start: {line!r}")
        yield f"http://127.0.0.1:{int(line.split()[1])}"


def embedded_server_available() -> bool:
    return importlib.util.find_spec("rocketchat_livechat.server.__main__") is not None


@contextlib.contextmanager
def embedded_server(startup_timeout: float = 30) -> Iterator[str]:
    """Start the embedded server in another process with an available agent; yield its URL."""
    with embedded_server_process(startup_timeout) as (url, _):
        yield url


def process_status_mb(pid: int, field: str) -> float:
    """A memory field (``VmRSS``, ``VmHWM``) of another process's ``/proc/<pid>/status``, MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


@contextlib.contextmanager
def embedded_server_process(startup_timeout: float = 30) -> Iterator[tuple[str, int]]:
    """As :func:`embedded_server`, yielding the URL and the server's process id."""
    if not embedded_server_available():
        raise Pending("python -m rocketchat_livechat.server does not exist yet")
    port = free_port()
    cmd = [sys.executable, "-m", "rocketchat_livechat.server", "--port", str(port)]
    cmd += ["--no-rate-limit", "--admin-password", ADMIN_PASSWORD]
    with _process(cmd, capture=False) as process:
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url, process, startup_timeout)
        bring_agent_online(url)
        yield url, process.pid


def _wait_until_up(url: str, process: subprocess.Popen[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Pending(f"embedded server exited with code {process.returncode} at start-up")
        with contextlib.suppress(httpx2.TransportError):
            if httpx2.get(f"{url}/api/info", timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    raise Pending(f"embedded server did not answer /api/info within {timeout:.0f} s")


def rest(url: str, path: str, body: dict[str, Any], auth: dict[str, str] | None = None) -> Any:
    """POST JSON to ``/api/v1/<path>``; the decoded answer (raises on an error status)."""
    response = httpx2.post(f"{url}/api/v1/{path}", json=body, headers=auth or {}, timeout=10)
    if response.status_code >= 400:
        raise RuntimeError(f"POST {path}: HTTP {response.status_code} {response.text[:300]}")
    return response.json()


def login(url: str, username: str, password: str) -> dict[str, str]:
    data = rest(url, "login", {"user": username, "password": password})["data"]
    return {"X-User-Id": data["userId"], "X-Auth-Token": data["authToken"]}


def bring_agent_online(url: str, username: str = "bench.agent") -> dict[str, str]:
    """Create an agent through REST as the admin and make it available for routing.

    Returns the agent's auth headers.
    """
    admin = login(url, ADMIN_USER, ADMIN_PASSWORD)
    user = {
        "username": username,
        "name": "Bench Agent",
        "email": f"{username}@example.com",
        "password": AGENT_PASSWORD,
        "verified": True,
    }
    rest(url, "users.create", user, admin)
    rest(url, "livechat/users/agent", {"username": username}, admin)
    agent = login(url, username, AGENT_PASSWORD)
    rest(url, "users.setStatus", {"status": "online"}, agent)
    rest(url, "livechat/agent.status", {"status": "available"}, agent)
    return agent
