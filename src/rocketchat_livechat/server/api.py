"""The ``/api/v1`` router: Rocket.Chat's order of checks around thin endpoint handlers.

Route modules declare endpoints on a :class:`RouteGroup`::

    routes = RouteGroup()

    @routes.get("livechat/visitor/:token")
    async def get_visitor(ctx: Context) -> Result:
        return {"visitor": ...}

For every request :func:`dispatch` runs (as ``apps/meteor/app/api/server/api.ts`` does):
route/method match (404/405) → authentication (401) → deprecation headers → rate limiter
(429) → AJV schema of the query (GET) or body (others) (400 ``invalid-params``) → permissions
(403) → handler.
A handler returns a mapping (rendered as ``{**mapping, "success": true}``) or a ready
``Response``; it raises :mod:`.errors` exceptions for failures. Unexpected exceptions become
``400 {"success": false, "error": "<message>"}`` like Rocket.Chat (and are logged).

One write path: the handler of every non-GET request runs in one store transaction, committed
with the other requests of the same event-loop round (:meth:`.ServerState.write`, group
commit). Its response and its events go out once the commit is durable; when it raises, none
of its writes remain and its events are dropped. Until the commit no other request sees its
writes (reads outside a transaction see committed data only, :class:`.Store`). Such a handler
must not suspend (it may ``await`` only ``state.write``, which joins the transaction); work
that must be awaited before the response, once the commit is durable, goes into
``ctx.after_commit`` (the offline message's webhook). A ``raw_body`` handler streams its body
first, so it runs outside and calls ``state.write`` itself for its writes.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from . import auth
from .errors import (
    ApiError,
    InvalidParams,
    PermissionDenied,
    PlainError,
    TooManyRequests,
    TypedInvalidParams,
    Unauthorized,
)
from .ratelimit import RateRule
from .responses import NO_CACHE_HEADERS, json_response
from .state import ServerState
from .store import Doc, Store
from .validation import Schema, validate
from .versions import ServerLine

log = logging.getLogger("rocketchat_livechat.server")

Result = Mapping[str, Any] | Response
Handler = Callable[["Context"], Awaitable[Result]]

MAX_BODY_BYTES = 50 * 1024 * 1024
API_PREFIX = "/api/v1/"
_RESERVED = set(";/?:@&=+$,#")
_CORS_HEADERS = (
    "Origin, X-Requested-With, Content-Type, Accept, X-User-Id, X-Auth-Token, "
    "x-visitor-token, Authorization"
)
_CORS_ALLOW = {
    "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, HEAD, PATCH",
    "Access-Control-Allow-Headers": _CORS_HEADERS,
}


@dataclass(frozen=True)
class Deprecation:
    """Marks an endpoint deprecated (``x-deprecation-*`` headers)."""

    version: str
    alternatives: tuple[str, ...] = ()

    def headers(self, route: str) -> dict[str, str]:
        message = (
            f'The endpoint "{route}" is deprecated and will be removed on version {self.version}'
        )
        if self.alternatives:
            message += f" ( Please use the alternative(s): {', '.join(self.alternatives)} )"
        return {
            "x-deprecation-type": "endpoint-deprecation",
            "x-deprecation-message": message,
            "x-deprecation-version": self.version,
        }


@dataclass(frozen=True)
class Endpoint:
    """One method on one route pattern, with its checks."""

    method: str
    path: str
    handler: Handler
    auth: bool = False
    permissions: tuple[str, ...] = ()
    any_permission: bool = False
    rate: RateRule | None = field(default_factory=RateRule)
    schema: Schema | None = None
    deprecation: Deprecation | None = None
    raw_body: bool = False
    #: a typed route (``API.v1.get/post(path, {query|body: validator}, action)``): validation
    #: errors are ``error-invalid-params`` without the ``[invalid-params]`` suffix
    typed: bool = False

    @property
    def regex(self) -> re.Pattern[str]:
        parts = [
            f"(?P<{seg[1:]}>[^/]+)" if seg.startswith(":") else re.escape(seg)
            for seg in self.path.split("/")
        ]
        return re.compile("^" + "/".join(parts) + "/?$")

    @property
    def rate_key(self) -> str:
        return f"{API_PREFIX}{self.path}{self.method.lower()}"


class RouteGroup:
    """A list of endpoints declared with decorators (one group per route module)."""

    def __init__(self) -> None:
        self.endpoints: list[Endpoint] = []

    def route(self, method: str, path: str, **options: Any) -> Callable[[Handler], Handler]:
        """Register ``handler`` for ``method path``; ``options`` are :class:`Endpoint` fields."""

        def decorator(handler: Handler) -> Handler:
            self.endpoints.append(Endpoint(method, path, handler, **options))
            return handler

        return decorator

    def get(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route("GET", path, **options)

    def post(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route("POST", path, **options)

    def put(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route("PUT", path, **options)

    def delete(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route("DELETE", path, **options)


class ApiRouter:
    """Resolves ``(method, path)`` to an endpoint and its path parameters."""

    def __init__(self, groups: Iterable[RouteGroup]) -> None:
        endpoints = [e for g in groups for e in g.endpoints]
        # static routes win over parameterised ones
        endpoints.sort(key=lambda e: e.path.count(":"))
        self._compiled = [(e, e.regex) for e in endpoints]

    def resolve(
        self, method: str, path: str, line: ServerLine | None = None
    ) -> tuple[Endpoint, dict[str, str]] | list[str]:
        """The endpoint and decoded params, or the list of allowed methods (maybe empty).

        Routes the emulated ``line`` lacks (:mod:`.versions`) do not exist.
        """
        allowed: list[str] = []
        for endpoint, regex in self._compiled:
            match = regex.match(path)
            if match is None:
                continue
            if line is not None and not line.serves_route(endpoint.method, endpoint.path):
                continue
            if endpoint.method == method:
                return endpoint, {k: decode_uri(v) for k, v in match.groupdict().items()}
            allowed.append(endpoint.method)
        return allowed


def decode_uri(text: str) -> str:
    """JavaScript ``decodeURI``: percent-escapes of reserved characters stay encoded."""

    def replace(match: re.Match[str]) -> str:
        raw = match.group(0)
        try:
            decoded = unquote_to_bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            return raw
        out: list[str] = []
        pos = 0
        for char in decoded:
            width = len(char.encode("utf-8")) * 3
            out.append(raw[pos : pos + width] if char in _RESERVED else char)
            pos += width
        return "".join(out)

    return re.sub(r"(?:%[0-9A-Fa-f]{2})+", replace, text)


def parse_qs(raw: str) -> dict[str, Any]:
    """Parse a query/form string like Node's ``qs`` (Rocket.Chat's query parser).

    ``a[]=x`` and ``a[0]=x`` build arrays, ``a[b][c]=x`` nested objects (five levels deep, the
    rest of the key kept as one segment, as ``qs`` does), repeated keys a list.
    """
    result: dict[str, Any] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        match = re.match(r"^([^\[]+)((?:\[[^\[\]]*\]){1,5})(.*)$", key)
        if match is None or match.group(1) == "":
            _qs_merge(result, key, value)
            continue
        head, brackets, rest = match.groups()
        segments = [head, *re.findall(r"\[([^\[\]]*)\]", brackets)]
        if rest:
            segments.append(rest)
        _qs_assign(result, segments, value)
    return result


def _qs_merge(target: dict[str, Any], key: str, value: Any) -> None:
    current = target.get(key)
    if key not in target:
        target[key] = value
    elif isinstance(current, list):
        current.append(value)
    else:
        target[key] = [current, value]


def _qs_assign(target: dict[str, Any], segments: list[str], value: Any) -> None:
    name, rest = segments[0], segments[1:]
    if not rest:
        _qs_merge(target, name, value)
        return
    sub = rest[0]
    if sub == "" or (sub.isdigit() and int(sub) <= 20):
        bucket = target.setdefault(name, [])
        if isinstance(bucket, str):
            bucket = target[name] = [bucket]
        if isinstance(bucket, list):
            if len(rest) == 1:
                bucket.append(value)
            else:
                holder: dict[str, Any] = {}
                _qs_assign(holder, ["x", *rest[1:]], value)
                bucket.append(holder["x"])
        elif isinstance(bucket, dict):
            _qs_assign(bucket, rest, value)
        return
    bucket = target.setdefault(name, {})
    if isinstance(bucket, list):
        bucket = target[name] = {str(i): v for i, v in enumerate(bucket)}
    if isinstance(bucket, dict):
        _qs_assign(bucket, rest, value)


class Context:
    """What a handler gets: request, state, user, path params and validated params."""

    def __init__(self, request: Request, state: ServerState, endpoint: Endpoint) -> None:
        self.request = request
        self.state = state
        self.endpoint = endpoint
        self.path: dict[str, str] = {}
        self.user: Doc | None = None
        self.params: Any = {}
        #: awaited in order after a write handler's commit, before its response
        self.after_commit: list[Callable[[], Awaitable[None]]] = []

    @property
    def store(self) -> Store:
        return self.state.store

    @property
    def line(self) -> ServerLine:
        """The Rocket.Chat line emulated (:mod:`.versions`): ``ctx.line.has(feature)``."""
        return self.state.line

    @property
    def me(self) -> Doc:
        """The authenticated user (only on ``auth=True`` endpoints)."""
        assert self.user is not None
        return self.user

    @property
    def ip(self) -> str:
        """Client IP as Rocket.Chat sees it (``x-real-ip`` first)."""
        real = self.request.headers.get("x-real-ip")
        if real:
            return real
        return self.request.client.host if self.request.client else "127.0.0.1"

    @property
    def query(self) -> dict[str, Any]:
        return parse_qs(self.request.url.query)


async def read_body(request: Request, limit: int | None = None) -> bytes:
    """The request body, refusing more than ``limit`` (default :data:`MAX_BODY_BYTES`) bytes."""
    limit = MAX_BODY_BYTES if limit is None else limit
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PlainError("request entity too large")
        chunks.append(chunk)
    return b"".join(chunks)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_BODY_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def _json_body(raw: bytes) -> Any:
    """``json.loads(raw)`` (any UTF encoding) without building a decoder per request."""
    text = raw.decode(json.detect_encoding(raw), "surrogatepass")
    value = _BODY_DECODER.decode(text)
    if "\\u" in text or _SURROGATE.search(text):  # maybe a lone surrogate: walk the value
        value = _well_formed(value)
    return value


async def parse_body(request: Request) -> Any:
    """Body params as Rocket.Chat 7.x parses them (invalid JSON → ``{}``)."""
    content_type = request.headers.get("content-type", "").lower()
    if "multipart/form-data" in content_type:
        try:
            form = await request.form()
        except Exception as exc:
            raise PlainError(f"Invalid multipart body: {exc}") from None
        fields = {k: v for k, v in form.multi_items() if not isinstance(v, UploadFile)}
        await form.close()
        return fields
    raw = await read_body(request)
    if not raw.strip():
        return {}
    if "application/x-www-form-urlencoded" in content_type:
        return parse_qs(raw.decode("utf-8", "replace"))
    if "json" in content_type:
        try:
            return _spread(_json_body(raw))
        except ValueError:  # JSON.parse failed: Rocket.Chat 7 continues with {}
            return {}
        except RecursionError:  # nested beyond Python's parser: a deep array or object
            return [] if raw.lstrip().startswith(b"[") else {}
    return raw.decode("utf-8", "replace")


def _spread(body: Any) -> Any:
    """``{...body}``: Rocket.Chat's router spreads a parsed JSON body (``7`` → ``{}``).

    A string spreads into its characters by index. Arrays stay arrays here (``POST
    livechat/appearance`` takes one), so ``[1]`` is still refused with ``must be object``.
    """
    if isinstance(body, dict | list):
        return body
    if isinstance(body, str):
        return {str(i): char for i, char in enumerate(body)}
    return {}


def _well_formed(value: Any) -> Any:
    """Lone surrogates (``"\\ud800"``) become U+FFFD, as they do on the way into MongoDB."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_well_formed(v) for v in value]
    if isinstance(value, dict):
        return {_well_formed(k): _well_formed(v) for k, v in value.items()}
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _optional_user(request: Request, state: ServerState) -> Doc | None:
    return auth.authenticate(
        state.store, request.headers.get("x-user-id"), request.headers.get("x-auth-token")
    )


def _check_rate(ctx: Context, headers: dict[str, str]) -> None:
    endpoint = ctx.endpoint
    limiter = ctx.state.rate_limiter
    if endpoint.rate is None or not limiter.active:
        return
    if auth.has_permission(ctx.user, "api-bypass-rate-limit"):
        return
    own = ctx.line.own_rate_limit(endpoint.method, endpoint.path)
    decision = limiter.hit(endpoint.rate_key, ctx.ip, endpoint.rate if own else RateRule())
    headers.update(decision.headers())
    if not decision.allowed:
        raise TooManyRequests(decision.wait_seconds)


def _check_permissions(ctx: Context) -> None:
    perms = ctx.endpoint.permissions
    if not perms:
        return
    if ctx.endpoint.any_permission:
        ok = auth.has_any_permission(ctx.user, perms)
    else:
        ok = all(auth.has_permission(ctx.user, p) for p in perms)
    if not ok:
        raise PermissionDenied()


async def _run(ctx: Context, headers: dict[str, str]) -> Result:
    endpoint, request = ctx.endpoint, ctx.request
    ctx.user = _optional_user(request, ctx.state)
    if endpoint.auth and ctx.user is None:
        raise Unauthorized(ctx.line.variant("rest-401-body"))
    if endpoint.deprecation is not None:
        headers.update(endpoint.deprecation.headers(endpoint.path))
    _check_rate(ctx, headers)
    if endpoint.method == "GET":
        ctx.params = ctx.query
    elif not endpoint.raw_body:
        ctx.params = await parse_body(request)
    if endpoint.schema is not None:
        try:
            ctx.params = validate(ctx.params, _schema_on(endpoint.schema, ctx.line))
        except InvalidParams as exc:
            if endpoint.typed:
                raise TypedInvalidParams(exc.messages) from None
            raise
    _check_permissions(ctx)
    if endpoint.method == "GET" or endpoint.raw_body:
        return await endpoint.handler(ctx)
    result = await ctx.state.write(lambda: _complete(endpoint.handler(ctx)))
    for job in ctx.after_commit:
        await job()
    return result


_STRIPPED: dict[int, Schema] = {}
_LEGACY_PARAMS = ("query", "fields")


def _schema_on(schema: Schema, line: ServerLine) -> Schema:
    """``schema`` as the line validates it: without ``query``/``fields`` where the line removed
    them (9.0: refused like any unknown parameter, ``query-fields-params``)."""
    properties = schema.get("properties") or {}
    if line.has("query-fields-params") or not any(p in properties for p in _LEGACY_PARAMS):
        return schema
    stripped = _STRIPPED.get(id(schema))
    if stripped is None:
        kept = {k: v for k, v in properties.items() if k not in _LEGACY_PARAMS}
        stripped = _STRIPPED[id(schema)] = {**schema, "properties": kept}
    return stripped


def _complete(running: Awaitable[Result]) -> Result:
    """Run a write handler's coroutine to its end, synchronously (inside the transaction)."""
    assert isinstance(running, Coroutine)
    coroutine: Coroutine[Any, Any, Result] = running
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coroutine.close()
    raise RuntimeError("a write handler suspended inside its transaction")


def _render(result: Result, headers: Mapping[str, str]) -> Response:
    if isinstance(result, Response):
        result.headers.update({**NO_CACHE_HEADERS, **headers})
        return result
    return json_response({**result, "success": True}, headers=headers)


def _not_found() -> Response:
    return json_response({"status": "error", "message": "API endpoint does not exist"}, status=404)


def _preflight(request: Request, state: ServerState) -> Response:
    """``OPTIONS`` as Rocket.Chat's ``app/api/server/middlewares/cors.ts`` answers it.

    ``API_CORS_Origin`` is ``*`` or a comma-separated list, lower-cased and compared with the
    ``Origin`` as sent: a listed origin is echoed (with ``Vary: Origin``), others get a bare 403.
    Unlike Rocket.Chat, which hands an ``OPTIONS`` without ``Origin`` and
    ``Access-Control-Request-Method`` on to its router, this server treats it the same way.
    """
    settings = state.settings
    if not settings["API_Enable_CORS"]:
        return PlainTextResponse(
            'CORS not enabled. Go to "Admin > General > REST Api" to enable it.',
            status_code=405,
            headers=NO_CACHE_HEADERS,
        )
    allowed = str(settings["API_CORS_Origin"])
    if allowed == "*":
        return _allow_origin("*")
    origin = request.headers.get("origin")
    if origin is None or origin not in [o.strip().lower() for o in allowed.strip().split(",")]:
        return Response(status_code=403, headers=NO_CACHE_HEADERS)
    return _allow_origin(origin, Vary="Origin")


def _allow_origin(origin: str, **extra: str) -> Response:
    headers = {**NO_CACHE_HEADERS, **extra, "Access-Control-Allow-Origin": origin, **_CORS_ALLOW}
    return Response(headers=headers)


def _cors_headers(state: ServerState) -> dict[str, str]:
    """What Rocket.Chat's CORS middleware adds to every other API response.

    ``Access-Control-Allow-Origin: *`` whatever the settings (RocketChat/Rocket.Chat#36085,
    7.7.0), plus ``Vary`` and the allowed methods and headers while ``API_Enable_CORS`` is on.
    """
    if not state.settings["API_Enable_CORS"]:
        return {"Access-Control-Allow-Origin": "*"}
    return {"Access-Control-Allow-Origin": "*", "Vary": "Origin", **_CORS_ALLOW}


async def dispatch(request: Request, router: ApiRouter) -> Response:
    """Serve one ``/api/v1/...`` request."""
    state: ServerState = request.app.state.livechat
    if request.method == "OPTIONS":
        return _preflight(request, state)
    response = await _serve(request, router, state)
    response.headers.update(_cors_headers(state))
    return response


async def _serve(request: Request, router: ApiRouter, state: ServerState) -> Response:
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    path = raw_path.decode("latin-1").split("?", 1)[0][len(API_PREFIX) :]
    method = "GET" if request.method == "HEAD" else request.method
    resolved = router.resolve(method, path, state.line)
    if isinstance(resolved, list):
        if not resolved:
            return _not_found()
        return json_response(
            {"status": "error", "message": "API endpoint does not exist"},
            status=405,
            headers={"Allow": ", ".join(sorted(set(resolved)))},
        )
    endpoint, params = resolved
    ctx = Context(request, state, endpoint)
    ctx.path = params
    headers: dict[str, str] = {}
    try:
        return _render(await _run(ctx, headers), headers)
    except ApiError as exc:
        return json_response(exc.body, status=exc.status, headers=headers)
    except Exception as exc:
        log.exception("unexpected error in %s %s", endpoint.method, endpoint.path)
        return json_response({"success": False, "error": str(exc)}, status=400, headers=headers)
