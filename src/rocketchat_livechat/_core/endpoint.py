"""Endpoint declarations: every Rocket.Chat endpoint the SDK calls is declared once.

A declaration is a builder function under the :func:`endpoint` decorator::

    @endpoint(
        "GET",
        "livechat/visitor/{token}",
        parse=parsing.under(Visitor, "visitor"),
        secret=("token",),
        idempotent=True,
        samples=[Sample(("tok-1",), response={"visitor": {"_id": "v1", "token": "tok-1"}})],
    )
    def get_visitor(token: str, **options: Unpack[CallOptions]) -> Parts:
        \"\"\"The visitor registered with ``token``.\"\"\"
        return Parts(path={"token": v.path_segment("token", token)})

The function's signature is the public method's signature (required parameters positional, in
the seeds' order; optional ones keyword-only). Its body only validates the arguments and says
where each goes (:class:`Parts`); the decorator adds the method, route, auth and parser.

Everything else is derived from the declaration: the async and sync resource methods
(``_async/resources/_base.py`` binds them with the same ``ParamSpec``-typed signature), the
redaction of secret path segments in logs (:func:`secret_path_pattern`), the request-shape,
validation and contract test rows (``tests/unit/test_declarations.py``) and the docs' method
table (``scripts/method_table.py``).

``**options`` ends every signature so that type checkers and IDEs see the per-call options
(``timeout=``). The bound resource method takes them out before the builder runs, so builders
never receive them.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, ParamSpec, TypedDict, TypeVar

from .parsing import Parser
from .request import Auth, Call, QueryValue, Request, Upload, api_path, query_params

if TYPE_CHECKING:
    import httpx2

P = ParamSpec("P")
T = TypeVar("T")

Method = Literal["GET", "POST", "PUT", "DELETE"]
Version = tuple[int, ...]


class CallOptions(TypedDict, total=False):
    """Per-call options every endpoint method takes."""

    timeout: float | httpx2.Timeout | None
    """Seconds or an ``httpx2.Timeout`` for this call; ``None`` waits forever."""


OPTION_NAMES = frozenset(CallOptions.__annotations__)


@dataclass(frozen=True, slots=True)
class Parts:
    """Where a builder's validated arguments go: path segments, query, JSON body, headers.

    ``path`` holds raw values for the route's ``{name}`` placeholders (encoded when the request
    is assembled); ``params`` are query values as :func:`query_params` takes them (``None``
    dropped, lists as ``key[]``). ``recover`` (for calls made idempotent by a client-chosen id)
    looks up the result when a retried attempt is refused as a duplicate. ``arguments`` names
    the parameter behind a query key that is not its camelCase (for error messages).
    ``empty_failure`` explains a refusal Rocket.Chat sends without any error text (a bare
    ``{"success": false}``), where that answer has one known meaning.
    """

    path: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, QueryValue] = field(default_factory=dict)
    json: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    upload: Upload | None = None
    recover: Callable[[], Call[Any]] | None = None
    arguments: Mapping[str, str] = field(default_factory=dict)
    empty_failure: str | None = None


@dataclass(frozen=True, slots=True)
class Sample:
    """Arguments a test can call the endpoint with, and an answer the server could give."""

    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    response: Any = field(default_factory=lambda: {"success": True})


@dataclass(frozen=True, slots=True, eq=False)
class Endpoint(Generic[P, T]):
    """One declared endpoint. Calling it validates the arguments and returns the :class:`Call`."""

    name: str
    group: str
    method: Method
    route: str
    parts: Callable[P, Parts]
    parse: Parser[T]
    auth: Auth
    idempotent: bool
    secret: frozenset[str]
    samples: tuple[Sample, ...]
    schema: str | None
    since: tuple[tuple[Version, str], ...]
    api_prefix: str
    doc: str

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Call[T]:
        return self.assemble(self.parts(*args, **kwargs))

    @property
    def qualname(self) -> str:
        """``group.name``, e.g. ``visitor.get_visitor``."""
        return f"{self.group}.{self.name}"

    @property
    def versioned(self) -> bool:
        """Whether the route depends on the server's version (the driver looks it up)."""
        return bool(self.since)

    def route_for(self, version: Version | None) -> str:
        """The route the server of ``version`` serves (the newest move at or below it)."""
        route = self.route
        for since, moved in self.since:
            if version is not None and version >= since:
                route = moved
        return route

    def assemble(self, parts: Parts, version: Version | None = None) -> Call[T]:
        """The exact request for validated ``parts`` (for the server of ``version``)."""
        route = self.route_for(version)
        request = Request(
            self.method,
            route,
            api_path(route, **parts.path) if parts.path else route,
            params=query_params(parts.params, parts.arguments) if parts.params else [],
            json=parts.json,
            headers=parts.headers,
            auth=self.auth,
            idempotent=self.idempotent,
            upload=parts.upload,
            api_prefix=self.api_prefix,
        )
        return Call(request, self.parse, parts.recover, parts.empty_failure)


def endpoint(
    method: Method,
    route: str,
    *,
    parse: Parser[T],
    auth: Auth = "none",
    idempotent: bool = False,
    secret: Iterable[str] = (),
    samples: Iterable[Sample] = (),
    schema: str | None = None,
    since: Mapping[Version, str] | None = None,
    api_prefix: str = "api/v1/",
) -> Callable[[Callable[P, Parts]], Endpoint[P, T]]:
    """Declare an endpoint (see the module docstring).

    ``secret`` names the parameters that are credentials (visitor tokens): their path segments
    are redacted from logs. ``schema`` is the name of Rocket.Chat's request validator in
    ``@rocket.chat/rest-typings`` (``isPOSTLivechatMessageParams``), checked by the contract
    tests. ``since`` maps a server version to the route that replaced ``route`` from that
    version on. ``api_prefix`` is where the route lives (``api/`` for ``/api/info``). ``idempotent``
    says the request may be repeated after it reached the server.
    """

    def declare(parts: Callable[P, Parts]) -> Endpoint[P, T]:
        declared = Endpoint(
            name=parts.__name__,
            group=parts.__module__.rpartition(".")[2],
            method=method,
            route=route,
            parts=parts,
            parse=parse,
            auth=auth,
            idempotent=idempotent,
            secret=frozenset(secret),
            samples=tuple(samples),
            schema=schema,
            since=tuple(sorted((since or {}).items())),
            api_prefix=api_prefix,
            doc=_clean_doc(parts.__doc__),
        )
        _check_placeholders(declared)
        return declared

    return declare


def _clean_doc(doc: str | None) -> str:
    return inspect.cleandoc(doc) if doc else ""


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def placeholders(route: str) -> list[str]:
    """The ``{name}`` placeholders of a route template, in order."""
    return _PLACEHOLDER.findall(route)


def _check_placeholders(declared: Endpoint[Any, Any]) -> None:
    """Declaration mistakes fail at import time, not in a user's log."""
    parameters = set(_parameter_names(declared.parts))
    unknown = (declared.secret | set(placeholders(declared.route))) - parameters
    if unknown:
        raise TypeError(f"{declared.qualname}: names no parameter: {sorted(unknown)}")
    for _, moved in declared.since:
        if placeholders(moved) != placeholders(declared.route):
            raise TypeError(f"{declared.qualname}: a moved route must keep the placeholders")


def _parameter_names(function: Callable[..., Any]) -> list[str]:
    code = function.__code__
    return list(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])


def secret_path_pattern(endpoints: Iterable[Endpoint[Any, Any]]) -> re.Pattern[str] | None:
    """One regex matching the secret path segments of every declared route.

    Each secret placeholder becomes a capture group whose match is to be redacted; the other
    placeholders match any one segment.
    """
    alternatives = []
    for declared in endpoints:
        for route in {declared.route, *(moved for _, moved in declared.since)}:
            if declared.secret & set(placeholders(route)):
                alternatives.append(_route_regex(route, declared.secret))
    if not alternatives:
        return None
    return re.compile(r"/(?:" + "|".join(sorted(set(alternatives))) + r")(?=$|[?#])")


def _route_regex(route: str, secret: frozenset[str]) -> str:
    pieces = []
    position = 0
    for match in _PLACEHOLDER.finditer(route):
        pieces.append(re.escape(route[position : match.start()]))
        pieces.append("([^/?#]+)" if match.group(1) in secret else "[^/?#]+")
        position = match.end()
    pieces.append(re.escape(route[position:]))
    return "".join(pieces)
