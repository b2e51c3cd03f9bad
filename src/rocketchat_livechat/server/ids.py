"""Identifier generators matching Rocket.Chat's formats (``rocketchat-api.md`` §1.8)."""

from __future__ import annotations

import secrets

UNMISTAKABLE_CHARS = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz"


def random_id(length: int = 17) -> str:
    """Meteor ``Random.id()``: 17 characters from the unmistakable alphabet."""
    return "".join(secrets.choice(UNMISTAKABLE_CHARS) for _ in range(length))


def object_id() -> str:
    """A Mongo ObjectId-like id: 24 lowercase hex characters (visitors, inquiries)."""
    return secrets.token_hex(12)


def secret_token() -> str:
    """An opaque login token (43 url-safe characters, like Meteor's ``Random.secret()``)."""
    return secrets.token_urlsafe(32)
