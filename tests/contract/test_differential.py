"""Differential contract: the embedded server accepts exactly what Rocket.Chat's validators accept.

Every server route whose schema is one of Rocket.Chat's (``rest_typings(name)``, marked
``x-validator``) gets requests derived from that schema: a minimal valid one, a full one, and
mutations of each property (removed, ``null``, wrong types, arrays for scalars and scalars for
arrays, an unknown key, non-object bodies). Each is put to the validator itself
(``node/validate.mjs``, npm ``@rocket.chat/rest-typings`` 8.8.1) and sent to a fresh embedded
server: a request the validator accepts must not get a validation error, one it refuses must get
one, with AJV's first message as the error text (``[invalid-params]`` suffix on the old-style
routes, ``error-invalid-params`` and no suffix on typed routes).

GET requests carry their values in the query string, so their mutations are strings, ``k[]=``
arrays and ``k[a]=`` objects; the validator sees them as ``qs`` parses them.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx2
import pytest
from test_request_schemas import Validators, validators  # noqa: F401  (the node fixture)

from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.server.api import Endpoint, parse_qs
from rocketchat_livechat.server.routes import ROUTE_GROUPS
from rocketchat_livechat.server.versions import ServerLine

pytestmark = pytest.mark.interop

#: routes whose path parameters need a value of their own
PATH_VALUES = {"type": "agent", "token": "tok-1", "rid": "rid-1"}

#: documented exceptions: (route, request label) → why the server may differ
EXCEPTIONS: dict[tuple[str, str], str] = {}


def _endpoints() -> list[Endpoint]:
    found = [
        e
        for g in ROUTE_GROUPS
        for e in g.endpoints
        if e.schema is not None and "x-validator" in e.schema
    ]
    return sorted(found, key=lambda e: (e.path, e.method))


ENDPOINTS = _endpoints()


def _sample(schema: dict[str, Any], *, full: bool) -> Any:
    """A value the schema accepts (all properties when ``full``, else the required ones)."""
    if "anyOf" in schema:
        return _sample(schema["anyOf"][0], full=full)
    if "oneOf" in schema:
        return _sample(schema["oneOf"][0], full=full)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    if kind == "object":
        props = schema.get("properties", {})
        names = list(props) if full else list(schema.get("required", []))
        return {name: _sample(props[name], full=full) for name in names if name in props}
    if kind == "array":
        return [_sample(schema.get("items", {"type": "string"}), full=full)] * max(
            1, schema.get("minItems", 1)
        )
    if kind in ("number", "integer"):
        return 1
    if kind == "boolean":
        return True
    if kind == "string":
        if schema.get("format") == "email" or schema.get("format") == "basic_email":
            return "a@example.com"
        return "x"
    return "x"


@dataclass(frozen=True)
class Case:
    label: str
    data: Any  # JSON body, or query pairs for GET


def _body_cases(schema: dict[str, Any]) -> Iterator[Case]:
    minimal = _sample(schema, full=False)
    full = _sample(schema, full=True)
    yield Case("minimal", minimal)
    yield Case("full", full)
    for name in [*(schema.get("properties") or {})]:
        for label, value in (
            ("null", None),
            ("number", 7),
            ("numeric string", "7"),
            ("boolean string", "true"),
            ("empty string", ""),
            ("boolean", False),
            ("array", ["x"]),
            ("object", {"a": 1}),
        ):
            yield Case(f"{name}={label}", {**full, name: value})
        if name in (schema.get("required") or []):
            yield Case(f"without {name}", {k: v for k, v in full.items() if k != name})
        sub = (schema.get("properties") or {})[name]
        if sub.get("type") == "object" and isinstance(full.get(name), dict):
            inner = full[name]
            for key in sub.get("properties") or {}:
                for label, value in (("null", None), ("number", 7), ("array", ["x"])):
                    yield Case(f"{name}.{key}={label}", {**full, name: {**inner, key: value}})
                yield Case(
                    f"{name} without {key}",
                    {**full, name: {k: v for k, v in inner.items() if k != key}},
                )
            yield Case(f"{name} extra key", {**full, name: {**inner, "zzz-extra": "x"}})
    yield Case("extra key", {**full, "zzz-extra": 1})
    for label, body in (("body 7", 7), ("body string", "ab"), ("body array", [])):
        yield Case(label, body)


def _query_cases(schema: dict[str, Any]) -> Iterator[Case]:
    def pairs(value: dict[str, Any]) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for key, item in value.items():
            if isinstance(item, list):
                out.extend((f"{key}[]", _text(v)) for v in item)
            else:
                out.append((key, _text(item)))
        return out

    minimal = _sample(schema, full=False)
    full = _sample(schema, full=True)
    yield Case("minimal", pairs(minimal))
    yield Case("full", pairs(full))
    base = pairs(full)
    for name in schema.get("properties") or {}:
        rest = [(k, v) for k, v in base if k not in (name, f"{name}[]")]
        for label, extra in (
            ("empty", [(name, "")]),
            ("text", [(name, "x")]),
            ("number", [(name, "7")]),
            ("true", [(name, "true")]),
            ("one-item array", [(f"{name}[]", "x")]),
            ("two-item array", [(f"{name}[]", "x"), (f"{name}[]", "y")]),
            ("repeated", [(name, "x"), (name, "y")]),
            ("object", [(f"{name}[a]", "x")]),
        ):
            yield Case(f"{name} {label}", rest + extra)
        if name in (schema.get("required") or []):
            yield Case(f"without {name}", rest)
    yield Case("extra key", [*base, ("zzz-extra", "1")])


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value)


#: the line of the validators' release (8.8.1)
LINE = ServerLine("8.8")


def _cases() -> list[tuple[Endpoint, Case]]:
    out = []
    for endpoint in ENDPOINTS:
        if not LINE.serves_route(endpoint.method, endpoint.path):
            continue  # not a route of 8.8 (``room.transfer``): nothing to compare
        assert endpoint.schema is not None
        schema = dict(endpoint.schema)
        make = _query_cases if endpoint.method == "GET" else _body_cases
        out.extend((endpoint, case) for case in make(schema))
    return out


CASES = _cases()


@dataclass(frozen=True)
class Server:
    http: httpx2.Client
    admin: dict[str, str]


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with (
        # the validators are 8.8.1's: the server emulates that line (9.0 refuses query/fields)
        EmbeddedServer(rate_limit=False, rc_version=LINE.name) as embedded,
        httpx2.Client(base_url=embedded.url, timeout=30) as http,
    ):
        login = http.post(
            "/api/v1/login",
            json={"user": embedded.admin_username, "password": embedded.admin_password},
        ).json()["data"]
        yield Server(http, {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]})


def _path(endpoint: Endpoint) -> str:
    return re.sub(
        r":(\w+)", lambda m: PATH_VALUES.get(m.group(1), f"{m.group(1)}-1"), endpoint.path
    )


def _validation_error(body: dict[str, Any]) -> bool:
    return body.get("errorType") in ("invalid-params", "error-invalid-params")


def test_every_rocketchat_validator_route_is_covered() -> None:
    assert len(ENDPOINTS) >= 30, [e.path for e in ENDPOINTS]


@pytest.mark.parametrize(
    ("endpoint", "case"),
    CASES,
    ids=[f"{e.method} {e.path} [{c.label}]" for e, c in CASES],
)
def test_server_accepts_exactly_what_the_validator_accepts(
    validators: Validators,  # noqa: F811
    server: Server,
    endpoint: Endpoint,
    case: Case,
) -> None:
    assert endpoint.schema is not None
    name = endpoint.schema["x-validator"]
    headers = server.admin if endpoint.auth else {}
    if endpoint.method == "GET":
        query = urlencode(case.data)
        seen = parse_qs(query)  # what Rocket.Chat's qs hands the validator
        response = server.http.request("GET", f"/api/v1/{_path(endpoint)}?{query}", headers=headers)
    else:
        seen = case.data if isinstance(case.data, dict | list) else {}
        if isinstance(case.data, str):
            seen = {str(i): c for i, c in enumerate(case.data)}
        response = server.http.request(
            endpoint.method, f"/api/v1/{_path(endpoint)}", json=case.data, headers=headers
        )
    errors = validators.check(name, seen)
    assert response.status_code < 500, response.text
    body = response.json()
    exception = EXCEPTIONS.get((endpoint.path, case.label))
    if exception is not None:
        pytest.xfail(exception)
    where = f"{endpoint.method} {endpoint.path} {json.dumps(seen)} -> {response.text[:300]}"
    if not errors:
        assert not _validation_error(body), f"the validator accepts it: {where}"
        return
    assert response.status_code == 400 and _validation_error(body), f"{errors}: {where}"
    expected = "\n ".join(e["message"] for e in errors)
    if endpoint.typed:
        assert body == {"success": False, "errorType": "error-invalid-params", "error": expected}
    else:
        assert body["error"] == f"{expected} [invalid-params]", where


def test_the_exported_schemas_match_the_bundled_validators(
    validators: Validators,  # noqa: F811  (skips without node or the bundle)
) -> None:
    """``server/rest_typings.json`` is ``scripts/export_rest_typings.mjs``'s output."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        ["node", "scripts/export_rest_typings.mjs", "--check"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
