"""The embedded server as a child process: started, waited for and stopped one way.

:func:`start_server` runs a command such as ``python -m rocketchat_livechat.server --port 0``,
reads its output (stdout and stderr together) in a thread, and returns once the server
announced ``listening on <url>`` *and* ``GET <url>/api/info`` answered 200. If the process
exits first, or the deadline passes, it is killed and the test fails with its exit code and
everything it printed. :meth:`ServerProcess.stop` (also the ``with`` exit) terminates it and
kills it if it does not end in time; any process still running when the interpreter exits is
killed too.

    with start_server(server_command("--port", "0")) as server:
        httpx2.get(f"{server.url}/api/info")
"""

from __future__ import annotations

import atexit
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from re import Pattern

import httpx2

#: the announcement both ``python -m rocketchat_livechat.server`` and ``serve`` print
LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:\d+)\b")
_LIVE: set[ServerProcess] = set()


def server_command(*args: str) -> list[str]:
    """``python -m rocketchat_livechat.server *args`` with this interpreter."""
    return [sys.executable, "-m", "rocketchat_livechat.server", *args]


def serve_command(*args: str) -> list[str]:
    """``rocketchat-livechat serve *args`` (the CLI, run with this interpreter)."""
    return [sys.executable, "-m", "rocketchat_livechat.cli", "serve", *args]


class ServerProcess:
    """A running server process: its ``url`` and, as they come, its ``output`` lines."""

    def __init__(
        self,
        command: Sequence[str],
        env: dict[str, str] | None = None,
        *,
        announcement: Pattern[str] = LISTENING,
        ready_path: str = "/api/info",
    ) -> None:
        self.command = list(command)
        self.announcement = announcement
        self.ready_path = ready_path
        self.output: list[str] = []
        self.url = ""
        self._announced = threading.Event()
        self.proc = subprocess.Popen(
            self.command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=None if env is None else {**os.environ, **env},
        )
        _LIVE.add(self)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            if not self._announced.is_set() and (match := self.announcement.search(line)):
                self.url = match.group(1)
                self._announced.set()
        self._announced.set()  # end of output: whoever waits must look at the exit code

    def wait_ready(self, timeout: float) -> None:
        """Until the server announced its URL and answers ``GET <ready_path>`` with 200."""
        deadline = time.monotonic() + timeout
        self._announced.wait(timeout)
        while not self.url or not _answers(self.url + self.ready_path):
            if self.proc.poll() is not None:
                self._fail(f"exited with {self.proc.returncode} before answering")
            if time.monotonic() > deadline:
                where = f"{self.url}{self.ready_path}"
                what = f"did not answer {where}" if self.url else "never said where"
                self._fail(f"{what} within {timeout:g} s")
            time.sleep(0.05)

    def _fail(self, why: str) -> None:
        self.stop()
        printed = "".join(self.output) or "(nothing)\n"
        raise AssertionError(f"server {' '.join(self.command)!r} {why}; it printed:\n{printed}")

    def kill(self) -> None:
        """SIGKILL: a crash, nothing flushed."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self._reader.join(5)  # every line it printed is in ``output`` now
        _LIVE.discard(self)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it is still running after 10 s (idempotent)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._reader.join(5)  # every line it printed is in ``output`` now
        _LIVE.discard(self)

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_server(
    command: Sequence[str],
    *,
    timeout: float = 30,
    env: dict[str, str] | None = None,
    announcement: Pattern[str] = LISTENING,
    ready_path: str = "/api/info",
) -> ServerProcess:
    """Run ``command`` and return once the server it starts answers (see the module doc);
    ``announcement`` finds its URL in its output, ``GET <url><ready_path>`` must answer 200."""
    server = ServerProcess(command, env, announcement=announcement, ready_path=ready_path)
    try:
        server.wait_ready(timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _answers(url: str) -> bool:
    try:
        return httpx2.get(url, timeout=1).status_code == 200
    except httpx2.TransportError:
        return False


@atexit.register
def _kill_leftovers() -> None:
    for server in list(_LIVE):
        server.stop()
