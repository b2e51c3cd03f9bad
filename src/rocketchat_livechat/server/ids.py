"""Identifier generators matching Rocket.Chat's formats (Meteor ``Random.id()``, ObjectIds)."""

from __future__ import annotations

import os
import secrets

UNMISTAKABLE_CHARS = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz"


#: random byte -> alphabet character; the bytes of :data:`_BIASED` are dropped instead, as
#: they would make the first characters of the alphabet likelier
_UNBIASED = 256 // len(UNMISTAKABLE_CHARS) * len(UNMISTAKABLE_CHARS)
_BIASED = bytes(range(_UNBIASED, 256))
_TO_ALPHABET = bytes(UNMISTAKABLE_CHARS.encode()[b % len(UNMISTAKABLE_CHARS)] for b in range(256))


def random_id(length: int = 17) -> str:
    """Meteor ``Random.id()``: 17 characters from the unmistakable alphabet."""
    chars = b""
    while len(chars) < length:
        chars += os.urandom(length + 8).translate(_TO_ALPHABET, _BIASED)
    return chars[:length].decode()


def object_id() -> str:
    """A Mongo ObjectId-like id: 24 lowercase hex characters (visitors, inquiries)."""
    return secrets.token_hex(12)


def secret_token() -> str:
    """An opaque login token (43 url-safe characters, like Meteor's ``Random.secret()``)."""
    return secrets.token_urlsafe(32)
