"""Checking and parsing one received webhook request (no web framework needed)."""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from ..errors import InvalidWebhookError, WebhookAuthenticationError, WebhookPayloadTooLargeError
from .events import WebhookEvent, event_adapter

__all__ = ["DEFAULT_MAX_BODY_SIZE", "TOKEN_HEADER", "check_token", "parse_webhook"]

TOKEN_HEADER = "X-RocketChat-Livechat-Token"
"""The header carrying ``Livechat_secret_token`` (Rocket.Chat ``lib/webhooks.ts``)."""

DEFAULT_MAX_BODY_SIZE = 16 * 1024 * 1024
"""16 MiB: close events carry the whole conversation, so leave room."""


def _header(headers: Mapping[str, str] | Iterable[tuple[str, str]], name: str) -> str | None:
    """The first value of header ``name``, compared case-insensitively."""
    wanted = name.lower()
    items = (
        headers.items() if isinstance(headers, Mapping) or hasattr(headers, "items") else headers
    )
    for key, value in items:
        if isinstance(key, bytes):
            key = key.decode("latin-1")
        if key.lower() == wanted:
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return None


def check_token(headers: Mapping[str, str] | Iterable[tuple[str, str]], secret: str | None) -> None:
    """Raise :class:`WebhookAuthenticationError` unless the token header matches ``secret``.

    ``secret=None`` skips the check (Rocket.Chat sends no header when its secret is empty). The
    comparison is constant-time (:func:`hmac.compare_digest` on the UTF-8 bytes).
    """
    if secret is None:
        return
    received = _header(headers, TOKEN_HEADER)
    if received is None:
        raise WebhookAuthenticationError(
            f"webhook refused: the {TOKEN_HEADER} header is missing",
            code=401,
            error="webhook-token-missing",
        )
    if not hmac.compare_digest(received.encode("utf-8"), secret.encode("utf-8")):
        raise WebhookAuthenticationError(
            f"webhook refused: the {TOKEN_HEADER} header does not match the secret",
            code=403,
            error="webhook-token-invalid",
        )


def _invalid(reason: str) -> InvalidWebhookError:
    return InvalidWebhookError(
        f"not a Rocket.Chat webhook: {reason}", code=400, error="invalid-webhook"
    )


def _load(body: bytes | str | Mapping[str, Any], max_body_size: int | None) -> dict[str, Any]:
    if isinstance(body, Mapping):
        data: Any = dict(body)
    else:
        raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        if max_body_size is not None and len(raw) > max_body_size:
            raise WebhookPayloadTooLargeError(
                f"webhook refused: the body has {len(raw)} bytes, over the limit of "
                f"{max_body_size}",
                code=413,
                error="webhook-too-large",
            )
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, ValueError):
            raise _invalid("the body is not JSON") from None
    if not isinstance(data, dict):
        raise _invalid(f"the body is a JSON {type(data).__name__}, not an object")
    kind = data.get("type")
    if not isinstance(kind, str) or not kind:
        raise _invalid("the body has no string 'type'")
    return data


def parse_webhook(
    body: bytes | str | Mapping[str, Any],
    headers: Mapping[str, str],
    *,
    secret: str | None,
    max_body_size: int | None = DEFAULT_MAX_BODY_SIZE,
) -> WebhookEvent:
    """Check one received webhook request and return its typed event.

    ``headers`` is any mapping (or ``(name, value)`` pairs); names are case-insensitive.
    ``secret`` is Rocket.Chat's ``Livechat_secret_token`` (``None``: no check). The token is
    checked first, in constant time, then the body: at most ``max_body_size`` bytes (``None``: no
    limit; not applied to a mapping), JSON, an object with a string ``type``.

    An unknown ``type`` gives an :class:`~rocketchat_livechat.webhooks.UnknownWebhookEvent`.

    Raises:
        WebhookAuthenticationError: token missing (``code`` 401) or wrong (403).
        WebhookPayloadTooLargeError: body over ``max_body_size`` (413).
        InvalidWebhookError: not JSON, not an object, no ``type``, or a known ``type`` whose
            fields have the wrong shape (400). Messages never echo the secret nor the token.
    """
    check_token(headers, secret)
    return _validate(_load(body, max_body_size))


def _validate(data: dict[str, Any]) -> WebhookEvent:
    try:
        return event_adapter().validate_python(data)
    except ValidationError as exc:
        where = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'][1:]) or '(body)'}: {err['msg']}"
            for err in exc.errors(include_input=False)[:3]
        )
        raise _invalid(f"a {data['type']!r} event with unexpected fields ({where})") from None
