"""The HTTP edge of a call, shared by both drivers: request arguments, responses, redirects.

Nothing here performs I/O; the drivers pass httpx2 objects in and act on the results.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import errors as e
from .error_map import build_error
from .parsing import NOT_PARSED, Parser
from .redact import REDACTED, is_secret, redact_url
from .request import Call, Request
from .retry import server_retry_after
from .uploads import ProgressReader

if TYPE_CHECKING:
    import httpx2
else:
    from .lazy import LazyModule

    httpx2 = LazyModule("httpx2")

SECRET_HEADERS = ("x-auth-token", "x-user-id", "x-visitor-token", "authorization", "cookie")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
_ERROR_TEXT_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Credentials:
    """A user's REST credentials. The repr never shows the token."""

    user_id: str
    auth_token: str

    def __repr__(self) -> str:
        return f"Credentials(user_id={self.user_id!r}, auth_token='***')"

    def headers(self) -> dict[str, str]:
        return {"X-User-Id": self.user_id, "X-Auth-Token": self.auth_token}


class UrlCache:
    """The absolute URL of each relative path and query a client calls, parsed once.

    httpx2 parses a ``str`` URL on every request (twice against a base URL), and merging
    ``params=`` into a URL parses it again (≈ 45 µs a call); an ``httpx2.URL`` it reuses. The
    query is encoded by ``httpx2.QueryParams``, as httpx2 itself would (repeated keys grouped).
    Entries hold visitor tokens (they are in the query), in memory only: never logged or shown.
    """

    MAX_ENTRIES = 1024  # then it starts over (ids in paths make the set of paths open-ended)

    __slots__ = ("_base", "_urls")

    def __init__(self, base: httpx2.URL) -> None:
        self._base = base
        self._urls: dict[tuple[str, str], httpx2.URL] = {}

    def __call__(self, relative: str, params: list[tuple[str, str]] | None = None) -> httpx2.URL:
        key = (relative, str(httpx2.QueryParams(tuple(params))) if params else "")
        url = self._urls.get(key)
        if url is None:
            if len(self._urls) >= self.MAX_ENTRIES:
                self._urls.clear()
            url = self._urls[key] = self._build(*key)
        return url

    def _build(self, relative: str, query: str) -> httpx2.URL:
        if not query:
            return self._merge(relative)
        return self(relative).copy_with(query=query.encode("ascii"))  # replaced, as httpx2 does

    def _merge(self, relative: str) -> httpx2.URL:
        """As ``httpx2.Client`` merges a URL with its ``base_url`` (which ends in ``/``)."""
        url = httpx2.URL(relative)
        if not url.is_relative_url:
            return url
        return self._base.copy_with(raw_path=self._base.raw_path + url.raw_path.lstrip(b"/"))


def request_kwargs(
    request: Request,
    *,
    urls: UrlCache,
    credentials: Credentials | None,
    timeout: httpx2.Timeout,
    reader: ProgressReader | None,
) -> dict[str, Any]:
    """Keyword arguments for ``httpx2.Client.build_request`` (sync and async alike)."""
    headers = dict(request.headers)
    if request.auth == "user":
        if credentials is None:
            raise e.AuthenticationError(
                f"{request.method} {request.route} needs a logged-in user: call login() or pass "
                "user_id= and auth_token= to the client",
                error="not-logged-in",
                error_type="SDK",
            )
        headers.update(credentials.headers())
    kwargs: dict[str, Any] = {
        "method": request.method,
        "url": urls(request.api_prefix + request.path, request.params),
        "headers": headers,
        "extensions": {"timeout": timeout.as_dict()},
    }
    if request.upload is not None:
        assert reader is not None
        upload = request.upload
        kwargs["files"] = {"file": (upload.source.filename, reader, upload.source.content_type)}
        kwargs["data"] = dict(upload.fields) or None
    elif request.json is not None:
        kwargs["content"] = json.dumps(
            request.json, separators=(",", ":"), ensure_ascii=False
        ).encode()
        headers["Content-Type"] = "application/json"
    return kwargs


def open_upload(request: Request) -> ProgressReader | None:
    """A fresh reader for the request's upload (one per attempt, so retries start over)."""
    if request.upload is None:
        return None
    return request.upload.source.open(request.upload.progress)


def body_replayable(request: Request) -> bool:
    """Whether the request's body can be produced again (a non-seekable upload cannot)."""
    return request.upload is None or request.upload.source.rewindable


def can_retry_after_sending(request: Request) -> bool:
    """Idempotent, and its body can be produced again."""
    return request.idempotent and body_replayable(request)


def request_was_sent(exc: httpx2.TransportError) -> bool:
    """Whether the server may have received the request before ``exc`` happened."""
    return not isinstance(exc, httpx2.ConnectError | httpx2.ConnectTimeout | httpx2.PoolTimeout)


def transport_error(exc: httpx2.TransportError, request: Request) -> e.APIConnectionError:
    """The SDK error for a transport failure; the text names the route, never the full URL."""
    cls = e.APITimeoutError if isinstance(exc, httpx2.TimeoutException) else e.APIConnectionError
    what = "timed out" if cls is e.APITimeoutError else "connection failed"
    return cls(f"{request.method} {request.route} {what} ({type(exc).__name__})")


def parse_fast(response: httpx2.Response, call: Call[Any]) -> Any:
    """A 2xx answer parsed straight from its bytes (``Parser.parse_json``), or ``NOT_PARSED``:
    then the driver decodes the body and takes the usual path (errors, retries, ``parse``)."""
    parse = call.parse
    if type(parse) is not Parser or not 200 <= response.status_code < 300:
        return NOT_PARSED
    content = response.content
    return parse.parse_json(content) if content else NOT_PARSED


def decode_body(response: httpx2.Response) -> Any:
    """The JSON body, or ``None`` when the body is not JSON."""
    try:
        return json.loads(response.content) if response.content else None
    except ValueError:
        return None


def error_for(
    response: httpx2.Response, body: Any, request: Request, empty_failure: str | None = None
) -> e.APIStatusError:
    """The exception for an error response (non-JSON bodies are kept, truncated, as details).

    ``empty_failure`` is the call's text for a bare ``{"success": false}`` (``Call.empty_failure``).
    """
    details = body if body is not None else response.text[:_ERROR_TEXT_LIMIT]
    retry_after = server_retry_after(response.headers) if response.status_code == 429 else None
    return build_error(
        response.status_code,
        details,
        route=request.route,
        method=request.method,
        retry_after=retry_after,
        empty_failure=empty_failure,
        response=without_secrets(response),
    )


def without_secrets(response: httpx2.Response) -> httpx2.Response:
    """``response`` with a redacted copy of its request: URL and headers redacted, no body."""
    sent = response.request
    response.request = httpx2.Request(
        sent.method,
        redact_url(str(sent.url)),
        headers=[(k, REDACTED if is_secret(k) else v) for k, v in sent.headers.multi_items()],
    )
    return response


def is_success(response: httpx2.Response, body: Any) -> bool:
    return 200 <= response.status_code < 300 and not (
        isinstance(body, dict) and body.get("success") is False
    )


def unexpected_body(response: httpx2.Response, request: Request) -> e.UnexpectedResponseError:
    content_type = response.headers.get("content-type", "?")
    return e.UnexpectedResponseError(
        f"{request.method} {request.route}: expected JSON, "
        f"got HTTP {response.status_code} {content_type}",
        code=response.status_code,
        details=response.text[:_ERROR_TEXT_LIMIT],
    )


@dataclass(frozen=True, slots=True)
class Redirect:
    url: httpx2.URL
    method: str
    keep_body: bool
    same_origin: bool


def redirect_for(response: httpx2.Response, request: Request) -> Redirect | None:
    """Where a 3xx points, following RFC 9110: 303 (and 301/302 for POST) become GET; every
    other redirect keeps the method and sends the body again (a DELETE stays a DELETE).

    A body that cannot be produced again (a non-seekable upload) raises
    :class:`UnexpectedResponseError` instead of going out truncated.
    """
    status = response.status_code
    if status not in REDIRECT_STATUSES or "location" not in response.headers:
        return None
    method = _redirect_method(status, response.request.method)
    keep_body = method == response.request.method
    if keep_body and not body_replayable(request):
        raise e.UnexpectedResponseError(
            f"{request.method} {request.route}: HTTP {status} redirect needs the upload sent "
            "again, but its stream is not seekable (pass a path, bytes or a seekable file)",
            code=status,
        )
    current = response.request.url
    target = current.join(response.headers["location"])
    return Redirect(target, method, keep_body, _same_origin(current, target))


def _redirect_method(status: int, method: str) -> str:
    if status == 303 and method != "HEAD":
        return "GET"
    if status in (301, 302) and method == "POST":
        return "GET"
    return method


def _same_origin(a: httpx2.URL, b: httpx2.URL) -> bool:
    if a.host != b.host:
        return False
    if a.scheme == b.scheme:
        return a.port == b.port
    # an http -> https upgrade on the default ports keeps the origin's credentials
    return (
        a.scheme == "http"
        and b.scheme == "https"
        and a.port in (None, 80)
        and b.port in (None, 443)
    )


def strip_secrets(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers without credentials, for a request sent to another origin."""
    return {k: v for k, v in headers.items() if k.lower() not in SECRET_HEADERS}


def follow_redirect(request: httpx2.Request, redirect: Redirect) -> httpx2.Request:
    """The request to send to ``redirect.url``; credentials never go to another origin.

    ``Host`` is set here: httpx2 adds it only to requests whose body it encodes, never to one
    that reuses a stream (the kept body of a 307/308).
    """
    headers = dict(request.headers)
    headers.pop("host", None)
    if not redirect.same_origin:
        headers = strip_secrets(headers)
    if not redirect.keep_body:
        for name in ("content-length", "transfer-encoding", "content-type"):
            headers.pop(name, None)
    headers = {"host": redirect.url.netloc.decode("ascii"), **headers}
    return httpx2.Request(
        redirect.method,
        redirect.url,
        headers=headers,
        stream=request.stream if redirect.keep_body else None,
        extensions=request.extensions,
    )
