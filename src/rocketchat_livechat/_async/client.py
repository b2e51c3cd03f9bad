"""``AsyncLivechatClient``: the async driver. ``_sync/client.py`` is generated from this file."""

from __future__ import annotations

import copy
import logging
import time
import warnings
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Unpack

from .. import errors as e
from .._concurrency import async_http_transport, async_sleep
from .._core import downloads, http
from .._core.endpoint import CallOptions, Endpoint
from .._core.endpoints import auth
from .._core.parsing import NOT_PARSED
from .._core.redact import REDACT_URLS
from .._core.request import Call, Request
from .._core.retry import RetryPolicy, decide_after_status, decide_after_transport_error
from .._version import USER_AGENT
from .resources.agents import AsyncAgentsResource
from .resources.analytics import AsyncAnalyticsResource
from .resources.config import AsyncConfigResource
from .resources.contacts import AsyncContactsResource
from .resources.custom_fields import AsyncCustomFieldsResource
from .resources.departments import AsyncDepartmentsResource
from .resources.inquiries import AsyncInquiriesResource
from .resources.messages import AsyncMessagesResource
from .resources.room import AsyncRoomResource
from .resources.triggers import AsyncTriggersResource
from .resources.users import AsyncUsersResource
from .resources.visitor import AsyncVisitorResource
from .resources.visitors import AsyncVisitorsResource

if TYPE_CHECKING:
    import httpx2

    from ..models import LoginResult
    from .realtime import AsyncRealtime
else:
    from .._core.lazy import LazyModule

    httpx2 = LazyModule("httpx2")  # imported when the first client is made

T = TypeVar("T")
logger = logging.getLogger("rocketchat_livechat")
logging.getLogger("httpx2").addFilter(REDACT_URLS)  # its request log holds visitor tokens

DEFAULT_TIMEOUT = (30.0, 5.0)  # read/write/pool, connect: seconds
DEFAULT_UPLOAD_TIMEOUT = (300.0, 5.0)


class _NotGiven:
    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Any = _NotGiven()


@dataclass(slots=True)
class _Session:
    """The login and the server version, shared by a client and its :meth:`with_options` copies."""

    credentials: http.Credentials | None
    server_version: tuple[int, ...] | None = None


class AsyncLivechatClient:
    """Async client for Rocket.Chat Omnichannel Livechat.

    Visitor endpoints need only the visitor token each method takes. Agent/manager endpoints need a
    user: call :meth:`login`, or pass ``user_id`` and ``auth_token`` (a personal access token).

    ``timeout`` is seconds or an ``httpx2.Timeout`` (default: connect 5 s, read/write 30 s; uploads
    300 s); pass ``None`` explicitly to wait forever. ``max_retries`` bounds retries of connection
    failures and 408/429/502/503/504. 429s are waited out while their total wait stays within
    ``max_rate_limit_wait`` seconds; past it the call fails with :class:`RateLimitError` and its
    ``retry_after``.

    ``http_backend`` picks what carries the requests under httpx2. "auto" (the default) takes,
    in the async client, aiohttp's pool when aiohttp is installed (``pip install
    'rocketchat-livechat[aiohttp]'``), far cheaper per request with many in flight, and in the
    sync client the standard library's ``http.client``, about a fifth cheaper per call than
    httpcore2; with HTTP(S)_PROXY/ALL_PROXY set, or no aiohttp, it keeps httpx2's own, which
    alone honours proxies. "httpx2", "aiohttp" (async only) and "stdlib" (sync only) force
    one. Calls, retries, timeouts and errors behave the same on all. A given
    ``transport`` is used as is.
    """

    def __init__(
        self,
        base_url: str,
        *,
        user_id: str | None = None,
        auth_token: str | None = None,
        timeout: float | httpx2.Timeout | None = NOT_GIVEN,
        upload_timeout: float | httpx2.Timeout | None = NOT_GIVEN,
        max_retries: int = 2,
        max_rate_limit_wait: float = 30.0,
        verify: bool = True,
        headers: dict[str, str] | None = None,
        transport: httpx2.AsyncBaseTransport | None = None,
        http_backend: Literal["auto", "httpx2", "aiohttp", "stdlib"] = "auto",
    ) -> None:
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise e.InvalidArgumentError("base_url", "expected an http:// or https:// URL")
        if (user_id is None) != (auth_token is None):
            raise e.InvalidArgumentError("auth_token", "user_id and auth_token go together")
        if not verify:
            warnings.warn("TLS certificate verification is disabled (verify=False)", stacklevel=2)
            logger.warning("TLS certificate verification is disabled")
        self._session = _Session(
            None if user_id is None or auth_token is None else http.Credentials(user_id, auth_token)
        )
        self._timeout = _timeout(timeout, DEFAULT_TIMEOUT)
        self._upload_timeout = _timeout(upload_timeout, DEFAULT_UPLOAD_TIMEOUT)
        self._policy = _policy(max_retries, max_rate_limit_wait)
        transport = async_http_transport(http_backend, transport, verify=verify)
        self._owns_http = True
        self._http = httpx2.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            verify=verify,
            transport=transport,
            follow_redirects=False,
            timeout=self._timeout,
        )
        self._urls = http.UrlCache(self._http.base_url)
        self._bind_resources()

    def _bind_resources(self) -> None:
        self.config = AsyncConfigResource(self)
        self.agents = AsyncAgentsResource(self)
        self.visitor = AsyncVisitorResource(self)
        self.room = AsyncRoomResource(self)
        self.messages = AsyncMessagesResource(self)
        self.inquiries = AsyncInquiriesResource(self)
        self.users = AsyncUsersResource(self)
        self.departments = AsyncDepartmentsResource(self)
        self.visitors = AsyncVisitorsResource(self)
        self.contacts = AsyncContactsResource(self)
        self.triggers = AsyncTriggersResource(self)
        self.custom_fields = AsyncCustomFieldsResource(self)
        self.analytics = AsyncAnalyticsResource(self)

    def with_options(
        self,
        *,
        timeout: float | httpx2.Timeout | None = NOT_GIVEN,
        upload_timeout: float | httpx2.Timeout | None = NOT_GIVEN,
        max_retries: int | None = None,
        max_rate_limit_wait: float | None = None,
    ) -> AsyncLivechatClient:
        """A client with other defaults that shares this one's connection pool and session.

        ``client.with_options(timeout=5, max_retries=0).room.get_room(token)``; a login or logout
        on either client is seen by both. Closing the derived client leaves the pool open.
        """
        derived = copy.copy(self)
        derived._owns_http = False
        if timeout is not NOT_GIVEN:
            derived._timeout = _timeout(timeout, DEFAULT_TIMEOUT)
        if upload_timeout is not NOT_GIVEN:
            derived._upload_timeout = _timeout(upload_timeout, DEFAULT_UPLOAD_TIMEOUT)
        derived._policy = _policy(
            self._policy.max_retries if max_retries is None else max_retries,
            self._policy.max_rate_limit_wait
            if max_rate_limit_wait is None
            else max_rate_limit_wait,
        )
        derived._bind_resources()
        return derived

    @property
    def _credentials(self) -> http.Credentials | None:
        return self._session.credentials

    def __repr__(self) -> str:
        user = self._credentials.user_id if self._credentials else None
        return f"{type(self).__name__}(base_url={str(self.base_url)!r}, user_id={user!r})"

    @property
    def base_url(self) -> httpx2.URL:
        return self._http.base_url

    @property
    def user_id(self) -> str | None:
        """The logged-in user's id, if any."""
        return self._credentials.user_id if self._credentials else None

    @property
    def auth_token(self) -> str | None:
        """The logged-in user's auth token, if any (for the realtime login)."""
        return self._credentials.auth_token if self._credentials else None

    @property
    def realtime(self) -> AsyncRealtime:
        """Live events over Rocket.Chat's DDP websocket."""
        from .realtime import AsyncRealtime

        return AsyncRealtime(self)

    async def login(
        self, username: str, password: str, **options: Unpack[CallOptions]
    ) -> LoginResult:
        """Log in as an agent/manager; later agent-side calls use this session."""
        result = await self._call_endpoint(auth.login, (username, password), {}, **options)
        self._session.credentials = http.Credentials(result.user_id, result.auth_token)
        return result

    async def logout(self, **options: Unpack[CallOptions]) -> None:
        """End the user session (no-op when not logged in)."""
        if self._credentials is not None:
            await self._call_endpoint(auth.logout, (), {}, **options)
            self._session.credentials = None

    async def server_version(self, **options: Unpack[CallOptions]) -> tuple[int, ...]:
        """The server's version from ``GET /api/info``, fetched once per client."""
        if self._session.server_version is None:
            self._session.server_version = await self._call_endpoint(
                auth.server_version, (), {}, **options
            )
        return self._session.server_version

    async def close(self) -> None:
        """Close the connection pool (a client made by :meth:`with_options` leaves it open)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncLivechatClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _call_endpoint(
        self,
        declared: Endpoint[Any, T],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        *,
        timeout: float | httpx2.Timeout | None = NOT_GIVEN,
    ) -> T:
        """Validate the arguments, pick the route for the server's version, and send."""
        parts = declared.parts(*args, **kwargs)
        override = None if timeout is NOT_GIVEN else _timeout(timeout, self._timeout)
        version = await self.server_version() if declared.versioned else None
        return await self._request(declared.assemble(parts, version), timeout=override)

    async def _request(self, call: Call[T], *, timeout: httpx2.Timeout | None = None) -> T:
        """Send ``call`` with retries; parse the answer or raise the mapped error.

        ``timeout`` overrides the client's for this call. When a *retried* attempt of a call with
        ``recover`` fails with HTTP 400, an earlier attempt may have succeeded (the message exists
        already): ``recover`` looks it up instead.
        """
        request = call.request
        if timeout is None:
            timeout = self._upload_timeout if request.upload is not None else self._timeout
        attempt = 0
        rate_limit_waited = 0.0
        while True:
            attempt += 1
            reader = http.open_upload(request)
            started = time.perf_counter()
            try:
                kwargs = http.request_kwargs(
                    request,
                    urls=self._urls,
                    credentials=self._credentials,
                    timeout=timeout,
                    reader=reader,
                )
                outgoing = self._http.build_request(**kwargs)
                response = await self._send_following_redirects(outgoing, request)
            except httpx2.TransportError as exc:
                decision = decide_after_transport_error(
                    self._policy,
                    attempt,
                    request_sent=http.request_was_sent(exc),
                    idempotent=http.can_retry_after_sending(request),
                )
                _log_attempt(request.method, request.route, type(exc).__name__, started, attempt)
                if not decision.retry:
                    raise http.transport_error(exc, request) from exc
                await async_sleep(decision.delay)
                continue
            finally:
                if reader is not None:
                    reader.close()
            _log_attempt(request.method, request.route, response.status_code, started, attempt)
            parsed = http.parse_fast(response, call)
            if parsed is not NOT_PARSED:
                return parsed  # type: ignore[no-any-return]
            body = http.decode_body(response)
            if http.is_success(response, body):
                if getattr(call.parse, "raw", False):  # a parsing.Parser of a non-JSON answer
                    return call.parse(response.text)
                if body is not None:
                    return call.parse(body)
                # a garbled answer is a lost answer: retry what is safe to repeat
                decision = decide_after_transport_error(
                    self._policy,
                    attempt,
                    request_sent=True,
                    idempotent=http.can_retry_after_sending(request),
                )
                if not decision.retry:
                    raise http.unexpected_body(response, request)
                await async_sleep(decision.delay)
                continue
            decision = decide_after_status(
                self._policy,
                attempt,
                response.status_code,
                response.headers,
                idempotent=http.can_retry_after_sending(request),
                replayable=http.body_replayable(request),
                rate_limit_waited=rate_limit_waited,
            )
            if decision.retry:
                if response.status_code == 429:
                    rate_limit_waited += decision.delay
                await async_sleep(decision.delay)
                continue
            error = http.error_for(response, body, request, call.empty_failure)
            if call.recover is not None and attempt > 1 and response.status_code == 400:
                try:
                    return await self._request(call.recover(), timeout=timeout)
                except e.APIError:
                    raise error from None
            raise error

    async def _download(
        self,
        request: Request,
        sink: downloads.DownloadSink,
        *,
        timeout: float | httpx2.Timeout | None = NOT_GIVEN,
    ) -> int:
        """Stream the body of the GET ``request`` into ``sink``; the number of bytes written.

        Chunks go to the sink as they arrive (never the whole body in memory). A connection
        failure or a retryable status before the body is retried as any idempotent GET; a
        failure in the middle of the body restarts the file from its first byte when the sink
        can be rewound. Error statuses raise the mapped error (403 → ``PermissionDeniedError``,
        404 → ``NotFoundError``), naming the route template, never the URL and its token.
        """
        chosen = self._timeout if timeout is NOT_GIVEN else _timeout(timeout, self._timeout)
        attempt = 0
        rate_limit_waited = 0.0
        try:
            while True:
                attempt += 1
                started = time.perf_counter()
                try:
                    kwargs = http.request_kwargs(
                        request,
                        urls=self._urls,
                        credentials=self._credentials,
                        timeout=chosen,
                        reader=None,
                    )
                    outgoing = self._http.build_request(**kwargs)
                    response = await self._send_following_redirects(outgoing, request, stream=True)
                except httpx2.TransportError as exc:
                    outcome: object = type(exc).__name__
                    _log_attempt(request.method, request.route, outcome, started, attempt)
                    decision = decide_after_transport_error(
                        self._policy,
                        attempt,
                        request_sent=http.request_was_sent(exc),
                        idempotent=True,
                    )
                    if not decision.retry:
                        raise http.transport_error(exc, request) from exc
                    await async_sleep(decision.delay)
                    continue
                try:
                    _log_attempt(
                        request.method, request.route, response.status_code, started, attempt
                    )
                    if not 200 <= response.status_code < 300:
                        await response.aread()
                        body = http.decode_body(response)
                        decision = decide_after_status(
                            self._policy,
                            attempt,
                            response.status_code,
                            response.headers,
                            idempotent=True,
                            replayable=True,
                            rate_limit_waited=rate_limit_waited,
                        )
                        if not decision.retry:
                            raise http.error_for(response, body, request)
                        if response.status_code == 429:
                            rate_limit_waited += decision.delay
                    else:
                        sink.begin(downloads.content_length(response.headers))
                        try:
                            async for chunk in response.aiter_bytes(downloads.CHUNK_SIZE):
                                sink.write(chunk)
                        except httpx2.TransportError as exc:
                            decision = decide_after_transport_error(
                                self._policy, attempt, request_sent=True, idempotent=True
                            )
                            if not (decision.retry and sink.restartable):
                                raise http.transport_error(exc, request) from exc
                        else:
                            sink.commit()
                            return sink.received
                finally:
                    await response.aclose()
                await async_sleep(decision.delay)
        except BaseException:
            sink.abort()
            raise

    async def _send_following_redirects(
        self, outgoing: httpx2.Request, request: Request, *, stream: bool = False
    ) -> httpx2.Response:
        for _ in range(http.MAX_REDIRECTS + 1):
            response = await self._http.send(outgoing, stream=stream)
            redirect = http.redirect_for(response, request)
            if redirect is None:
                return response
            await response.aclose()
            outgoing = http.follow_redirect(outgoing, redirect)
        raise e.UnexpectedResponseError(
            f"more than {http.MAX_REDIRECTS} redirects", code=response.status_code
        )


def _log_attempt(method: str, route: str, outcome: object, started: float, attempt: int) -> None:
    elapsed_ms = (time.perf_counter() - started) * 1000
    logger.debug("%s %s -> %s in %.1f ms (attempt %d)", method, route, outcome, elapsed_ms, attempt)


def _policy(max_retries: object, max_rate_limit_wait: object) -> RetryPolicy:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise e.InvalidArgumentError("max_retries", "expected an int >= 0")
    if isinstance(max_rate_limit_wait, bool) or not isinstance(max_rate_limit_wait, int | float):
        raise e.InvalidArgumentError("max_rate_limit_wait", "expected seconds")
    return RetryPolicy(max_retries=max_retries, max_rate_limit_wait=float(max_rate_limit_wait))


def _timeout(
    value: float | httpx2.Timeout | None, default: httpx2.Timeout | tuple[float, float]
) -> httpx2.Timeout:
    if value is NOT_GIVEN:
        if isinstance(default, tuple):
            seconds, connect = default
            return httpx2.Timeout(seconds, connect=connect)
        return default
    if value is None or isinstance(value, int | float):
        return httpx2.Timeout(value)
    if isinstance(value, httpx2.Timeout):
        return value
    raise e.InvalidArgumentError("timeout", "expected seconds, an httpx2.Timeout or None")
