"""Visitor tokens that are safe everywhere Rocket.Chat puts them (path, query, body, header)."""

from __future__ import annotations

import secrets


def new_visitor_token(prefix: str = "") -> str:
    """A new unguessable visitor token (192 random bits, URL-safe alphabet ``A-Za-z0-9-_``).

    ``prefix`` namespaces tokens per channel (``"whatsapp-"``); it must use the same alphabet.
    """
    if any(not (c.isascii() and (c.isalnum() or c in "-_.~")) for c in prefix):
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError("prefix", "may only contain letters, digits and - _ . ~")
    return prefix + secrets.token_urlsafe(24)
