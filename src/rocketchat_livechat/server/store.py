"""SQLite document store: one table per collection, documents as JSON, indexed columns.

Every collection table has ``_id TEXT PRIMARY KEY``, ``doc TEXT`` (the JSON document) and one
real, indexed column per queried field (``COLLECTIONS``). Documents are plain ``dict``s whose
dates are aware UTC ``datetime`` values; in the JSON they are stored as ``{"$date": <ms>}``.

Filters are a small Mongo subset evaluated by :func:`matches`::

    {"v.token": "abc", "open": True}                  # equality (dotted paths; a list field
                                                      # matches when it contains the value)
    {"status": {"$in": ["queued", "ready"]}}          # $in $nin $ne $exists $lt $lte $gt $gte
    {"$or": [{"department": None}, {"department": {"$in": ids}}]}

Updates use ``$set``, ``$unset``, ``$inc``, ``$push``, ``$pull`` (see :func:`apply_update`).
Equality on an indexed field is answered by SQL; everything else is filtered in Python.

The connection runs in autocommit mode with WAL and ``synchronous=NORMAL``: each write is
committed when the method returns, so an acknowledged request survives ``kill -9``. Use
:meth:`Store.transaction` to group several writes atomically, and ``await``
:meth:`Store.batched` to share one commit with the other requests of the same event-loop round
(group commit). All methods are thread-safe.

Reads outside a transaction go through a second connection: they see committed data only,
never the writes of an open transaction or of a batch waiting for its group commit (WAL
readers do not block the writer). Reads inside a transaction see its own writes.

Typical use (``state.store`` is a :class:`Store`)::

    visitor = store.visitors.find_one({"token": token})
    room = store.rooms.get(rid)
    store.users.update(user_id, {"$set": {"status": "online"}})
    n = store.next_counter("my-sequence")       # 1, 2, 3, ... (``counters``)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

Doc = dict[str, Any]
Filter = Mapping[str, Any]
Sort = Sequence[tuple[str, int]]
Update = Mapping[str, Mapping[str, Any]]
T = TypeVar("T")

#: collection name -> dotted fields that get an indexed column
COLLECTIONS: dict[str, tuple[str, ...]] = {
    "users": ("username", "type"),
    "login_tokens": ("userId",),
    "visitors": ("token", "username"),
    "rooms": ("t", "v.token", "open", "ts", "servedBy._id", "departmentId"),
    "messages": ("rid", "ts", "t"),
    "inquiries": ("rid", "status", "department", "ts"),
    "departments": ("name", "enabled"),
    "department_agents": ("departmentId", "agentId"),
    "settings": (),
    "uploads": ("rid",),
    "custom_fields": ("scope",),
    "counters": (),
    "subscriptions": ("rid", "u._id"),
    "contacts": ("unknown",),
    "livechat_triggers": ("enabled",),
}

#: collection name -> dotted fields that pass through lists (``channels`` is a list of
#: objects), indexed in a side table ``<collection>__<column> (value, _id)``: equality on one is
#: answered by SQL too, matching a document when any of its values is equal
LIST_INDEXES: dict[str, tuple[str, ...]] = {
    "contacts": ("channels.visitor.visitorId",),
}

#: indexed fields with few distinct values: another index of the same query is preferred
_FEW_VALUES = frozenset({"t", "open", "type", "status", "enabled", "unknown", "scope"})

_MISSING = object()


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$date": to_millis(value)}
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and "$date" in obj and isinstance(obj["$date"], int | float):
        return from_millis(obj["$date"])
    return obj


def to_millis(value: datetime) -> int:
    """Epoch milliseconds of an aware datetime."""
    return int(value.timestamp() * 1000)


def from_millis(ms: float) -> datetime:
    """Aware UTC datetime from epoch milliseconds."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


# documents are trees (no reference cycles): no circular check
_ENCODER = json.JSONEncoder(
    default=_encode, separators=(",", ":"), ensure_ascii=False, check_circular=False
)
_DECODER = json.JSONDecoder(object_hook=_decode)


def dumps(doc: Any) -> str:
    """Serialise a document for storage (dates as ``{"$date": ms}``)."""
    return _ENCODER.encode(doc)


def loads(text: str) -> Any:
    """Inverse of :func:`dumps`."""
    return _DECODER.decode(text)


def get_path(doc: Mapping[str, Any], path: str, default: Any = None) -> Any:
    """Value at a dotted path, or ``default``."""
    return _walk(doc, path.split("."), default)


def _walk(doc: Mapping[str, Any], parts: Sequence[str], default: Any) -> Any:
    cur: Any = doc
    for part in parts:
        # documents are dicts: test for dict first, the Mapping ABC check is slow
        if not isinstance(cur, (dict, Mapping)) or part not in cur:
            return default
        cur = cur[part]
    return cur


def _values_through_lists(value: Any, parts: Sequence[str]) -> Iterator[Any]:
    """The values at ``parts`` under ``value``, stepping into every item of the lists met."""
    if isinstance(value, list):
        for item in value:
            yield from _values_through_lists(item, parts)
    elif not parts:
        yield value
    elif isinstance(value, dict) and parts[0] in value:
        yield from _values_through_lists(value[parts[0]], parts[1:])


def _parent(doc: Doc, path: str, create: bool) -> tuple[dict[str, Any] | None, str]:
    parts = path.split(".")
    cur: Any = doc
    for part in parts[:-1]:
        nxt = cur.get(part) if isinstance(cur, dict) else None
        if not isinstance(nxt, dict):
            if not create:
                return None, parts[-1]
            nxt = {}
            cur[part] = nxt
        cur = nxt
    return cur, parts[-1]


def set_path(doc: Doc, path: str, value: Any) -> None:
    """Set a dotted path, creating intermediate objects."""
    parent, key = _parent(doc, path, create=True)
    assert parent is not None
    parent[key] = value


def unset_path(doc: Doc, path: str) -> None:
    """Remove a dotted path if present."""
    parent, key = _parent(doc, path, create=False)
    if parent is not None:
        parent.pop(key, None)


def _comparable(value: Any) -> Any:
    return to_millis(value) if isinstance(value, datetime) else value


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if actual is None or actual is _MISSING:
        return False
    a, e = _comparable(actual), _comparable(expected)
    try:
        if op == "$lt":
            return bool(a < e)
        if op == "$lte":
            return bool(a <= e)
        if op == "$gt":
            return bool(a > e)
        return bool(a >= e)
    except TypeError:
        return False


def _equals(actual: Any, expected: Any) -> bool:
    if actual is _MISSING:
        return expected is None
    if isinstance(actual, list) and not isinstance(expected, list):
        return expected in actual
    return bool(actual == expected)


def _match_condition(actual: Any, cond: Any) -> bool:
    if not (isinstance(cond, Mapping) and cond and all(k.startswith("$") for k in cond)):
        return _equals(actual, cond)
    for op, arg in cond.items():
        if op == "$in":
            ok = any(_equals(actual, item) for item in arg)
        elif op == "$nin":
            ok = not any(_equals(actual, item) for item in arg)
        elif op == "$ne":
            ok = not _equals(actual, arg)
        elif op == "$exists":
            ok = (actual is not _MISSING) == bool(arg)
        elif op in ("$lt", "$lte", "$gt", "$gte"):
            ok = _compare(op, actual, arg)
        else:
            raise ValueError(f"unsupported operator {op}")
        if not ok:
            return False
    return True


def matches(doc: Mapping[str, Any], flt: Filter) -> bool:
    """Whether ``doc`` satisfies the Mongo-like filter ``flt``."""
    for key, cond in flt.items():
        if key == "$or":
            if not any(matches(doc, sub) for sub in cond):
                return False
        elif not _match_condition(get_path(doc, key, _MISSING), cond):
            return False
    return True


def apply_update(doc: Doc, update: Update) -> None:
    """Apply ``$set``/``$unset``/``$inc``/``$push``/``$pull`` to ``doc`` in place."""
    for op, fields in update.items():
        for path, value in fields.items():
            if op == "$set":
                set_path(doc, path, value)
            elif op == "$unset":
                unset_path(doc, path)
            elif op == "$inc":
                set_path(doc, path, (get_path(doc, path) or 0) + value)
            elif op == "$push":
                set_path(doc, path, [*(get_path(doc, path) or []), value])
            elif op == "$pull":
                set_path(doc, path, [v for v in get_path(doc, path) or [] if v != value])
            else:
                raise ValueError(f"unsupported update operator {op}")


def _column(path: str) -> str:
    return "c_" + path.replace(".", "__")


def _column_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_millis(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | str):
        return value
    return None


def _sort_key(doc: Doc, sort: Sort) -> tuple[Any, ...]:
    key: list[Any] = []
    for path, direction in sort:
        value = _comparable(get_path(doc, path))
        present = value is not None
        if isinstance(value, int | float) and not isinstance(value, bool):
            rank: tuple[Any, ...] = (1, value, "")
        else:
            rank = (2, 0, str(value)) if present else (0, 0, "")
        key.append(_Reversed(rank) if direction < 0 else rank)
    return tuple(key)


class _Reversed:
    __slots__ = ("value",)

    def __init__(self, value: tuple[Any, ...]) -> None:
        self.value = value

    def __lt__(self, other: _Reversed) -> bool:
        return bool(self.value > other.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and self.value == other.value

    __hash__ = None  # type: ignore[assignment]


class Collection:
    """One collection (table). Obtain via ``store.<name>`` or ``store.collection(name)``."""

    def __init__(
        self, store: Store, name: str, indexes: tuple[str, ...], list_indexes: tuple[str, ...] = ()
    ) -> None:
        self._store = store
        self.name = name
        self.indexes = indexes
        self.list_indexes = {path: f"{name}__{_column(path)}" for path in list_indexes}
        self._columns = tuple(_column(p) for p in indexes)
        self._paths = tuple(p.split(".") for p in indexes)
        cols = ", ".join(["_id", "doc", *self._columns])
        values = ", ".join("?" * (2 + len(indexes)))
        self._insert_sql = f"INSERT INTO {name} ({cols}) VALUES ({values})"
        self._replace_sql = f"INSERT OR REPLACE INTO {name} ({cols}) VALUES ({values})"

    def _row_values(self, doc: Doc) -> list[Any]:
        return [_column_value(_walk(doc, parts, None)) for parts in self._paths]

    def _index_value(self, doc: Doc, index: int) -> Any:
        return _column_value(_walk(doc, self._paths[index], None))

    def _write(self, doc: Doc, *, replace: bool) -> None:
        sql = self._replace_sql if replace else self._insert_sql
        with self._store.transaction() if self.list_indexes else contextlib.nullcontext():
            self._store.execute(sql, [doc["_id"], dumps(doc), *self._row_values(doc)])
            self._write_list_indexes(doc, set(self.list_indexes))

    def _write_list_indexes(self, doc: Doc, paths: set[str]) -> None:
        for path, table in self.list_indexes.items():
            if path not in paths:
                continue
            self._store.execute(f"DELETE FROM {table} WHERE _id = ?", [doc["_id"]])
            found = {_column_value(v) for v in _values_through_lists(doc, path.split("."))}
            for value in found - {None}:
                self._store.execute(f"INSERT INTO {table} VALUES (?, ?)", [value, doc["_id"]])

    def insert(self, doc: Doc) -> Doc:
        """Insert a new document (``_id`` required). Raises ``sqlite3.IntegrityError`` on dup."""
        self._write(doc, replace=False)
        return doc

    def save(self, doc: Doc) -> Doc:
        """Insert or replace the whole document."""
        self._write(doc, replace=True)
        return doc

    def get(self, _id: str) -> Doc | None:
        """The document with this ``_id``, or ``None``."""
        rows = self._store.query(f"SELECT doc FROM {self.name} WHERE _id = ?", [_id])
        return loads(rows[0][0]) if rows else None

    def _sql_where(self, flt: Filter) -> tuple[str, list[Any], dict[str, Any]]:
        """The SQL for the indexed equalities of ``flt``, and the rest (checked in Python).

        SQLite has no statistics to choose between the indexes of a query: it is told which
        one to use (:meth:`_steering`), the others' columns are only compared (``+column``).
        """
        clauses: list[str] = []
        params: list[Any] = []
        rest: dict[str, Any] = {}
        steer = self._steering(flt)
        for key, cond in flt.items():
            if key == "_id" and isinstance(cond, str):
                clauses.append("_id = ?")
                params.append(cond)
            elif key in self.indexes and _column_value(cond) is not None:
                plain = steer is None or key == steer
                clauses.append(f"{'' if plain else '+'}{_column(key)} = ?")
                params.append(_column_value(cond))
            elif key in self.list_indexes and _column_value(cond) is not None:
                clauses.append(f"_id IN (SELECT _id FROM {self.list_indexes[key]} WHERE value = ?)")
                params.append(_column_value(cond))
            else:
                rest[key] = cond
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return where, params, rest

    def _steering(self, flt: Filter) -> str | None:
        """The field of ``flt`` whose index SQLite should use: ``_id``, else the first indexed
        one in ``COLLECTIONS`` order with many distinct values; ``None``: SQLite chooses."""
        if isinstance(flt.get("_id"), str):
            return "_id"
        return next(
            (
                k
                for k in self.indexes
                if k in flt and k not in _FEW_VALUES and _column_value(flt[k]) is not None
            ),
            None,
        )

    def find(
        self,
        flt: Filter | None = None,
        *,
        sort: Sort = (),
        skip: int = 0,
        limit: int | None = None,
    ) -> list[Doc]:
        """Documents matching ``flt``, sorted (``[(path, 1|-1), ...]``), then skip/limit."""
        flt = flt or {}
        where, params, rest = self._sql_where(flt)
        sql_sort = all(p in self.indexes or p == "_id" for p, _ in sort)
        sql = f"SELECT doc FROM {self.name}{where}"
        if sort and sql_sort:
            order = ", ".join(
                f"{'_id' if p == '_id' else _column(p)} {'DESC' if d < 0 else 'ASC'}"
                for p, d in sort
            )
            sql += f" ORDER BY {order}"
        elif not sort and any(key in self.list_indexes for key in flt):
            sql += " ORDER BY rowid"  # the table's order, as a scan gives it
        if not rest and (sql_sort or not sort) and (limit is not None or skip):
            sql += " LIMIT ? OFFSET ?"
            params = [*params, -1 if limit is None else limit, skip]
            return [loads(r[0]) for r in self._store.query(sql, params)]
        rows = self._store.query(sql, params)
        docs = [d for d in (loads(r[0]) for r in rows) if matches(d, rest)]
        if sort and not sql_sort:
            docs.sort(key=lambda d: _sort_key(d, sort))
        end = None if limit is None else skip + limit
        return docs[skip:end]

    def find_one(self, flt: Filter | None = None, *, sort: Sort = ()) -> Doc | None:
        """First matching document or ``None``."""
        docs = self.find(flt, sort=sort, limit=1)
        return docs[0] if docs else None

    def count(self, flt: Filter | None = None) -> int:
        """Number of matching documents."""
        return len(self.find(flt))

    def update(self, _id: str, update: Update) -> Doc | None:
        """Apply an update to one document; returns the new document or ``None`` if absent."""
        with self._store.transaction():
            doc = self.get(_id)
            if doc is None:
                return None
            return self.update_held(doc, update)

    def update_held(self, doc: Doc, update: Update) -> Doc:
        """Apply an update to a document the caller already holds, in place; returns it.

        ``doc`` must be the stored document as read inside the caller's still open
        :meth:`Store.transaction` (it is not read again). Only the changed index columns are
        rewritten; nothing is written when the document no longer exists.
        """
        roots = {path.partition(".")[0] for fields in update.values() for path in fields}
        touched = [i for i, parts in enumerate(self._paths) if parts[0] in roots]
        before = [self._index_value(doc, i) for i in touched]
        apply_update(doc, update)
        changed = [
            (self._columns[i], value)
            for i, old in zip(touched, before, strict=True)
            if (value := self._index_value(doc, i)) != old
        ]
        assignments = "".join(f", {column} = ?" for column, _ in changed)
        self._store.execute(
            f"UPDATE {self.name} SET doc = ?{assignments} WHERE _id = ?",
            [dumps(doc), *(value for _, value in changed), doc["_id"]],
        )
        self._write_list_indexes(doc, {p for p in self.list_indexes if p.split(".")[0] in roots})
        return doc

    def update_many(self, flt: Filter, update: Update) -> list[Doc]:
        """Apply an update to every matching document; returns the updated documents."""
        with self._store.transaction():
            docs = self.find(flt)
            for doc in docs:
                self.update_held(doc, update)
            return docs

    def delete(self, _id: str) -> bool:
        """Delete one document; ``True`` if it existed."""
        with self._store.transaction() if self.list_indexes else contextlib.nullcontext():
            for table in self.list_indexes.values():
                self._store.execute(f"DELETE FROM {table} WHERE _id = ?", [_id])
            return self._store.execute(f"DELETE FROM {self.name} WHERE _id = ?", [_id]) > 0

    def delete_many(self, flt: Filter) -> list[Doc]:
        """Delete all matching documents; returns them."""
        with self._store.transaction():
            docs = self.find(flt)
            for doc in docs:
                self.delete(doc["_id"])
            return docs


class _Batch:
    """The :meth:`Store.batched` calls waiting for their shared commit."""

    __slots__ = ("committed",)

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.committed: asyncio.Future[None] = loop.create_future()

    def settle(self, error: BaseException | None) -> None:
        """Wake the waiting calls (from any thread): committed, or failed with ``error``."""
        loop = self.committed.get_loop()
        if loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._resolve(error)
        else:
            loop.call_soon_threadsafe(self._resolve, error)

    def _resolve(self, error: BaseException | None) -> None:
        if self.committed.done():
            return
        if error is None:
            self.committed.set_result(None)
        else:
            self.committed.set_exception(error)


class Store:
    """The SQLite database with one :class:`Collection` attribute per collection."""

    users: Collection
    login_tokens: Collection
    visitors: Collection
    rooms: Collection
    messages: Collection
    inquiries: Collection
    departments: Collection
    department_agents: Collection
    settings: Collection
    uploads: Collection
    custom_fields: Collection
    counters: Collection
    subscriptions: Collection
    contacts: Collection
    livechat_triggers: Collection

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._depth = 0
        self._batch: _Batch | None = None  # its transaction is open between two loop rounds
        self._conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        # committed data only: for the reads made outside any transaction
        self._reader = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._collections: dict[str, Collection] = {}
        for name, indexes in COLLECTIONS.items():
            self._create(name, indexes)

    def _create(self, name: str, indexes: tuple[str, ...]) -> None:
        cols = "".join(f", {_column(p)}" for p in indexes)
        self._conn.execute(
            f"CREATE TABLE IF NOT EXISTS {name} (_id TEXT PRIMARY KEY, doc TEXT{cols})"
        )
        for path in indexes:
            col = _column(path)
            self._conn.execute(f"CREATE INDEX IF NOT EXISTS ix_{name}_{col} ON {name} ({col})")
        coll = Collection(self, name, indexes, LIST_INDEXES.get(name, ()))
        self._collections[name] = coll
        setattr(self, name, coll)
        for table in coll.list_indexes.values():
            self._create_list_index(coll, table)

    def _create_list_index(self, coll: Collection, table: str) -> None:
        """The side table of a list index; filled from the documents when it is new (a
        database written before the index existed)."""
        new = not self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
        ).fetchall()
        self._conn.execute(f"CREATE TABLE IF NOT EXISTS {table} (value, _id TEXT NOT NULL)")
        self._conn.execute(f"CREATE INDEX IF NOT EXISTS ix_{table} ON {table} (value)")
        self._conn.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_id ON {table} (_id)")
        if new:
            with self.transaction():
                for doc in coll.find():
                    coll._write_list_indexes(doc, set(coll.list_indexes))

    def collection(self, name: str) -> Collection:
        """The collection called ``name``."""
        return self._collections[name]

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run a write statement; returns the number of changed rows."""
        with self._lock:
            if self._depth == 0:
                self._commit_batch()
            return self._conn.execute(sql, params).rowcount

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read statement (outside a transaction: on committed data only)."""
        with self._lock:
            # the lock is held: a transaction, if any, is this thread's own
            conn = self._conn if self._depth else self._reader
            return conn.execute(sql, params).fetchall()

    @property
    def in_transaction(self) -> bool:
        """Whether this thread is inside :meth:`transaction` or a :meth:`batched` work."""
        if not self._lock.acquire(blocking=False):
            return False  # another thread holds it: not inside one of ours
        try:
            return self._depth > 0
        finally:
            self._lock.release()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes atomically (re-entrant; the outermost block commits)."""
        with self._lock:
            if self._depth == 0:
                self._commit_batch()
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if self._depth == 0:
                    self._conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if self._depth == 0:
                self._conn.execute("COMMIT")

    async def batched(self, work: Callable[[], T]) -> T:
        """Run ``work()`` atomically and return its result once it is committed.

        The calls made in one event-loop round share a single commit in the next round (or
        earlier, when any other write needs the connection): one commit for many requests.
        ``work`` is synchronous; when it raises, its writes are rolled back. Until the commit,
        its writes are not visible to the reads made outside a transaction, and not durable.
        """
        with self._lock:
            if self._depth:  # inside a transaction of this thread: part of it
                return work()
            loop = asyncio.get_running_loop()
            if self._batch is not None and self._batch.committed.get_loop() is not loop:
                self._commit_batch()  # another event loop's batch: it cannot wait for ours
            batch = self._batch
            if batch is None:
                self._conn.execute("BEGIN IMMEDIATE")
                batch = self._batch = _Batch(loop)
                loop.call_soon(self._commit_in_turn, batch)
            self._conn.execute("SAVEPOINT batched")
            self._depth += 1
            try:
                result = work()
            except BaseException:
                self._conn.execute("ROLLBACK TO batched")
                raise
            finally:
                self._depth -= 1
                self._conn.execute("RELEASE batched")
        await asyncio.shield(batch.committed)
        return result

    def _commit_in_turn(self, batch: _Batch) -> None:
        with self._lock, contextlib.suppress(sqlite3.Error):  # the waiting calls get the error
            if self._batch is batch:
                self._commit_batch()

    def _commit_batch(self) -> None:
        """Commit the open batch, if any (lock held, outside transactions)."""
        batch, self._batch = self._batch, None
        if batch is None:
            return
        try:
            self._conn.execute("COMMIT")
        except BaseException as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            batch.settle(exc)
            raise
        batch.settle(None)

    def next_counter(self, name: str) -> int:
        """Atomically increment and return the counter ``name`` (starts at 1)."""
        with self.transaction():
            doc = self.counters.get(name) or {"_id": name, "value": 0}
            doc["value"] += 1
            self.counters.save(doc)
            return int(doc["value"])

    def close(self) -> None:
        """Commit what is pending and close the connection (idempotent)."""
        with self._lock:
            self._commit_batch()
            self._conn.close()
            self._reader.close()
