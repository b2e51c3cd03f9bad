"""Keeping secrets out of logs and reprs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
