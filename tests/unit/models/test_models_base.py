"""RocketChatModel config and the Timestamp type."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from rocketchat_livechat import models
from rocketchat_livechat.models import Message, RocketChatModel, ServedBy, Visitor

TS = datetime(2024, 10, 15, 2, 52, 42, 123000, tzinfo=UTC)
TS_MS = 1728960762123


@pytest.mark.parametrize(
    "raw",
    [
        "2024-10-15T02:52:42.123Z",
        "2024-10-15T04:52:42.123+02:00",
        TS_MS,
        float(TS_MS),
        {"$date": TS_MS},
        {"$date": "2024-10-15T02:52:42.123Z"},
        {"$date": {"$numberLong": str(TS_MS)}},
        TS,
    ],
    ids=["iso", "iso-offset", "ms", "ms-float", "ejson", "ejson-iso", "ejson-long", "datetime"],
)
def test_timestamp_accepts_every_server_spelling(raw: object) -> None:
    assert ServedBy.model_validate({"_id": "a", "ts": raw}).ts == TS


@pytest.mark.parametrize(
    "raw",
    [
        '"2024-10-15T02:52:42.123Z"',
        '"2024-10-15T04:52:42.123+02:00"',
        str(TS_MS),
        f"{TS_MS}.0",
        f'{{"$date": {TS_MS}}}',
        '{"$date": "2024-10-15T02:52:42.123Z"}',
        f'{{"$date": {{"$numberLong": "{TS_MS}"}}}}',
    ],
    ids=["iso", "iso-offset", "ms", "ms-float", "ejson", "ejson-iso", "ejson-long"],
)
def test_timestamp_reads_every_server_spelling_from_json_bytes(raw: str) -> None:
    served = ServedBy.model_validate_json(f'{{"_id": "a", "ts": {raw}}}'.encode())
    assert served.ts == TS


@pytest.mark.parametrize("raw", ['"not a date"', '{"$date": "nope"}', "true", "1e30"])
def test_timestamp_error_names_the_spellings_it_reads(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ServedBy.model_validate_json(f'{{"_id": "a", "ts": {raw}}}')
    (error,) = caught.value.errors()
    assert (error["type"], error["loc"]) == ("timestamp_parsing", ("ts",))
    assert "ISO 8601 datetime, epoch milliseconds or EJSON" in error["msg"]


def test_timestamp_epoch_ms_is_not_read_as_seconds() -> None:
    served = ServedBy.model_validate({"_id": "a", "ts": 1000})
    assert served.ts == datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)


@pytest.mark.parametrize("raw", ["not a date", {"$date": "nope"}, {"when": 1}, 10**20, True])
def test_timestamp_rejects_garbage_with_validation_error(raw: object) -> None:
    with pytest.raises(ValidationError):
        ServedBy.model_validate({"_id": "a", "ts": raw})


def test_timestamp_json_dump_uses_rocket_chat_format() -> None:
    served = ServedBy.model_validate({"_id": "a", "ts": {"$date": TS_MS}})
    assert served.model_dump(mode="json", by_alias=True) == {
        "_id": "a",
        "username": None,
        "ts": "2024-10-15T02:52:42.123Z",
    }
    assert served.model_dump()["ts"] == TS  # python mode keeps the datetime


def test_timestamp_json_dump_converts_offsets_to_utc_and_keeps_naive() -> None:
    plus2 = TS.astimezone(timezone(timedelta(hours=2)))
    assert ServedBy(id="a", ts=plus2).model_dump(mode="json")["ts"] == "2024-10-15T02:52:42.123Z"
    naive = datetime(2024, 1, 2, 3, 4, 5)
    assert ServedBy(id="a", ts=naive).model_dump(mode="json")["ts"] == "2024-01-02T03:04:05"


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1)))
def test_timestamp_spellings_agree(value: datetime) -> None:
    aware = value.replace(microsecond=value.microsecond // 1000 * 1000, tzinfo=UTC)
    ms = (aware - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(milliseconds=1)
    iso = ServedBy(id="a", ts=aware).model_dump(mode="json")["ts"]
    for raw in (iso, ms, {"$date": ms}):
        assert ServedBy.model_validate({"_id": "a", "ts": raw}).ts == aware


def test_populate_by_name_and_by_alias() -> None:
    by_alias = Visitor.model_validate({"_id": "v1", "visitorEmails": [{"address": "a@b.c"}]})
    by_name = Visitor(id="v1", visitor_emails=[{"address": "a@b.c"}])
    assert by_alias == by_name
    assert by_name.email == "a@b.c"


def test_unknown_fields_are_kept_and_dumped_back_by_alias() -> None:
    msg = Message.model_validate(
        {"_id": "m1", "msg": "hi", "brandNewField": {"x": 1}, "tmid": "parent"}
    )
    assert msg.model_extra == {"brandNewField": {"x": 1}, "tmid": "parent"}
    assert msg.brandNewField == {"x": 1}  # type: ignore[attr-defined]
    dumped = msg.model_dump(by_alias=True, exclude_unset=True)
    assert dumped == {"_id": "m1", "msg": "hi", "brandNewField": {"x": 1}, "tmid": "parent"}


def test_only_ids_are_required() -> None:
    with pytest.raises(ValidationError) as info:
        Message.model_validate({"msg": "no id"})
    assert [err["loc"] for err in info.value.errors()] == [("_id",)]
    assert Message.model_validate({"_id": "m"}).msg is None


def _public_models() -> set[str]:
    return {
        name
        for module in (getattr(models, m) for m in dir(models) if not m.startswith("__"))
        if inspect.ismodule(module)
        for name, obj in vars(module).items()
        if inspect.isclass(obj)
        and issubclass(obj, RocketChatModel)
        and obj.__module__ == module.__name__
    }


def test_every_model_is_exported() -> None:
    exported = set(models.__all__)
    assert _public_models() <= exported
    assert all(hasattr(models, name) for name in exported)
