"""Tests derived from the endpoint declarations: an endpoint is covered the moment it is declared.

Every ``@endpoint`` in ``_core/endpoints`` has samples; every one outside the ``auth`` group is a
method of exactly one resource of both clients, under its own name, and every other public
resource method is a hand-written pager (``iter_*``). Then each endpoint is called with each of
its samples, with ``LivechatClient`` and ``AsyncLivechatClient`` (logged in) over a transport
answering the sample's response: one request, the declared method and route (the route of the
server's version for a ``since`` endpoint, old and new), the path values percent-encoded, user
credentials only for ``auth="user"``, every argument value found in the request (nothing silently
dropped), the per-call ``timeout=`` on the request, the same request from both clients, and the
declared return type. Finally, secret parameters never reach the redacted URL or any log record.

The exact bytes of each request are pinned by hand in ``test_requests.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import httpx2
import pytest
from _harness import (
    AUTH_TOKEN,
    CLIENT_GROUP,
    USER_ID,
    AnyClient,
    Driver,
    Recorder,
    always,
    bindings,
    bound,
    bound_declarations,
    method_of,
    multipart_parts,
    query,
    raw_path,
    resource_method_names,
    resources,
)

import rocketchat_livechat._core.endpoints.messages as message_endpoints
from rocketchat_livechat import AsyncLivechatClient, LivechatClient, UnexpectedResponseError
from rocketchat_livechat._core.endpoint import Endpoint, Sample
from rocketchat_livechat._core.endpoints import declared
from rocketchat_livechat._core.redact import is_secret, redact_url
from rocketchat_livechat._core.request import encode_segment

ENDPOINTS = declared()
TIMEOUT = 7.25  # the per-call timeout every derived call passes
FIXED_MESSAGE_ID = "FixedMessageId234"  # the "random" message id, so both clients send the same

# Samples whose response the endpoint's parser refuses: a bug in the declaration. The request is
# still checked in full; the row xfails (strictly: fix the sample, then remove it from here).
KNOWN_UNPARSEABLE_SAMPLES: dict[tuple[str, int], str] = {}

# Parameters that never reach the request (callbacks), so no sample needs to pass them.
NOT_SENT: dict[str, set[str]] = {
    "room.upload_file": {"progress"},
    "messages.upload_agent_media": {"progress"},
    "messages.upload_agent_file_legacy": {"progress"},
}

# Hand-written resource methods that only chain declared endpoints (no request of their own).
COMPOSITES: dict[str, str] = {
    "messages.upload_agent_file": "rooms.media + rooms.mediaConfirm, or rooms.upload before 7.0",
}

# Parameters no sample passes yet: their value could be dropped without any derived test seeing
# it. Strict xfails: add the parameter to a sample, then remove it from here.
KNOWN_UNSAMPLED: dict[str, set[str]] = {}


def by_name(endpoints: list[Endpoint[Any, Any]]) -> dict[str, Any]:
    return {"argvalues": endpoints, "ids": [e.qualname for e in endpoints]}


def arguments(endpoint: Endpoint[Any, Any], sample: Sample) -> dict[str, Any]:
    """The sample's arguments by parameter name."""
    bound_arguments = inspect.signature(endpoint.parts).bind(*sample.args, **sample.kwargs)
    return dict(bound_arguments.arguments)


# --- (i) declared once, sampled, bound once -------------------------------------------------


def test_declarations_are_found() -> None:
    assert len(ENDPOINTS) >= 38
    assert len({e.qualname for e in ENDPOINTS}) == len(ENDPOINTS)


@pytest.mark.parametrize("endpoint", **by_name(ENDPOINTS))
def test_every_endpoint_has_a_sample(endpoint: Endpoint[Any, Any]) -> None:
    assert endpoint.samples, f"{endpoint.qualname} declares no Sample: nothing derived can run"
    for sample in endpoint.samples:
        arguments(endpoint, sample)  # each sample fits the signature


@pytest.mark.parametrize("endpoint", **by_name(ENDPOINTS))
def test_every_parameter_is_exercised_by_a_sample(endpoint: Endpoint[Any, Any]) -> None:
    parameters = {
        name
        for name, parameter in inspect.signature(endpoint.parts).parameters.items()
        if parameter.kind is not inspect.Parameter.VAR_KEYWORD
    }
    passed = set().union(*(arguments(endpoint, s) for s in endpoint.samples))
    missing = parameters - passed - NOT_SENT.get(endpoint.qualname, set())
    if endpoint.qualname in KNOWN_UNSAMPLED:
        assert missing == KNOWN_UNSAMPLED[endpoint.qualname]
        pytest.xfail(f"no sample passes {sorted(missing)}")
    assert not missing, f"{endpoint.qualname}: no sample passes {sorted(missing)}"


def make_clients() -> list[AnyClient]:
    return [LivechatClient("http://rc.test"), AsyncLivechatClient("http://rc.test")]


@pytest.mark.parametrize("endpoint", **by_name(ENDPOINTS))
def test_every_endpoint_is_bound_once_under_its_own_name(endpoint: Endpoint[Any, Any]) -> None:
    for client in make_clients():
        where = bindings(client).get(endpoint, [])
        if endpoint.group == CLIENT_GROUP:
            assert where == [], f"{endpoint.qualname} is a client method, not a resource's"
            assert callable(getattr(client, endpoint.name)), type(client).__name__
        else:
            assert len(where) == 1, f"{type(client).__name__}: {endpoint.qualname} bound at {where}"
            assert where[0].split(".")[1] == endpoint.name


@pytest.mark.parametrize("client", make_clients(), ids=["sync", "async"])
def test_every_public_resource_method_is_a_declaration_a_pager_or_a_download(
    client: AnyClient,
) -> None:
    declared_ids = {id(e) for e in ENDPOINTS}
    pager = inspect.isasyncgenfunction if isinstance(client, AsyncLivechatClient) else None
    for resource_name, resource in resources(client).items():
        declarations = bound_declarations(resource)
        assert all(id(e) in declared_ids for e in declarations.values())
        for name in resource_method_names(resource):
            if name in declarations or f"{resource_name}.{name}" in COMPOSITES:
                continue
            where = f"{type(client).__name__}.{resource_name}.{name}"
            function = getattr(type(resource), name)
            if name.startswith("download_"):  # streamed bodies (_core/downloads.py), not JSON
                assert resource_name == "messages", where
                assert inspect.iscoroutinefunction(function) is (pager is not None), where
                continue
            assert name.startswith("iter_"), f"{where} is neither declared nor a pager"
            if pager is not None:
                assert pager(function), where
            else:
                assert inspect.isgeneratorfunction(function), where


# --- (ii) the request each sample makes -----------------------------------------------------


def just_below(version: tuple[int, ...]) -> tuple[int, ...]:
    """A version older than ``version`` (``(8, 0)`` → ``(7, 999, 999)``)."""
    last = max(i for i, part in enumerate(version) if part > 0)
    return (*version[:last], version[last] - 1, *(999,) * (len(version) - last))


@dataclass(frozen=True)
class Row:
    """One endpoint, one sample, one server version (``None``: not looked up)."""

    endpoint: Endpoint[Any, Any]
    index: int
    sample: Sample
    version: tuple[int, ...] | None
    route: str  # the route that server serves

    @property
    def id(self) -> str:
        version = "" if self.version is None else "@" + ".".join(map(str, self.version))
        return f"{self.endpoint.qualname}[{self.index}]{version}"

    @property
    def arguments(self) -> dict[str, Any]:
        return arguments(self.endpoint, self.sample)

    @property
    def path(self) -> str:
        """The path as sent: the route with the sample's values percent-encoded."""
        encoded = {k: encode_segment(v) for k, v in self.arguments.items() if isinstance(v, str)}
        return "/" + self.endpoint.api_prefix + self.route.format(**encoded)


def derived_rows() -> list[Row]:
    rows = []
    for endpoint in ENDPOINTS:
        if endpoint.since:
            versions: list[tuple[tuple[int, ...] | None, str]] = [
                (just_below(endpoint.since[0][0]), endpoint.route),
                *endpoint.since,
            ]
        elif endpoint.added:  # the server is asked; one as new as the route
            versions = [(endpoint.added, endpoint.route)]
        else:
            versions = [(None, endpoint.route)]
        for index, sample in enumerate(endpoint.samples):
            rows.extend(Row(endpoint, index, sample, v, route) for v, route in versions)
    return rows


ROWS = derived_rows()


@dataclass
class Outcome:
    request: httpx2.Request
    result: Any
    error: UnexpectedResponseError | None


def run(flavour: str, row: Row) -> Outcome:
    """The row's call with a fresh, logged-in client of ``flavour``."""
    recorder = Recorder(always(row.sample.response))
    client = Driver(flavour).client(recorder)
    if row.version is not None:
        client._session.server_version = row.version
    target = bound(client, method_of(row.endpoint))
    call_kwargs = {**row.sample.kwargs, "timeout": TIMEOUT}
    result, error = None, None
    try:
        if isinstance(client, LivechatClient):
            with client:
                result = target(*row.sample.args, **call_kwargs)
        else:

            async def call() -> Any:
                async with client:
                    return await target(*row.sample.args, **call_kwargs)

            result = asyncio.run(call())
    except UnexpectedResponseError as exc:
        error = exc
    assert len(recorder.requests) == 1, f"{flavour}: {recorder.paths()}"
    return Outcome(recorder.last, result, error)


# Headers every request carries whatever the arguments: never where an argument went.
CLIENT_HEADERS = {
    "host",
    "accept",
    "accept-encoding",
    "connection",
    "user-agent",
    "content-length",
    "content-type",
    "x-user-id",
    "x-auth-token",
}


def leaves(value: Any) -> Iterator[Any]:
    """The scalars of a value, and the keys of its mappings."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield key
            yield from leaves(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from leaves(item)
    elif value is not None:
        yield value


def json_leaves(text: str) -> list[Any]:
    try:
        return list(leaves(json.loads(text)))
    except ValueError:
        return []


def request_leaves(request: httpx2.Request) -> list[Any]:
    """Everything an argument can have become: path segments, query keys and values (and the
    JSON inside them), JSON body keys and scalars, multipart fields, other headers."""
    found: list[Any] = [unquote(segment) for segment in raw_path(request).split("/")]
    for key, value in query(request):
        found += [key, value, *json_leaves(value)]
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        for part in multipart_parts(request).values():
            found += [part.name, part.filename, part.content_type, part.data]
            with contextlib.suppress(UnicodeDecodeError):
                found.append(part.data.decode())
    elif request.content:
        found += list(leaves(json.loads(request.content)))
    found += [v for k, v in request.headers.items() if k not in CLIENT_HEADERS]
    return found


def was_sent(value: Any, found: list[Any]) -> bool:
    """Whether a sample's scalar shows up among a request's leaves."""
    if isinstance(value, bool):
        return any(f is value for f in found) or ("true" if value else "false") in found
    if isinstance(value, int | float):
        numbers = [f for f in found if isinstance(f, int | float) and not isinstance(f, bool)]
        return value in numbers or str(value) in found
    if isinstance(value, str):
        return any(isinstance(f, str) and f == value for f in found)
    if isinstance(value, bytes):
        return any(isinstance(f, bytes) and f == value for f in found)
    raise AssertionError(f"cannot look for a {type(value).__name__} in a request: extend was_sent")


def returns_as_declared(result: Any, returns: str) -> bool:
    """``result`` fits the parser's ``returns`` (``"Page[Room]"``, ``"Visitor | None"``...)."""
    for alternative in returns.split(" | "):
        if alternative == "None":
            matched = result is None
        elif alternative == "Any":
            matched = True
        elif alternative.startswith("list["):
            inner = alternative.removeprefix("list[").removesuffix("]")
            matched = isinstance(result, list) and all(type(i).__name__ == inner for i in result)
        elif alternative.startswith("tuple["):
            matched = isinstance(result, tuple)
        elif alternative.startswith("dict[str, "):
            inner = alternative.removeprefix("dict[str, ").removesuffix("]")
            matched = isinstance(result, dict) and all(
                isinstance(k, str) and type(i).__name__ == inner for k, i in result.items()
            )
        else:
            matched = type(result).__name__ == alternative
        if matched:
            return True
    return False


def comparable(request: httpx2.Request) -> dict[str, Any]:
    """The request without what legitimately differs between two sends (multipart boundary)."""
    headers = dict(request.headers)
    content: Any = request.content
    if headers.get("content-type", "").startswith("multipart/form-data"):
        headers["content-type"] = "multipart/form-data"
        headers.pop("content-length", None)
        content = multipart_parts(request)
    return {
        "method": request.method,
        "url": str(request.url),
        "headers": headers,
        "content": content,
        "extensions": {k: request.extensions[k] for k in ("timeout",)},
    }


@pytest.fixture
def fixed_message_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(message_endpoints, "new_message_id", lambda: FIXED_MESSAGE_ID)


@pytest.mark.usefixtures("fixed_message_ids")
@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_derived_request(row: Row) -> None:
    endpoint = row.endpoint
    outcomes = {flavour: run(flavour, row) for flavour in ("sync", "async")}
    for flavour, outcome in outcomes.items():
        request = outcome.request
        assert request.method == endpoint.method, flavour
        assert raw_path(request) == row.path, flavour
        if endpoint.auth == "user":
            assert request.headers["x-user-id"] == USER_ID, flavour
            assert request.headers["x-auth-token"] == AUTH_TOKEN, flavour
        else:
            assert "x-user-id" not in request.headers, flavour
            assert "x-auth-token" not in request.headers, flavour
        found = request_leaves(request)
        dropped = [v for v in leaves(list(row.arguments.values())) if not was_sent(v, found)]
        assert not dropped, f"{flavour}: not in the request: {dropped}"
        assert request.extensions["timeout"] == httpx2.Timeout(TIMEOUT).as_dict(), flavour
    sync, asynchronous = outcomes["sync"], outcomes["async"]
    assert comparable(sync.request) == comparable(asynchronous.request)
    known = KNOWN_UNPARSEABLE_SAMPLES.get((endpoint.qualname, row.index))
    if known is not None:
        assert sync.error is not None and asynchronous.error is not None, "fixed: remove it"
        pytest.xfail(f"the sample's response does not parse: {known}")
    assert sync.error is None, sync.error
    assert asynchronous.error is None, asynchronous.error
    assert sync.result == asynchronous.result
    assert returns_as_declared(sync.result, endpoint.parse.returns), sync.result


# --- (iii) secrets stay out of URLs in logs and out of log records --------------------------


def secret_values(row: Row) -> dict[str, str]:
    """The sample's values of the declared secrets, and of any secret-named parameter."""
    values = row.arguments
    names = set(row.endpoint.secret) | {name for name in values if is_secret(name)}
    return {name: values[name] for name in sorted(names) if isinstance(values.get(name), str)}


SECRET_ROWS = [r for r in ROWS if secret_values(r)]


@pytest.mark.usefixtures("fixed_message_ids")
@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("row", SECRET_ROWS, ids=[r.id for r in SECRET_ROWS])
def test_secrets_stay_out_of_urls_and_logs(
    row: Row, flavour: str, caplog: pytest.LogCaptureFixture
) -> None:
    for name in row.endpoint.secret:
        assert name in secret_values(row), f"no sample value for the secret {name!r}"
    caplog.set_level(logging.DEBUG)  # every logger, ours and httpx2's included
    outcome = run(flavour, row)
    names = {record.name.split(".")[0] for record in caplog.records}
    assert {"rocketchat_livechat", "httpx2"} <= names  # the call was logged
    shown = redact_url(str(outcome.request.url))
    logged = [record.getMessage() for record in caplog.records]
    for name, value in secret_values(row).items():
        assert value not in shown, f"{name} in the redacted URL {shown}"
        leaked = [message for message in logged if value in message]
        assert not leaked, f"{name} logged: {leaked}"


def test_derived_rows_cover_every_endpoint_sample_and_route() -> None:
    covered = {(r.endpoint.qualname, r.index, r.route) for r in ROWS}
    for endpoint in ENDPOINTS:
        for index in range(len(endpoint.samples)):
            for route in {endpoint.route, *(moved for _, moved in endpoint.since)}:
                assert (endpoint.qualname, index, route) in covered
    assert {e.qualname for e in ENDPOINTS if e.secret} <= {r.endpoint.qualname for r in SECRET_ROWS}


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_route_newer_than_the_server_is_refused_before_sending(flavour: str) -> None:
    """``added``: an older server gets UnsupportedServerVersionError naming both versions."""
    from rocketchat_livechat import UnsupportedServerVersionError

    recorder = Recorder(always({"success": True}))
    client = Driver(flavour).client(recorder)
    client._session.server_version = (7, 10, 0)
    target = bound(client, "room.delete_room")
    with pytest.raises(UnsupportedServerVersionError) as refused:
        if isinstance(client, LivechatClient):
            with client:
                target("r1")
        else:

            async def call() -> Any:
                async with client:
                    return await target("r1")

            asyncio.run(call())
    assert (refused.value.version, refused.value.since) == ("7.10.0", "7.12.0")
    assert refused.value.feature == "livechat/rooms.delete"
    assert refused.value.error_type == "SDK" and not recorder.requests
