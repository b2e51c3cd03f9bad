"""What a bridge remembers: contact → open room, token → contact, and the messages it handled.

:class:`SQLiteStore` (one file, WAL; an acknowledged write survives ``kill -9``) is the default;
:class:`MemoryStore` is for tests; ``rocketchat_livechat.bridge.RedisStore`` lets several bridge
worker processes share one mapping. Every method is safe to call from many tasks.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Protocol

#: How long a claimed outbound message stays claimed by a worker that may have died (seconds).
CLAIM_SECONDS = 60.0


class BridgeStore(Protocol):
    """The bridge's memory. ``contact`` is the bridge's key for an outside contact."""

    def room_of(self, contact: str) -> str | None:
        """The contact's open room, if the bridge knows one."""
        ...

    def set_room(self, contact: str, rid: str | None) -> None:
        """Remember (or, with ``None``, forget) the contact's open room."""
        ...

    def remember_contact(self, token: str, contact: str) -> None:
        """Remember whose visitor token ``token`` is."""
        ...

    def contact_of(self, token: str) -> str | None:
        """The contact of a visitor token."""
        ...

    def token_of(self, contact: str) -> str | None:
        """The visitor token last remembered for the contact."""
        ...

    def inbound_done(self, contact: str, external_id: str) -> bool:
        """Whether the outside message ``external_id`` was delivered already."""
        ...

    def mark_inbound(self, contact: str, external_id: str, message_id: str) -> None:
        """Record that ``external_id`` became Rocket.Chat message ``message_id``."""
        ...

    def claim_outbound(self, contact: str, message_id: str) -> bool:
        """Claim an agent message for handing out: False when it was handed out already or
        another worker holds a live claim."""
        ...

    def finish_outbound(self, contact: str, message_id: str, *, delivered: bool) -> None:
        """End a claim: ``delivered`` makes it permanent, otherwise a redelivery may retry."""
        ...

    def close(self) -> None:
        """Release the store's resources."""
        ...


class SQLiteStore:
    """A :class:`BridgeStore` in one SQLite file (WAL mode)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(
            """
            CREATE TABLE IF NOT EXISTS rooms (contact TEXT PRIMARY KEY, rid TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, contact TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS inbound (
                contact TEXT, external_id TEXT, message_id TEXT NOT NULL,
                PRIMARY KEY (contact, external_id));
            CREATE TABLE IF NOT EXISTS outbound (
                contact TEXT, message_id TEXT, delivered INTEGER NOT NULL, claimed_at REAL,
                PRIMARY KEY (contact, message_id));
            """
        )

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"

    def _one(self, sql: str, *params: object) -> tuple[object, ...] | None:
        with self._lock:
            row: tuple[object, ...] | None = self._db.execute(sql, params).fetchone()
            return row

    def _write(self, sql: str, *params: object) -> int:
        with self._lock:
            return self._db.execute(sql, params).rowcount

    def room_of(self, contact: str) -> str | None:
        row = self._one("SELECT rid FROM rooms WHERE contact = ?", contact)
        return str(row[0]) if row else None

    def set_room(self, contact: str, rid: str | None) -> None:
        if rid is None:
            self._write("DELETE FROM rooms WHERE contact = ?", contact)
        else:
            self._write("INSERT OR REPLACE INTO rooms VALUES (?, ?)", contact, rid)

    def remember_contact(self, token: str, contact: str) -> None:
        self._write("DELETE FROM tokens WHERE token = ?", token)
        self._write("INSERT INTO tokens VALUES (?, ?)", token, contact)

    def contact_of(self, token: str) -> str | None:
        row = self._one("SELECT contact FROM tokens WHERE token = ?", token)
        return str(row[0]) if row else None

    def token_of(self, contact: str) -> str | None:
        sql = "SELECT token FROM tokens WHERE contact = ? ORDER BY rowid DESC LIMIT 1"
        row = self._one(sql, contact)
        return str(row[0]) if row else None

    def inbound_done(self, contact: str, external_id: str) -> bool:
        sql = "SELECT 1 FROM inbound WHERE contact = ? AND external_id = ?"
        return self._one(sql, contact, external_id) is not None

    def mark_inbound(self, contact: str, external_id: str, message_id: str) -> None:
        sql = "INSERT OR REPLACE INTO inbound VALUES (?, ?, ?)"
        self._write(sql, contact, external_id, message_id)

    def claim_outbound(self, contact: str, message_id: str) -> bool:
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute(
                    "SELECT delivered, claimed_at FROM outbound"
                    " WHERE contact = ? AND message_id = ?",
                    (contact, message_id),
                ).fetchone()
                free = row is None or (not row[0] and now - float(row[1]) > CLAIM_SECONDS)
                if free:
                    self._db.execute(
                        "INSERT OR REPLACE INTO outbound VALUES (?, ?, 0, ?)",
                        (contact, message_id, now),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return free

    def finish_outbound(self, contact: str, message_id: str, *, delivered: bool) -> None:
        if delivered:
            sql = "UPDATE outbound SET delivered = 1 WHERE contact = ? AND message_id = ?"
        else:
            sql = "DELETE FROM outbound WHERE contact = ? AND message_id = ? AND delivered = 0"
        self._write(sql, contact, message_id)

    def close(self) -> None:
        with self._lock:
            self._db.close()


class MemoryStore:
    """A :class:`BridgeStore` in memory (tests, throw-away bridges)."""

    def __init__(self) -> None:
        self._rooms: dict[str, str] = {}
        self._tokens: dict[str, str] = {}
        self._token_of: dict[str, str] = {}
        self._inbound: dict[tuple[str, str], str] = {}
        self._outbound: dict[tuple[str, str], float | None] = {}  # None: delivered

    def room_of(self, contact: str) -> str | None:
        return self._rooms.get(contact)

    def set_room(self, contact: str, rid: str | None) -> None:
        if rid is None:
            self._rooms.pop(contact, None)
        else:
            self._rooms[contact] = rid

    def remember_contact(self, token: str, contact: str) -> None:
        self._tokens[token] = contact
        self._token_of[contact] = token

    def contact_of(self, token: str) -> str | None:
        return self._tokens.get(token)

    def token_of(self, contact: str) -> str | None:
        return self._token_of.get(contact)

    def inbound_done(self, contact: str, external_id: str) -> bool:
        return (contact, external_id) in self._inbound

    def mark_inbound(self, contact: str, external_id: str, message_id: str) -> None:
        self._inbound[contact, external_id] = message_id

    def claim_outbound(self, contact: str, message_id: str) -> bool:
        key, now = (contact, message_id), time.time()
        if key in self._outbound:
            claimed = self._outbound[key]
            if claimed is None or now - claimed <= CLAIM_SECONDS:
                return False
        self._outbound[key] = now
        return True

    def finish_outbound(self, contact: str, message_id: str, *, delivered: bool) -> None:
        key = (contact, message_id)
        if delivered:
            self._outbound[key] = None
        elif self._outbound.get(key) is not None:
            del self._outbound[key]

    def close(self) -> None:
        """Nothing to release."""


def open_store(store: str | BridgeStore) -> BridgeStore:
    """A store from a URL (``sqlite:///path.db``, ``memory://``, ``redis://host:6379/0``)."""
    if not isinstance(store, str):
        return store
    if store.startswith("sqlite:///"):
        return SQLiteStore(store.removeprefix("sqlite:///"))
    if store == "memory://":
        return MemoryStore()
    if store.startswith(("redis://", "rediss://", "unix://")):
        from ._redis import RedisStore

        return RedisStore(store)
    from ..errors import InvalidArgumentError

    raise InvalidArgumentError("store", "use sqlite:///path.db, memory:// or redis://host/db")
