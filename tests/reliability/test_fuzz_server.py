"""The embedded server fuzzed with hostile HTTP: it always answers like Rocket.Chat, never 500.

Every declared ``/api/v1`` endpoint (read from the server's own route table, so new routes are
fuzzed automatically) gets generated requests: path parameters with traversal, encoding and
injection tricks, query strings in ``qs`` syntax, every content type, malformed/huge/odd JSON,
form and multipart bodies (broken boundaries, several files), unknown fields, no/garbage/admin/
visitor credentials. Requests are written with ``http.client`` so paths reach the server
exactly as generated (no client-side normalisation).

Each answer must be a Rocket.Chat answer: JSON; 2xx with ``success: true``; 4xx with
``success: false`` (or Restivus' ``{"status": "error", ...}`` for unknown routes/methods);
never 5xx. No handler may raise an unexpected Python exception (the server logs those before
turning them into a 400), and the server keeps answering afterwards.
"""

from __future__ import annotations

import http.client
import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from _reliability_env import Deployment, start_deployment
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rocketchat_livechat import LivechatClient, new_visitor_token
from rocketchat_livechat.server.routes import ROUTE_GROUPS

ENDPOINTS = sorted({(e.method, e.path) for g in ROUTE_GROUPS for e in g.endpoints})
#: calls that would end the admin session the fuzzer uses (they are fuzzed without it)
ADMIN_UNSAFE = {("POST", "logout"), ("POST", "users.delete"), ("POST", "settings/:_id")}
EXAMPLES = 600


@dataclass
class Answer:
    status: int
    content_type: str
    raw: bytes
    body: Any = None


@dataclass
class Target:
    """A fuzzed server plus real ids to aim at, so requests get past the first lookups."""

    host: str
    port: int
    admin: dict[str, str] = field(repr=False)
    token: str
    rid: str
    message_id: str
    problems: list[str] = field(default_factory=list)

    def send(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes | None
    ) -> Answer:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, target, body=body, headers=dict(headers))
            response = conn.getresponse()
            raw = response.read()
            answer = Answer(response.status, response.getheader("content-type") or "", raw)
        finally:
            conn.close()
        try:
            answer.body = json.loads(raw) if raw else None
        except ValueError:
            answer.body = None
        return answer


class _ErrorLog(logging.Handler):
    """Collects the server's 'unexpected error' records (an exception escaped a handler)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.getMessage()}: {record.exc_info and record.exc_info[1]!r}")


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[Deployment]:
    yield from start_deployment(FileUpload_MaxFileSize=1_000_000)


@pytest.fixture(scope="module")
def server_errors() -> Iterator[_ErrorLog]:
    handler = _ErrorLog()
    logger = logging.getLogger("rocketchat_livechat.server")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@pytest.fixture(scope="module")
def target(fuzzed: Deployment) -> Target:
    token = new_visitor_token()
    with LivechatClient(fuzzed.url) as client:
        client.visitor.register_visitor(token, name="Fuzz Target", email="fuzz@example.com")
        rid = client.room.get_room(token).room.id
        message_id = client.messages.send_message(token, rid, "fuzz me").id
    parts = urlsplit(fuzzed.url)
    assert parts.hostname is not None and parts.port is not None
    return Target(parts.hostname, parts.port, fuzzed.admin.admin_headers, token, rid, message_id)


def check_answer(method: str, target: str, answer: Answer) -> str | None:
    """Why ``answer`` is not a Rocket.Chat answer, or ``None`` when it is."""
    where = f"{method} {target[:200]} -> {answer.status} {answer.raw[:300]!r}"
    if answer.status >= 500:
        return f"server error: {where}"
    if method == "HEAD":
        return None
    if "application/json" not in answer.content_type or not isinstance(answer.body, dict):
        return f"not a JSON object: {where}"
    body = answer.body
    if 200 <= answer.status < 300:
        return None if body.get("success") is True else f"2xx without success: {where}"
    if body.get("success") is False:
        return None
    restivus = answer.status in (401, 404, 405) and body.get("status") == "error"
    return None if restivus else f"4xx without success:false: {where}"


def verdict(method: str, path: str, answer: Answer, escaped: list[str]) -> str | None:
    """Why the exchange is wrong, or ``None``."""
    problem = check_answer(method, path, answer)
    if problem is None and escaped:
        problem = f"an exception escaped a handler: {method} {path[:200]}: {escaped}"
    return problem


# --- strategies ---------------------------------------------------------------------------

TRICKS = [
    "..",
    "%2e%2e",
    "..%2F..%2Flivechat.sqlite3",
    "%2F",
    "%00",
    "%",
    "%zz",
    "%C0%AE%C0%AE",
    "%ff%fe",
    "%F0%9F%98%80",
    "a%20b",
    "~",
    "'%20OR%201=1--",
    "%7B%22%24ne%22:null%7D",
    "$where",
    "__proto__",
    "constructor",
    "null",
    "undefined",
    "-1",
    "1e309",
    "[]",
    "a" * 2000,
]
KEYS = [
    "token",
    "rid",
    "msg",
    "_id",
    "visitor",
    "department",
    "data",
    "name",
    "email",
    "message",
    "status",
    "agent",
    "pageInfo",
    "customFields",
    "key",
    "value",
    "overwrite",
    "username",
    "password",
    "user",
    "inquiryId",
    "comment",
    "tags",
    "type",
    "count",
    "offset",
    "sort",
    "fields",
    "query",
    "$set",
    "__proto__",
    "constructor",
]
MALFORMED_JSON = [
    b"{",
    b'{"token":',
    b"[1,2",
    b'{"token": "x",}',
    b"nul",
    b"\xff\xfe{\x00}\x00",
    b'{"a":1}{"b":2}',
    b'"\\ud800"',
    b'{"a": NaN}',
    b"1e99999",
    b"[" * 50_000,
    b'{"a":' * 50_000,
    b"\x00" * 100,
]
CONTENT_TYPES = [
    None,
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=utf-16",
    "text/plain",
    "text/html",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=BOUNDARY",
    "multipart/form-data; boundary=",
    "application/xml",
    "*/*",
    "garbage",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
)
json_values = st.recursive(
    scalars,
    lambda kids: (
        st.lists(kids, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), kids, max_size=5)
    ),
    max_leaves=15,
)


@st.composite
def path_values(draw: st.DrawFn, known: list[str]) -> str:
    choice = draw(st.integers(0, 3))
    if choice <= 1:
        return draw(st.sampled_from(known))
    if choice == 2:
        return draw(st.sampled_from(TRICKS))
    return quote(draw(st.text(min_size=1, max_size=30)), safe="")


@st.composite
def queries(draw: st.DrawFn, known: list[str]) -> str:
    keys = st.sampled_from(KEYS) | st.sampled_from(["a[]", "a[b]", "__proto__[x]", "token[]"])
    values = st.sampled_from(known) | st.text(max_size=20) | st.sampled_from(TRICKS)
    pairs = draw(st.lists(st.tuples(keys, values), max_size=6))
    return urlencode(pairs)


def _multipart(boundary: str, parts: list[tuple[str, str | None, bytes]], closed: bool) -> bytes:
    out = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (
            f'; filename="{filename}"' if filename is not None else ""
        )
        out += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode()
        if filename is not None:
            out += b"Content-Type: application/octet-stream\r\n"
        out += b"\r\n" + content + b"\r\n"
    return out + (f"--{boundary}--\r\n".encode() if closed else b"")


@st.composite
def bodies(draw: st.DrawFn, known: list[str]) -> tuple[str | None, bytes | None]:
    """(content type, body)."""
    kind = draw(st.integers(0, 6))
    content_type = draw(st.sampled_from(CONTENT_TYPES))
    if kind == 0:
        return content_type, None
    if kind == 1:
        obj = draw(st.dictionaries(st.sampled_from(KEYS), json_values | st.sampled_from(known)))
        return content_type, json.dumps(obj).encode()
    if kind == 2:
        return content_type, json.dumps(draw(json_values)).encode()
    if kind == 3:
        return content_type, draw(st.sampled_from(MALFORMED_JSON) | st.binary(max_size=300))
    if kind == 4:
        return "application/x-www-form-urlencoded", draw(queries(known)).encode()
    names = st.sampled_from(["file", "files", "description", "msg", "groupable", "x", ""])
    part = st.tuples(names, st.none() | st.text(max_size=20), st.binary(max_size=200))
    parts = draw(st.lists(part, max_size=3))
    boundary = draw(st.sampled_from(["BOUNDARY", "OTHER", "x" * 75]))
    body = _multipart(boundary, parts, closed=draw(st.booleans()))
    return "multipart/form-data; boundary=BOUNDARY", body


@st.composite
def requests(draw: st.DrawFn, target: Target) -> tuple[str, str, dict[str, str], bytes | None]:
    known = [target.token, target.rid, target.message_id, "agent", "manager"]
    method, route = draw(st.sampled_from(ENDPOINTS))
    if draw(st.integers(0, 9)) == 0:  # mostly the declared method, to get past routing
        method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]))
    segments = [
        draw(path_values(known)) if segment.startswith(":") else segment
        for segment in route.split("/")
    ]
    query = draw(queries(known))
    path = "/api/v1/" + "/".join(segments) + (f"?{query}" if query else "")
    headers: dict[str, str] = {}
    auth = draw(st.sampled_from(["none", "admin", "admin", "admin", "garbage", "visitor"]))
    if auth == "admin" and (method, route) not in ADMIN_UNSAFE:
        headers.update(target.admin)
    elif auth == "garbage":
        headers.update({"X-User-Id": "nobody", "X-Auth-Token": "bad-token"})
    elif auth == "visitor":
        headers["x-visitor-token"] = target.token
    content_type, body = draw(bodies(known))
    if content_type is not None:
        headers["Content-Type"] = content_type
    return method, path, headers, body


# --- tests ----------------------------------------------------------------------------------


def test_every_route_is_fuzzed() -> None:
    assert len(ENDPOINTS) >= 40
    assert ("POST", "livechat/message") in ENDPOINTS


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_fuzzed_requests_get_rocketchat_error_answers(
    data: st.DataObject, target: Target, server_errors: _ErrorLog
) -> None:
    method, path, headers, body = data.draw(requests(target))
    before = len(server_errors.records)
    answer = target.send(method, path, headers, body)
    problem = verdict(method, path, answer, server_errors.records[before:])
    assert problem is None, f"{problem}\nheaders {headers}\nbody {body!r:.300}"


def test_server_still_answers_after_fuzzing(target: Target) -> None:
    answer = target.send("GET", "/api/info", {}, None)
    assert answer.status == 200 and answer.body["success"] is True
    answer = target.send("GET", f"/api/v1/livechat/visitor/{target.token}", {}, None)
    assert answer.status == 200 and answer.body["visitor"]["token"] == target.token


# --- hand-picked hostile requests -----------------------------------------------------------

HUGE = 51 * 1024 * 1024


def _hostile(target: Target) -> list[tuple[str, str, dict[str, str], bytes | None]]:
    json_type = {"Content-Type": "application/json"}
    send = {"token": target.token, "rid": target.rid, "msg": "x"}
    visitor = {"x-visitor-token": target.token}
    return [
        ("POST", "/api/v1/livechat/message", json_type, b'{"msg": "' + b"a" * HUGE + b'"}'),
        ("POST", "/api/v1/livechat/message", json_type, b"[" * 200_000),
        ("POST", "/api/v1/livechat/message", json_type, json.dumps({**send, "extra": 1}).encode()),
        ("POST", "/api/v1/livechat/message", json_type, json.dumps({**send, "msg": 5}).encode()),
        ("POST", "/api/v1/livechat/message", {"Content-Type": "text/plain"}, b"token=x"),
        ("POST", "/api/v1/livechat/visitor", json_type, b'{"visitor": {"token": "\\u0000"}}'),
        ("POST", "/api/v1/livechat/visitor", json_type, b'{"visitor": {"token": "   "}}'),
        ("POST", f"/api/v1/livechat/upload/{target.rid}", visitor, b"no multipart at all"),
        (
            "POST",
            f"/api/v1/livechat/upload/{target.rid}",
            {**visitor, "Content-Type": "multipart/form-data; boundary=B"},
            _multipart("B", [("file", "big.bin", b"\0" * 2_000_000)], closed=True),
        ),
        (
            "POST",
            f"/api/v1/livechat/upload/{target.rid}",
            {**visitor, "Content-Type": "multipart/form-data; boundary=B"},
            _multipart("B", [("file", "a.txt", b"1"), ("file", "b.txt", b"2")], closed=True),
        ),
        (
            "POST",
            f"/api/v1/livechat/upload/{target.rid}",
            {**visitor, "Content-Type": "multipart/form-data; boundary=B"},
            b'--B\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n\r\nab',
        ),
        ("GET", "/api/v1/livechat/visitor/" + "a" * 6000, {}, None),
        ("GET", "/api/v1/livechat/visitor/..%2F..%2Fsettings%2FSite_Url", {}, None),
        ("GET", "/api/v1/livechat/../../api/info", {}, None),
        ("GET", "/api/v1//livechat//config", {}, None),
        ("GET", "/api/v1/livechat/config?token[$ne]=x&department[]=a&department[]=b", {}, None),
        ("GET", "/api/v1/livechat/room?token=" + target.token + "&cachebuster=1", {}, None),
        ("PATCH", "/api/v1/livechat/message", json_type, b"{}"),
        ("GET", "/api/v1/does/not/exist", {}, None),
    ]


def test_hand_picked_hostile_requests(target: Target, server_errors: _ErrorLog) -> None:
    problems = []
    for method, path, headers, body in _hostile(target):
        before = len(server_errors.records)
        answer = target.send(method, path, headers, body)
        problem = verdict(method, path, answer, server_errors.records[before:])
        if problem is not None:
            problems.append(problem)
    assert not problems, "\n".join(problems)


# --- regressions: server bugs the fuzzer found (both fixed in the server since) --------------


def test_newline_in_a_path_segment_gets_a_rocketchat_answer(target: Target) -> None:
    """Was: a decoded newline fell outside Starlette's ``{path:path}`` route (no DOTALL) and
    got Starlette's text/plain 404 ``Not Found``. Rocket.Chat routes it like any unknown token."""
    answer = target.send("GET", "/api/v1/livechat/visitor/a%0Ab", {}, None)
    assert (answer.status, answer.body) == (
        400,
        {"success": False, "error": "[invalid-token]", "errorType": "invalid-token"},
    )


def test_deeply_nested_json_is_refused_like_any_non_object_body(
    target: Target, server_errors: _ErrorLog
) -> None:
    """Was: ``json.loads`` raised RecursionError (not ValueError), which escaped the body
    parser and came back as Python's 'maximum recursion depth exceeded ...' text."""
    json_type = {"Content-Type": "application/json"}
    shallow = target.send("POST", "/api/v1/livechat/message", json_type, b"[[1]]")
    before = len(server_errors.records)
    deep = target.send("POST", "/api/v1/livechat/message", json_type, b"[" * 100_000)
    assert server_errors.records[before:] == []
    assert (deep.status, deep.body) == (shallow.status, shallow.body)


@pytest.mark.parametrize(
    "path",
    [
        "/file-upload/..%2Flivechat.sqlite3/x",
        "/file-upload/%2e%2e/livechat.sqlite3",
        "/file-upload/x/..%2F..%2Flivechat.sqlite3",
        "/file-upload/..%2F..%2F..%2Fetc%2Fpasswd/passwd",
    ],
)
def test_file_download_paths_cannot_escape_the_upload_dir(target: Target, path: str) -> None:
    answer = target.send("GET", path, {}, None)
    assert answer.status in (403, 404)
    assert b"SQLite format" not in answer.raw and b"root:" not in answer.raw
