"""Request validation as Rocket.Chat 8.8.1's own validators do it (issue #14, section 3).

Each case names the rest-typings validator the route runs (``packages/rest-typings/src/v1/
omnichannel.ts``) and the AJV instance it is compiled with (``v1/Ajv.ts``: ``ajv`` with
``coerceTypes: true`` for bodies, ``ajvQuery`` with ``coerceTypes: 'array'`` for most queries).
The differential test ``tests/contract/test_differential.py`` checks the same rules against the
validators themselves over every such route.
"""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from _server_helpers import error, new_chat, register

from rocketchat_livechat.testing.plugin import Agent

pytestmark = pytest.mark.e2e

JSON = {"content-type": "application/json"}


def invalid(response: httpx2.Response) -> str:
    body = error(response)
    assert body["errorType"] == "invalid-params", body
    text: str = body["error"]
    assert text.endswith(" [invalid-params]")
    return text.removesuffix(" [invalid-params]")


def test_transcript_takes_an_optional_subject(http: httpx2.Client, agent: Agent) -> None:
    """isPOSTLivechatTranscriptParams: ``subject`` is optional (the room is not closed here)."""
    token, room = new_chat(http)
    body = {"token": token, "rid": room["_id"], "email": "a@example.com", "subject": "Hi"}
    answer = http.post("livechat/transcript", json=body)
    assert answer.json().get("errorType") != "invalid-params", answer.text
    assert invalid(http.post("livechat/transcript", json={**body, "extra": 1})) == (
        "must NOT have additional properties"
    )


def test_inquiries_take_takes_optional_options(http: httpx2.Client, agent: Agent) -> None:
    """isPOSTLivechatInquiriesTakeParams: ``options: {clientAction}`` (nullable)."""
    for options in ({"clientAction": True}, None):
        body: dict[str, Any] = {"inquiryId": "no-such-inquiry", "options": options}
        answer = http.post("livechat/inquiries.take", json=body, headers=agent.headers)
        assert answer.json().get("errorType") != "invalid-params", answer.text
    missing = http.post(
        "livechat/inquiries.take",
        json={"inquiryId": "x", "options": {}},
        headers=agent.headers,
    )
    assert invalid(missing) == "must have required property 'clientAction'"


def test_empty_pagination_values_are_null(http: httpx2.Client, admin: dict[str, str]) -> None:
    """``count=`` / ``offset=`` are ``null`` for ``{type: number, nullable: true}``."""
    for path in ("livechat/department", "livechat/custom-fields", "livechat/rooms"):
        answer = http.get(path, params={"count": "", "offset": ""}, headers=admin)
        assert answer.status_code == 200, (path, answer.text)
        assert answer.json()["offset"] == 0
    assert invalid(http.get("livechat/department", params={"count": "x"}, headers=admin)) == (
        "must be number"
    )


def test_department_enabled_and_show_archived_are_any_string(
    http: httpx2.Client, admin: dict[str, str]
) -> None:
    """isGETLivechatDepartmentProps: no enum on ``enabled`` / ``showArchived``; there is one on
    ``onlyMyDepartments``."""
    params = {"enabled": "yes", "showArchived": "maybe"}
    assert http.get("livechat/department", params=params, headers=admin).status_code == 200
    bad = http.get("livechat/department", params={"onlyMyDepartments": "yes"}, headers=admin)
    assert invalid(bad) == "must be equal to one of the allowed values"


def test_query_arrays_are_coerced_like_ajv_query(
    http: httpx2.Client, admin: dict[str, str]
) -> None:
    """``coerceTypes: 'array'``: ``tags=x`` is ``["x"]``; ``token[]=a`` for a nullable string is
    refused (``must be string``: AJV 8 does not unwrap a one-item array for a nullable type)."""
    assert http.get("livechat/rooms", params={"tags": "x"}, headers=admin).status_code == 200
    assert invalid(http.get("livechat/config", params={"token[]": "a"})) == "must be string"
    # a non-nullable string is unwrapped: visitorId[]=x is "x"
    unwrapped = http.get("livechat/visitors.info", params={"visitorId[]": "x"}, headers=admin)
    assert error(unwrapped)["error"] == "visitor-not-found"
    nested = http.get("livechat/config", params={"a[b][c]": "x"})
    assert invalid(nested) == "must NOT have additional properties"


def test_bodies_are_coerced_like_ajv(http: httpx2.Client) -> None:
    """``coerceTypes: true``: numbers and booleans become strings, ``"true"`` a boolean."""
    token = register(http)["token"]
    answer = http.post(
        "livechat/custom.field",
        json={"token": token, "key": 7, "value": 8, "overwrite": "true"},
    )
    assert answer.json().get("errorType") != "invalid-params", answer.text
    assert error(answer)["error"] == "invalid-custom-field"  # key "7" is no definition


@pytest.mark.parametrize(("raw", "field"), [(b"7", "rid"), (b"null", "rid"), (b'"ab"', "rid")])
def test_a_json_body_that_is_not_an_object_is_spread(
    http: httpx2.Client, raw: bytes, field: str
) -> None:
    """``{...body}``: the error names the first missing field, not ``must be object``
    (``"ab"`` spreads into ``{"0": "a", "1": "b"}``, whose first problem is the same)."""
    response = http.post("livechat/transcript", content=raw, headers=JSON)
    assert invalid(response) == f"must have required property '{field}'"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("livechat/visitor.status", b'{"token": "\\ud800", "status": "online"}'),
        (
            "livechat/visitor/department.transfer",
            b'{"token": "\\ud800", "rid": "r", "department": "d"}',
        ),
    ],
)
def test_a_lone_surrogate_is_an_unknown_token(http: httpx2.Client, path: str, body: bytes) -> None:
    """JavaScript keeps ``"\\ud800"``; it reaches MongoDB as U+FFFD and matches no visitor."""
    answer = error(http.post(path, content=body, headers=JSON))
    assert "invalid-token" in answer["error"]
    assert "surrogate" not in answer["error"] and "codec" not in answer["error"]


def test_lone_surrogates_are_stored_as_replacement_characters(http: httpx2.Client) -> None:
    token = register(http)["token"]
    answer = http.post(
        "livechat/visitor.status",
        content=b'{"token": "%s", "status": "x\\udfff"}' % token.encode(),
        headers=JSON,
    )
    assert answer.json() == {"token": token, "status": "x\ufffd", "success": True}


def test_error_texts_are_ajv_first_message_with_the_route_suffix(
    http: httpx2.Client, admin: dict[str, str]
) -> None:
    old_style = http.post("livechat/message", json={"token": "t", "rid": "r"})
    assert error(old_style) == {
        "success": False,
        "error": "must have required property 'msg' [invalid-params]",
        "errorType": "invalid-params",
    }
    typed = http.post("livechat/custom-fields.delete", json={}, headers=admin)
    assert error(typed) == {
        "success": False,
        "errorType": "error-invalid-params",
        "error": "must have required property 'customFieldId'",
    }
    union = http.get("livechat/rooms", params={"open[]": ["a", "b"]}, headers=admin)
    assert invalid(union) == "must be string\n must be boolean\n must match a schema in anyOf"
