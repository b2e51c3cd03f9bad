"""Unit tests of the SQLite document store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rocketchat_livechat.server.ids import UNMISTAKABLE_CHARS, object_id, random_id
from rocketchat_livechat.server.store import Store, matches


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = Store(tmp_path / "db.sqlite3")
    yield db
    db.close()


def test_ids() -> None:
    rid = random_id()
    assert len(rid) == 17 and set(rid) <= set(UNMISTAKABLE_CHARS)
    oid = object_id()
    assert len(oid) == 24 and int(oid, 16) >= 0


def test_roundtrip_dates_and_queries(store: Store) -> None:
    now = datetime(2024, 10, 15, 2, 52, 42, 123000, tzinfo=UTC)
    for i in range(5):
        store.messages.insert({"_id": f"m{i}", "rid": "r1", "ts": now + timedelta(seconds=i)})
    store.messages.insert({"_id": "other", "rid": "r2", "ts": now})
    found = store.messages.find({"rid": "r1"}, sort=[("ts", -1)], limit=2, skip=1)
    assert [m["_id"] for m in found] == ["m3", "m2"]
    assert found[0]["ts"] == now + timedelta(seconds=3)
    assert store.messages.count({"rid": "r1", "ts": {"$lt": now + timedelta(seconds=2)}}) == 2


def test_updates(store: Store) -> None:
    store.rooms.insert({"_id": "r", "t": "l", "open": True, "msgs": 0, "v": {"token": "a"}})
    room = store.rooms.update(
        "r", {"$inc": {"msgs": 2}, "$unset": {"open": 1}, "$set": {"v.status": "offline"}}
    )
    assert room == {"_id": "r", "t": "l", "msgs": 2, "v": {"token": "a", "status": "offline"}}
    assert store.rooms.find_one({"open": True}) is None
    assert store.rooms.find_one({"v.token": "a"}) == room
    assert store.rooms.update("missing", {"$set": {"x": 1}}) is None


def test_transaction_rolls_back(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.users.insert({"_id": "u1", "username": "a"})
        raise RuntimeError
    assert store.users.get("u1") is None


def test_counter_and_persistence(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    first = Store(path)
    assert [first.next_counter("c") for _ in range(3)] == [1, 2, 3]
    first.users.insert({"_id": "u", "username": "x"})
    first.close()
    second = Store(path)
    assert second.next_counter("c") == 4
    assert second.users.get("u") == {"_id": "u", "username": "x"}
    second.close()


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ({"roles": "admin"}, True),
        ({"roles": {"$in": ["x", "admin"]}}, True),
        ({"roles": {"$nin": ["admin"]}}, False),
        ({"missing": None}, True),
        ({"missing": {"$exists": False}}, True),
        ({"name": {"$ne": "bob"}}, False),
        ({"$or": [{"name": "x"}, {"name": "bob"}]}, True),
        ({"n": {"$gte": 3, "$lt": 4}}, True),
    ],
)
def test_matches(flt: dict[str, object], expected: bool) -> None:
    doc = {"name": "bob", "roles": ["user", "admin"], "n": 3}
    assert matches(doc, flt) is expected


def _contact(_id: str, *visitor_ids: str) -> dict[str, object]:
    return {"_id": _id, "channels": [{"visitor": {"visitorId": v}} for v in visitor_ids]}


def test_list_index_answers_equality_through_a_list(store: Store) -> None:
    key = "channels.visitor.visitorId"
    store.contacts.insert(_contact("c2", "v1", "v2"))
    store.contacts.insert(_contact("c1", "v1"))
    store.contacts.insert(_contact("c3"))
    assert [c["_id"] for c in store.contacts.find({key: "v1"})] == ["c2", "c1"]  # table order
    assert [c["_id"] for c in store.contacts.find({key: "v1", "_id": "c1"})] == ["c1"]
    store.contacts.update("c2", {"$set": {"channels": [{"visitor": {"visitorId": "v3"}}]}})
    store.contacts.update("c3", {"$push": {"channels": {"visitor": {"visitorId": "v1"}}}})
    assert [c["_id"] for c in store.contacts.find({key: "v1"})] == ["c1", "c3"]
    assert [c["_id"] for c in store.contacts.find({key: "v3"})] == ["c2"]
    store.contacts.save(_contact("c1", "v4"))
    store.contacts.delete("c3")
    assert store.contacts.find({key: "v1"}) == []
    assert [c["_id"] for c in store.contacts.find({key: "v4"})] == ["c1"]


def test_list_index_is_filled_for_a_database_written_before_it(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Store(path)
    old.contacts.insert(_contact("c1", "v1"))
    old._conn.execute("DROP TABLE contacts__c_channels__visitor__visitorId")  # as before the index
    old.close()
    reopened = Store(path)
    try:
        found = reopened.contacts.find({"channels.visitor.visitorId": "v1"})
        assert [c["_id"] for c in found] == ["c1"]
    finally:
        reopened.close()
