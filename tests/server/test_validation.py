"""Table-driven tests of the AJV and Meteor ``check`` emulations (no server)."""

from __future__ import annotations

from typing import Any

import pytest

from rocketchat_livechat.server.errors import InvalidParams, MatchError
from rocketchat_livechat.server.validation import (
    ANY,
    BOOLEAN,
    NUMBER,
    STRING,
    STRINGS,
    Maybe,
    ObjectIncluding,
    Optional,
    check,
    obj,
    validate,
)

MESSAGE = obj(
    {"token": STRING, "rid": STRING, "msg": STRING, "_id": STRING}, ("token", "rid", "msg")
)
ONE_OF = "Match error: Failed Match.OneOf, Match.Maybe or Match.Optional validation"
SURVEY = obj(
    {"data": {"type": "array", "minItems": 1, "items": obj({"name": STRING}, ("name",))}},
    ("data",),
)


@pytest.mark.parametrize(
    ("value", "schema", "error"),
    [
        ({}, MESSAGE, "must have required property 'token' [invalid-params]"),
        ({"token": "t", "rid": "r"}, MESSAGE, "must have required property 'msg' [invalid-params]"),
        (
            {"token": "t", "rid": "r", "msg": "m", "x": 1},
            MESSAGE,
            "must NOT have additional properties [invalid-params]",
        ),
        ({"token": "t", "rid": "r", "msg": {}}, MESSAGE, "must be string [invalid-params]"),
        ({"token": [], "rid": "r", "msg": "m"}, MESSAGE, "must be string [invalid-params]"),
        ({"data": []}, SURVEY, "must NOT have fewer than 1 items [invalid-params]"),
        ({"data": "x"}, SURVEY, "must be array [invalid-params]"),
        ({"data": [{}]}, SURVEY, "must have required property 'name' [invalid-params]"),
        ("text", MESSAGE, "must be object [invalid-params]"),
        ({"n": "abc"}, obj({"n": NUMBER}), "must be number [invalid-params]"),
        ({"b": "yes"}, obj({"b": BOOLEAN}), "must be boolean [invalid-params]"),
        ({"a": "x"}, obj({"a": STRINGS}), "must be array [invalid-params]"),
        (
            {"s": "c"},
            obj({"s": {"type": "string", "enum": ["a", "b"]}}),
            "must be equal to one of the allowed values [invalid-params]",
        ),
    ],
)
def test_ajv_errors(value: Any, schema: dict[str, Any], error: str) -> None:
    with pytest.raises(InvalidParams) as info:
        validate(value, schema)
    assert info.value.body == {"success": False, "error": error, "errorType": "invalid-params"}


@pytest.mark.parametrize(
    ("value", "schema", "expected"),
    [
        ({"n": "12"}, obj({"n": NUMBER}), {"n": 12}),
        ({"n": "1.5"}, obj({"n": NUMBER}), {"n": 1.5}),
        ({"s": 5}, obj({"s": STRING}), {"s": "5"}),
        ({"s": True}, obj({"s": STRING}), {"s": "true"}),
        ({"s": None}, obj({"s": STRING}), {"s": ""}),
        ({"b": "false"}, obj({"b": BOOLEAN}), {"b": False}),
        ({"b": "true"}, obj({"b": BOOLEAN}), {"b": True}),
        ({"x": None}, obj({"x": {"type": "string", "nullable": True}}), {"x": None}),
        ({"o": "true"}, obj({"o": {"type": ["string", "boolean"]}}), {"o": "true"}),
    ],
)
def test_ajv_coercion(value: Any, schema: dict[str, Any], expected: Any) -> None:
    assert validate(value, schema) == expected


@pytest.mark.parametrize(
    ("value", "pattern", "message"),
    [
        ({}, {"visitor": dict}, "Match error: Missing key 'visitor'"),
        (
            {"visitor": {}},
            {"visitor": ObjectIncluding({"token": str})},
            "Match error: Missing key 'token' in field visitor",
        ),
        (
            {"visitor": {"token": 1}},
            {"visitor": ObjectIncluding({"token": str})},
            "Match error: Expected string, got number in field visitor.token",
        ),
        ({"token": "t", "extra": 1}, {"token": str}, "Match error: Unknown key in field extra"),
        ({"token": None}, {"token": str}, "Match error: Expected string, got null in field token"),
        (
            {"a": [{"k": 1}]},
            {"a": [ObjectIncluding({"k": str})]},
            "Match error: Expected string, got number in field a[0].k",
        ),
        (
            {"name": 3},
            {"name": Maybe(str)},
            f"{ONE_OF} in field name",
        ),
        (
            {"flag": "true"},
            {"flag": Optional(bool)},
            f"{ONE_OF} in field flag",
        ),
        ({"list": "x"}, {"list": [ANY]}, 'Match error: Expected array, got "x" in field list'),
        ("x", {"a": str}, "Match error: Expected object, got string"),
    ],
)
def test_meteor_check_errors(value: Any, pattern: Any, message: str) -> None:
    with pytest.raises(MatchError) as info:
        check(value, pattern)
    assert info.value.body == {"success": False, "error": message}


def test_meteor_check_accepts() -> None:
    check({"token": "t", "rid": None}, {"token": str, "rid": Maybe(str)})
    check({"token": "t"}, {"token": str, "rid": Optional(str)})
    check({"v": {"token": "t", "anything": 1}}, {"v": ObjectIncluding({"token": str})})
