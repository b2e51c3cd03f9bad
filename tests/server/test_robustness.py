"""Malformed input never crashes the server: always a Rocket.Chat-style 4xx JSON answer."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest
from _server_helpers import error, new_chat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rocketchat_livechat.server import api
from rocketchat_livechat.testing.plugin import Agent

pytestmark = pytest.mark.e2e

POST_ENDPOINTS = [
    "livechat/visitor",
    "livechat/message",
    "livechat/room.close",
    "livechat/room.survey",
    "livechat/visitor/department.transfer",
    "livechat/custom.field",
    "livechat/custom.fields",
    "livechat/page.visited",
    "livechat/transcript",
    "livechat/offline.message",
    "livechat/visitor.status",
    "login",
]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=10,
)


def assert_rc_error(response: httpx2.Response) -> dict[str, Any]:
    assert response.status_code in (400, 401, 403, 404, 429), (response.status_code, response.text)
    body: dict[str, Any] = response.json()
    assert body.get("success") is False or body.get("status") == "error"
    return body


@pytest.mark.parametrize("path", POST_ENDPOINTS)
def test_malformed_json_is_an_empty_body(http: httpx2.Client, path: str) -> None:
    response = http.post(path, content=b'{"token": ', headers={"content-type": "application/json"})
    body = assert_rc_error(response)
    assert "error" in body


def test_wrong_content_types(http: httpx2.Client) -> None:
    text = http.post("livechat/message", content=b"token=x", headers={"content-type": "text/plain"})
    assert error(text)["error"] == "must be object [invalid-params]"
    form = http.post("livechat/message", data={"token": "x", "rid": "y", "msg": "m"})
    assert error(form) == {"success": False, "error": "invalid-token"}
    check_text = http.post(
        "livechat/visitor.status", content=b"x", headers={"content-type": "text/plain"}
    )
    assert error(check_text) == {
        "success": False,
        "error": "Match error: Expected object, got string",
    }
    multipart = http.post("livechat/message", files={"f": ("a", b"x")}, data={"token": "x"})
    assert error(multipart)["errorType"] == "invalid-params"
    broken = http.post(
        "livechat/message",
        content=b"--b\r\nnot a part",
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    assert_rc_error(broken)


def test_non_standard_json_constants(http: httpx2.Client) -> None:
    response = http.post(
        "livechat/message", content=b'{"token": NaN}', headers={"content-type": "application/json"}
    )
    assert error(response)["error"] == "must have required property 'token' [invalid-params]"


def test_deeply_nested_json_and_odd_path_characters(http: httpx2.Client) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000  # valid JSON, a non-object body
    json_type = {"content-type": "application/json"}
    response = http.post("livechat/message", content=deep, headers=json_type)
    assert error(response)["error"] == "must be object [invalid-params]"
    newline = http.get("livechat/visitor/a%0Ab")
    assert error(newline) == {
        "success": False,
        "error": "[invalid-token]",
        "errorType": "invalid-token",
    }


def test_body_size_limit(http: httpx2.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "MAX_BODY_BYTES", 1000)
    big = json.dumps({"token": "x" * 2000})
    response = http.post(
        "livechat/message", content=big, headers={"content-type": "application/json"}
    )
    assert error(response) == {"success": False, "error": "request entity too large"}


def test_odd_paths(http: httpx2.Client, agent: Agent) -> None:
    token, _ = new_chat(http)
    assert error(http.get(f"livechat/visitor/{token}%2Fx")) == {
        "success": False,
        "error": "[invalid-token]",
        "errorType": "invalid-token",
    }
    assert http.get(f"livechat/visitor/{token}/").status_code == 200
    assert http.get("livechat/visitor/%E2%9C%93").status_code == 400
    assert http.get("livechat/room", params={"token": [token, token]}).status_code == 400


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(POST_ENDPOINTS), body=json_values)
def test_fuzz_json_bodies(http: httpx2.Client, path: str, body: Any) -> None:
    response = http.post(path, json=body)
    if response.status_code != 200:
        assert_rc_error(response)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(
        st.sampled_from(["token", "rid", "limit", "end", "x", "count"]),
        st.text(max_size=6),
        max_size=4,
    )
)
def test_fuzz_query_strings(http: httpx2.Client, params: dict[str, str]) -> None:
    for path in (
        "livechat/room",
        "livechat/messages.history/abc",
        "livechat/config",
        "livechat/message/m",
    ):
        response = http.get(path, params=params)
        if response.status_code != 200:
            assert_rc_error(response)
