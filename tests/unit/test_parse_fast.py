"""The fast path (bytes validated straight into models) gives what the dict path gives.

``Parser.parse_json`` may only ever answer a result the dict path would return for the same
body, or ``NOT_PARSED`` (the driver then takes the dict path, which raises the known errors).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from rocketchat_livechat._core import parsing
from rocketchat_livechat._core.endpoint import Endpoint
from rocketchat_livechat._core.endpoints import declared
from rocketchat_livechat.errors import UnexpectedResponseError
from rocketchat_livechat.models import Message, Page

ENDPOINTS = declared()


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return (type(value), value.model_dump(), value.model_fields_set)
    if isinstance(value, list):
        return [_dump(v) for v in value]
    return value


@pytest.mark.parametrize(
    ("endpoint", "index"),
    [(e, i) for e in ENDPOINTS for i in range(len(e.samples))],
    ids=lambda v: v.qualname if isinstance(v, Endpoint) else str(v),
)
def test_fast_path_equals_dict_path(endpoint: Endpoint[Any, Any], index: int) -> None:
    response = endpoint.samples[index].response
    fast = endpoint.parse.parse_json(json.dumps(response).encode())
    if fast is parsing.NOT_PARSED:
        return
    assert _dump(fast) == _dump(endpoint.parse(response))


LIST = parsing.list_under(Message, "messages")
PAGE = parsing.page_under(Message, "messages")
ONE = parsing.under(Message, "message")
MAYBE = parsing.optional_under(Message, "message")

BAD = [
    {"success": False, "messages": [], "message": {"_id": "a"}},
    {"messages": [{"_id": 1}], "message": {"_id": 1}},
    {"messages": None, "message": None},
    {"messages": {"_id": "a"}},
    {"messages": [{"_id": "a", "ts": "not a date"}], "message": {"_id": "a", "ts": True}},
    {"messages": [], "count": "many"},
    [1, 2],
    "text",
]


@pytest.mark.parametrize("parser", [LIST, PAGE, ONE, MAYBE], ids=["list", "page", "one", "maybe"])
@pytest.mark.parametrize("body", BAD, ids=range(len(BAD)))
def test_fast_path_leaves_bad_shapes_to_the_dict_path(parser: Any, body: Any) -> None:
    fast = parser.parse_json(json.dumps(body).encode())
    try:
        expected = parser(body)
    except UnexpectedResponseError:
        assert fast is parsing.NOT_PARSED
    else:
        assert fast is parsing.NOT_PARSED or _dump(fast) == _dump(expected)


def test_fast_path_page_keeps_counters_and_items() -> None:
    body = {"messages": [{"_id": "a", "ts": {"$date": 0}}], "count": 1, "offset": 5, "total": 9}
    page = PAGE.parse_json(json.dumps(body).encode())
    assert isinstance(page, Page)
    assert (page.count, page.offset, page.total, page.items[0].id) == (1, 5, 9, "a")
    assert page.model_dump() == PAGE(body).model_dump()


def test_fast_path_reads_non_standard_numbers_as_json_loads_does() -> None:
    content = b'{"messages": [{"_id": "a", "x": NaN, "y": -Infinity}]}'
    fast = LIST.parse_json(content)
    assert repr(fast) == repr(LIST(json.loads(content)))


def test_fast_path_leaves_garbage_to_the_dict_path() -> None:
    assert LIST.parse_json(b"not json") is parsing.NOT_PARSED
    assert LIST.parse_json(b'{"messages": [') is parsing.NOT_PARSED
