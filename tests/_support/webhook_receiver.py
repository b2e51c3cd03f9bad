"""A real HTTP webhook receiver on 127.0.0.1 that records what it gets.

    with WebhookReceiver() as receiver:
        receiver.script(500, 500)              # the next two answers; then 200 + ``reply``
        ...
        request = receiver.wait_for(lambda r: r.body["type"] == "Message")

Requests are recorded in arrival order (:attr:`requests`); :meth:`wait_for` polls them with a
deadline. :meth:`reserve` binds the port without listening (connections are refused) until
:meth:`activate`, for "receiver down, then up" cases.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass
class Received:
    """One request as received."""

    path: str
    headers: dict[str, str]
    raw: bytes
    status: int

    @property
    def body(self) -> Any:
        return json.loads(self.raw)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class WebhookReceiver:
    """A threaded ``http.server`` answering scripted statuses (default 200 + :attr:`reply`)."""

    def __init__(self, *, listen: bool = True) -> None:
        self.requests: list[Received] = []
        self.reply = ""
        self.delay = 0.0
        self._script: list[tuple[int, str]] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                status, reply = receiver._next()
                if receiver.delay:
                    time.sleep(receiver.delay)  # a slow receiver, not a test waiting
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver._lock:
                    receiver.requests.append(Received(self.path, headers, raw, status))
                data = reply.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (timeout)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler, bind_and_activate=False)
        self._server.daemon_threads = True
        self._server.server_bind()
        if listen:
            self.activate()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/hook"

    def activate(self) -> None:
        """Start listening and serving."""
        self._server.server_activate()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def script(self, *statuses: int, reply: str = "") -> None:
        """The statuses of the next answers (then 200 and :attr:`reply` again)."""
        with self._lock:
            self._script.extend((s, reply) for s in statuses)

    def _next(self) -> tuple[int, str]:
        with self._lock:
            if self._script:
                return self._script.pop(0)
            return 200, self.reply

    def of_type(self, type_: str) -> list[Received]:
        with self._lock:
            return [r for r in self.requests if r.body.get("type") == type_]

    def wait_for(
        self,
        predicate: Callable[[Received], bool] = lambda r: True,
        *,
        count: int = 1,
        timeout: float = 10.0,
    ) -> list[Received]:
        """The first ``count`` matching requests, waiting up to ``timeout`` (AssertionError)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                found = [r for r in self.requests if predicate(r)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(found)} of {count} webhook requests arrived")
            time.sleep(0.01)

    def absent(
        self, predicate: Callable[[Received], bool], *, count: int = 1, within: float = 0.5
    ) -> bool:
        """True when fewer than ``count`` matching requests arrive within ``within`` seconds."""
        try:
            self.wait_for(predicate, count=count, timeout=within)
        except AssertionError:
            return True
        return False

    def close(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> WebhookReceiver:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll ``condition`` until true (AssertionError after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.01)
