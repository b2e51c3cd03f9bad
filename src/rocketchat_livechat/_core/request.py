"""What one API call is, independent of sync/async drivers.

An endpoint builder (``_core/endpoints/*``) validates the caller's arguments and returns a
:class:`Call`: the exact HTTP request to send plus how to parse the answer. The drivers only send
it, retry it when :mod:`._core.retry` says so, and hand the body to ``Call.parse``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import quote

from ..errors import InvalidArgumentError
from .uploads import UploadSource

T = TypeVar("T")

Auth = Literal["none", "user"]
QueryValue = str | int | bool | Sequence[str] | None

# Characters RFC 3986 allows unescaped in a path segment besides the unreserved ones. Leaving
# them literal keeps values like "a:b" or "x+y" intact through Rocket.Chat's decodeURI.
_SEGMENT_SAFE = "!$&'()*+,;=:@"
# Node (and so Rocket.Chat) refuses request heads over 16 KiB: a longer path or query can never
# be served, and httpx2 refuses to build one at all.
MAX_URL_PART = 16 * 1024


def encode_segment(value: str) -> str:
    """Percent-encode one path segment (``/``, ``?``, ``#``, ``%``, spaces, non-ASCII...)."""
    return quote(value, safe=_SEGMENT_SAFE)


def api_path(template: str, **segments: str) -> str:
    """Fill ``{name}`` placeholders of a route template with encoded segments."""
    encoded = {k: encode_segment(v) for k, v in segments.items()}
    for name, segment in encoded.items():
        _check_length(name, len(segment))
    return template.format(**encoded)


def _check_length(name: str, length: int) -> None:
    if length > MAX_URL_PART:
        raise InvalidArgumentError(name, f"too long for a URL ({length} > {MAX_URL_PART} bytes)")


def query_params(
    params: Mapping[str, QueryValue], arguments: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """Query pairs in Rocket.Chat's ``qs`` style: lists as ``key[]=v``, bools as ``true``/``false``.

    ``None`` values are dropped. Encoding of each pair is left to the HTTP library; a query
    that would be too long for the server is refused, naming the argument that overflows it
    (the key in snake_case, or as ``arguments`` maps it).
    """
    pairs: list[tuple[str, str]] = []
    length = 0
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            added = [(key, "true" if value else "false")]
        elif isinstance(value, str | int):
            added = [(key, str(value))]
        else:
            added = [(f"{key}[]", item) for item in value]
        pairs.extend(added)
        length += sum(len(quote(k, safe="")) + len(quote(v, safe="")) + 2 for k, v in added)
        _check_length((arguments or {}).get(key) or _snake_case(key), length)
    return pairs


def _snake_case(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def json_body(**fields: Any) -> dict[str, Any]:
    """A JSON body without the fields whose value is ``None``."""
    return {k: v for k, v in fields.items() if v is not None}


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request to the Rocket.Chat REST API, relative to ``/api/v1/``."""

    method: Literal["GET", "POST", "PUT", "DELETE"]
    route: str  # the route template, used in logs and error messages (never holds secrets)
    path: str  # the encoded path, e.g. ``livechat/visitor/abc``
    params: list[tuple[str, str]] = field(default_factory=list)
    json: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    auth: Auth = "none"
    idempotent: bool = False
    upload: Upload | None = None
    api_prefix: str = "api/v1/"


@dataclass(frozen=True, slots=True)
class Upload:
    """A multipart upload: the file part is always named ``file``."""

    source: UploadSource
    fields: Mapping[str, str] = field(default_factory=dict)
    progress: Callable[[int, int | None], None] | None = None


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """A request plus the parser of its successful JSON body.

    ``recover`` is set for calls made idempotent by a client-chosen id (``send_message``): when a
    *retried* attempt fails with HTTP 400 the first attempt may have succeeded, so the driver runs
    ``recover`` (a lookup by that id) and returns its result instead of failing.
    """

    request: Request
    parse: Callable[[Any], T]
    recover: Callable[[], Call[T]] | None = None  # built only when needed (hot path)
    empty_failure: str | None = None  # what a refusal without any error text means
