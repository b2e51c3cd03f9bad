"""A fake Rocket.Chat behind ``httpx2.MockTransport``, driven by the sync or the async client.

Tests describe a call once (``"visitor.get_visitor", "tok"``) and :class:`Driver` runs it with
``LivechatClient`` or ``AsyncLivechatClient``; :class:`Recorder` keeps every request that reached
the transport.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import functools
import json
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx2

from rocketchat_livechat import AsyncLivechatClient, LivechatClient
from rocketchat_livechat._async.resources._base import AsyncEndpointMethod, AsyncResource
from rocketchat_livechat._core.endpoint import Endpoint
from rocketchat_livechat._core.endpoints import declared
from rocketchat_livechat._sync.resources._base import EndpointMethod, Resource

BASE_URL = "http://rc.test"
USER_ID = "agent-user-id-1"
AUTH_TOKEN = "Auth-Token-Secret-0123456789"

Responder = Callable[[httpx2.Request], httpx2.Response]
AnyClient = LivechatClient | AsyncLivechatClient


def json_response(
    body: Any = None, status: int = 200, headers: Mapping[str, str] | None = None
) -> httpx2.Response:
    """A JSON response (``{"success": true}`` when no body is given)."""
    return httpx2.Response(
        status, json={"success": True} if body is None else body, headers=headers
    )


def always(body: Any = None, status: int = 200) -> Responder:
    """A responder that answers every request with the same JSON."""
    return lambda request: json_response(body, status)


@dataclass
class Recorder:
    """The transport's handler: records each request, then lets ``responder`` answer it."""

    responder: Responder = field(default_factory=always)
    requests: list[httpx2.Request] = field(default_factory=list)

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return self.responder(request)

    @property
    def last(self) -> httpx2.Request:
        assert self.requests, "no request was sent"
        return self.requests[-1]

    def paths(self) -> list[str]:
        return [raw_path(r) for r in self.requests]


def raw_path(request: httpx2.Request) -> str:
    """The request's path exactly as sent (still percent-encoded), without the query."""
    return request.url.raw_path.decode("ascii").split("?", 1)[0]


def query(request: httpx2.Request) -> list[tuple[str, str]]:
    """The decoded query pairs, in order."""
    return list(request.url.params.multi_items())


def body_json(request: httpx2.Request) -> Any:
    return json.loads(request.content) if request.content else None


@dataclass(frozen=True)
class Part:
    """One part of a multipart/form-data body."""

    name: str
    filename: str | None
    content_type: str | None
    data: bytes


def multipart_parts(request: httpx2.Request) -> dict[str, Part]:
    """The parts of a multipart request, by field name."""
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    raw = f"Content-Type: {content_type}\r\n\r\n".encode() + request.content
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    parts: dict[str, Part] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        assert isinstance(name, str) and isinstance(payload, bytes)
        parts[name] = Part(
            name,
            part.get_filename(),
            part.get("content-type"),
            payload,
        )
    return parts


class Driver:
    """Runs client calls with the sync (``"sync"``) or the async (``"async"``) client."""

    def __init__(self, flavour: str) -> None:
        assert flavour in ("sync", "async")
        self.flavour = flavour

    def __repr__(self) -> str:
        return f"Driver({self.flavour})"

    def client(self, handler: Recorder | Responder, **kwargs: Any) -> AnyClient:
        transport = httpx2.MockTransport(handler)
        options: dict[str, Any] = {"user_id": USER_ID, "auth_token": AUTH_TOKEN, **kwargs}
        if options["user_id"] is None:
            del options["user_id"], options["auth_token"]
        cls = LivechatClient if self.flavour == "sync" else AsyncLivechatClient
        return cls(options.pop("base_url", BASE_URL), transport=transport, **options)

    def call(
        self,
        handler: Recorder | Responder,
        method: str,
        *args: Any,
        client_kwargs: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """``client.<method>(*args, **kwargs)`` on a fresh client; iterators are collected."""
        return self.calls(handler, [(method, args, kwargs)], client_kwargs=client_kwargs)[-1]

    def calls(
        self,
        handler: Recorder | Responder,
        steps: Sequence[tuple[str, tuple[Any, ...], Mapping[str, Any]]],
        *,
        client_kwargs: Mapping[str, Any] | None = None,
    ) -> list[Any]:
        """Several calls in order on one client; the list of their results."""
        client = self.client(handler, **(client_kwargs or {}))
        if isinstance(client, LivechatClient):
            with client:
                return [_collect(_bound(client, m)(*a, **kw)) for m, a, kw in steps]
        return asyncio.run(_async_calls(client, steps))


async def _async_calls(
    client: AsyncLivechatClient, steps: Sequence[tuple[str, tuple[Any, ...], Mapping[str, Any]]]
) -> list[Any]:
    results = []
    async with client:
        for method, args, kwargs in steps:
            outcome = _bound(client, method)(*args, **kwargs)
            if isinstance(outcome, AsyncIterator):
                results.append([item async for item in outcome])
            else:
                results.append(await outcome)
    return results


def _bound(client: AnyClient, method: str) -> Callable[..., Any]:
    target: Any = client
    for name in method.split("."):
        target = getattr(target, name)
    assert callable(target)
    return target  # type: ignore[no-any-return]


def _collect(outcome: Any) -> Any:
    return list(outcome) if isinstance(outcome, Iterator) else outcome


# --- the clients' public methods ---------------------------------------------------------------

# The endpoints of the client itself (``client.login``...); every other group is a resource.
CLIENT_GROUP = "auth"


def resources(client: AnyClient) -> dict[str, Any]:
    """The client's resources (``client.room``, ...) by attribute name."""
    base = AsyncResource if isinstance(client, AsyncLivechatClient) else Resource
    return {name: value for name, value in vars(client).items() if isinstance(value, base)}


def bound_declarations(resource: Any) -> dict[str, Endpoint[Any, Any]]:
    """The resource's methods bound from declarations, by attribute name (class attributes)."""
    found = {}
    for cls in reversed(type(resource).__mro__):
        for name, value in vars(cls).items():
            if isinstance(value, AsyncEndpointMethod | EndpointMethod):
                found[name] = value.endpoint
    return found


def resource_method_names(resource: Any) -> set[str]:
    """The public method names of a resource (bound declarations and hand-written ones)."""
    return {
        name
        for name in dir(type(resource))
        if not name.startswith("_") and callable(getattr(resource, name))
    }


def client_methods() -> set[str]:
    """The client's own endpoint methods (``login``, ``logout``, ``server_version``)."""
    return {e.name for e in declared() if e.group == CLIENT_GROUP}


def public_methods(client: AnyClient | None = None) -> set[str]:
    """``login``, ..., and ``resource.method`` for every public method of every resource."""
    client = client or AsyncLivechatClient(BASE_URL)
    names = set(client_methods())
    for resource_name, resource in resources(client).items():
        names |= {f"{resource_name}.{name}" for name in resource_method_names(resource)}
    return names


def bindings(client: AnyClient) -> dict[Endpoint[Any, Any], list[str]]:
    """Where each endpoint is bound in ``client``'s resources (``["room.get_room"]``)."""
    found: dict[Endpoint[Any, Any], list[str]] = {}
    for resource_name, resource in resources(client).items():
        for name, endpoint in bound_declarations(resource).items():
            found.setdefault(endpoint, []).append(f"{resource_name}.{name}")
    return found


@functools.cache
def _async_bindings() -> dict[Endpoint[Any, Any], list[str]]:
    return bindings(AsyncLivechatClient(BASE_URL))


def method_of(endpoint: Endpoint[Any, Any]) -> str:
    """Where ``endpoint`` is called on a client: ``login`` or ``room.get_room``."""
    if endpoint.group == CLIENT_GROUP:
        return endpoint.name
    (method,) = _async_bindings()[endpoint]
    return method


def bound(client: AnyClient, method: str) -> Callable[..., Any]:
    """``client.<method>`` for a dotted ``method`` (``"room.get_room"``)."""
    return _bound(client, method)
