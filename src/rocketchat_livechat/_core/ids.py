"""Client-generated ids in Rocket.Chat's format."""

from __future__ import annotations

import secrets

_METEOR_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz"


def new_message_id() -> str:
    """A Meteor ``Random.id()``-style id (17 characters, ~98 bits) for idempotent sends."""
    return "".join(secrets.choice(_METEOR_ALPHABET) for _ in range(17))
