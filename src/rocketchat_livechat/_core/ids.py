"""Client-generated ids in Rocket.Chat's format."""

from __future__ import annotations

import hashlib
import hmac
import secrets

_METEOR_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz"


_ID_LENGTH = 17
_ID_SPACE = len(_METEOR_ALPHABET) ** _ID_LENGTH


def new_message_id() -> str:
    """A Meteor ``Random.id()``-style id (17 characters, ~98 bits) for idempotent sends.

    One ``randbelow`` split into base-55 digits: uniform, and 6x cheaper than 17 ``choice``s.
    """
    return _meteor_id(secrets.randbelow(_ID_SPACE))


def derived_message_id(key: bytes, *parts: str) -> str:
    """The same Meteor-style id every time for the same ``key`` and ``parts`` (HMAC-SHA256).

    A bridge sends an outside message under the id derived from that message's own id, so a
    redelivery can never become a second message.
    """
    digest = hmac.new(key, "\0".join(parts).encode(), hashlib.sha256).digest()
    return _meteor_id(int.from_bytes(digest, "big") % _ID_SPACE)


def _meteor_id(number: int) -> str:
    digits = []
    for _ in range(_ID_LENGTH):
        number, digit = divmod(number, len(_METEOR_ALPHABET))
        digits.append(_METEOR_ALPHABET[digit])
    return "".join(digits)
