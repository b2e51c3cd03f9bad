"""A fake Rocket.Chat behind ``httpx2.MockTransport``, driven by the sync or the async client.

Tests describe a call once (``"visitor.get_visitor", "tok"``) and :class:`Driver` runs it with
``LivechatClient`` or ``AsyncLivechatClient``; :class:`Recorder` keeps every request that reached
the transport.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import io
import json
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx2

from rocketchat_livechat import AsyncLivechatClient, LivechatClient

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


class NonSeekable(io.RawIOBase):
    """A pipe-like binary stream: readable once, not seekable."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)
