"""``ServerState``: everything a request handler or DDP connection needs.

The app keeps it at ``app.state.livechat`` (``request.app.state.livechat`` in routes,
``websocket.app.state.livechat`` in the DDP endpoint)::

    state.store          # store.Store (SQLite collections)
    state.settings       # settings.Settings (Rocket.Chat names and defaults)
    state.broadcaster    # pubsub.Broadcaster (stream events)
    state.rate_limiter   # ratelimit.RateLimiter
    state.ddp_rate_limiter   # ddp_ratelimit.DDPRateLimiter
    state.webhooks       # webhooks.WebhookDelivery (CRM webhook queue)
    state.line           # versions.ServerLine (the Rocket.Chat line emulated)
    state.files_dir      # Path of stored uploads
    state.now()          # aware UTC datetime, millisecond precision (the clock)

Service functions (``services.*``) take the state as their first argument.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from .ddp_ratelimit import DDPRateLimiter
from .pubsub import Broadcaster, Event
from .ratelimit import RateLimiter
from .settings import Settings
from .store import Store, to_millis
from .versions import DEFAULT_LINE, ServerLine

T = TypeVar("T")

DB_FILENAME = "livechat.sqlite3"


def utc_now() -> datetime:
    """The current time, UTC, truncated to milliseconds (Mongo's date precision)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class MonotonicClock:
    """:func:`utc_now`, but strictly increasing (by 1 ms when called twice in one ms).

    Keeps message order by ``ts`` unambiguous for history paging.
    """

    def __init__(self) -> None:
        self._last = datetime.min.replace(tzinfo=UTC)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            now = max(utc_now(), self._last + timedelta(milliseconds=1))
            self._last = now
            return now


class ServerState:
    """Shared server state. Create with :meth:`open`, release with :meth:`close`."""

    def __init__(
        self,
        *,
        store: Store,
        data_dir: Path,
        rate_limit: bool = True,
        clock: Callable[[], datetime] | None = None,
        temporary: bool = False,
        line: ServerLine | None = None,
    ) -> None:
        self.store = store
        #: the Rocket.Chat line emulated (the routes and DDP methods consult it)
        self.line = line or ServerLine(DEFAULT_LINE)
        self.data_dir = data_dir
        self.files_dir = data_dir / "uploads"
        self.files_dir.mkdir(parents=True, exist_ok=True)
        self.clock = clock or MonotonicClock()
        self.settings = Settings(store, self.clock)
        self.broadcaster = Broadcaster()
        self.rate_limiter = RateLimiter(
            self.settings, lambda: to_millis(self.clock()), enabled=rate_limit
        )
        self.ddp_rate_limiter = DDPRateLimiter(
            self.settings, lambda: to_millis(self.clock()), enabled=rate_limit
        )
        #: seconds of inbound silence before a DDP ping, and then before the socket is dropped
        self.ddp_heartbeat = 15.0
        from .webhooks import WebhookDelivery  # imports services, which import this module

        self.webhooks = WebhookDelivery(self)
        self._temporary = temporary
        self._closed = False

    @classmethod
    def open(
        cls,
        data_dir: str | Path | None = None,
        *,
        rate_limit: bool = True,
        settings: Mapping[str, Any] | None = None,
        rc_version: str = DEFAULT_LINE,
    ) -> ServerState:
        """Open (or create) the database in ``data_dir``; a temporary dir when ``None``;
        ``rc_version`` is the Rocket.Chat line to emulate (``ValueError`` if not one of them)."""
        line = ServerLine(rc_version)
        temporary = data_dir is None
        path = Path(tempfile.mkdtemp(prefix="livechat-")) if data_dir is None else Path(data_dir)
        path.mkdir(parents=True, exist_ok=True)
        state = cls(
            store=Store(path / DB_FILENAME),
            data_dir=path,
            rate_limit=rate_limit,
            temporary=temporary,
            line=line,
        )
        if settings:
            state.settings.update(settings)
        return state

    def now(self) -> datetime:
        """The server clock."""
        return self.clock()

    async def write(self, work: Callable[[], T]) -> T:
        """Run ``work()`` in the store's next group commit (:meth:`.Store.batched`).

        Its result comes back once its writes are durable; the events it publishes are
        delivered then too (and dropped when it fails). Inside another write (a handler
        already running in one, see :mod:`.api`) it is simply part of that one.
        """
        if self.store.in_transaction:
            return work()

        def holding_events() -> tuple[T, list[Event]]:
            with self.broadcaster.held() as events:
                return work(), events

        result, events = await self.store.batched(holding_events)
        self.broadcaster.deliver(events)
        return result

    def close(self) -> None:
        """Close the database; a temporary data dir is removed (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self.store.close()
        if self._temporary:
            shutil.rmtree(self.data_dir, ignore_errors=True)
