"""Keeping secrets out of logs and reprs."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SECRET_KEYS = frozenset(
    {
        "token",
        "visitortoken",
        "x-visitor-token",
        "authtoken",
        "x-auth-token",
        "password",
        "resume",
        "authorization",
        "cookie",
        "x-2fa-code",
        "rc_token",
    }
)
REDACTED = "***"


def is_secret(key: str) -> bool:
    return key.lower() in SECRET_KEYS


def redact(value: Any) -> Any:
    """A copy of ``value`` with every secret-named key's value replaced by ``***``."""
    if isinstance(value, Mapping):
        return {k: REDACTED if is_secret(str(k)) else redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    return value


def redact_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Query pairs with secret values replaced."""
    return [(k, REDACTED if is_secret(k) else v) for k, v in pairs]


def redact_url(url: str) -> str:
    """``url`` with visitor tokens in its path and secret query values replaced by ``***``.

    The secret path segments are those the endpoint declarations mark ``secret``.
    """
    parts = urlsplit(url)
    path = _secret_path_pattern().sub(_redact_groups, parts.path)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode(redact_pairs(pairs), safe="*[]") if pairs else parts.query
    return urlunsplit(parts._replace(path=path, query=query))


@functools.cache
def _secret_path_pattern() -> re.Pattern[str]:
    from .endpoint import secret_path_pattern
    from .endpoints import declared

    return secret_path_pattern(declared()) or re.compile(r"(?!)")


def _redact_groups(match: re.Match[str]) -> str:
    """The match with each captured (secret) group replaced by ``***``."""
    text, start = match.group(0), match.start()
    pieces, position = [], 0
    for index in range(1, (match.re.groups or 0) + 1):
        if match.group(index) is None:
            continue
        begin, end = match.span(index)
        pieces.append(text[position : begin - start] + REDACTED)
        position = end - start
    return "".join(pieces) + text[position:]


class RedactUrls(logging.Filter):
    """Redacts the URL of httpx2's ``HTTP Request: <method> <url> ...`` log records.

    httpx2 logs every request's full URL at INFO; for visitor endpoints that URL holds the
    visitor token. Installed on the ``httpx2`` logger by the clients.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 2 and str(record.msg).startswith("HTTP"):
            record.args = (args[0], redact_url(str(args[1])), *args[2:])
        return True


REDACT_URLS = RedactUrls()


# "token":"...", "visitorToken":"...", "resume":"...", ... inside DDP frames (JSON text)
_JSON_SECRET = re.compile(
    r'("(?:token|visitorToken|resume|authToken|password|x-visitor-token)"\s*:\s*)"(?:[^"\\]|\\.)*"',
    re.IGNORECASE,
)


def redact_json_text(text: str) -> str:
    """``text`` with the values of secret-named JSON string fields replaced by ``***``."""
    return _JSON_SECRET.sub(lambda m: f'{m.group(1)}"{REDACTED}"', text)


class RedactFrames(logging.Filter):
    """Redacts secrets from websockets' frame log (``> TEXT '{"msg":"sub",...}'`` at DEBUG).

    websockets logs ``("> %s", frame)`` and shortens long frames in the middle, which could cut
    a secret's key off and leave its value; so the frame's *whole* text is redacted first and
    shortened after. The realtime client hands websockets the ``rocketchat_livechat.websocket``
    logger, which carries this filter.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_frame(arg) for arg in record.args)
        message = record.getMessage()
        redacted = redact_json_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def _redact_frame(arg: object) -> object:
    data, opcode = getattr(arg, "data", None), getattr(arg, "opcode", None)
    if not isinstance(data, bytes | bytearray | memoryview) or opcode is None:
        return arg
    try:
        text = redact_json_text(bytes(data).decode())
    except UnicodeDecodeError:
        return f"{getattr(opcode, 'name', opcode)} [{len(data)} bytes]"
    shown = text if len(text) <= _FRAME_TEXT_LIMIT else text[:_FRAME_TEXT_LIMIT] + "..."
    return f"{getattr(opcode, 'name', opcode)} {shown!r} [{len(data)} bytes]"


_FRAME_TEXT_LIMIT = 300


WEBSOCKET_LOGGER = logging.getLogger("rocketchat_livechat.websocket")
WEBSOCKET_LOGGER.addFilter(RedactFrames())
