"""A :class:`~rocketchat_livechat.bridge.BridgeStore` in Redis, shared by bridge workers.

``pip install 'rocketchat-livechat[redis]'``. Several worker processes (or machines) running
the same bridge share one mapping: a contact's room, tokens, and which messages were handled.
An outbound claim is ``SET NX`` with an expiry, so a worker that dies mid-hand-out lets another
take the message over after :data:`CLAIM_SECONDS`.
"""

from __future__ import annotations

from typing import Any

import redis

from ._store import CLAIM_SECONDS

_DONE = "done"
_CLAIMED = "claimed"


class RedisStore:
    """Keys live under ``prefix`` (default ``rocketchat-bridge``) in the database of ``url``."""

    def __init__(self, url: str, *, prefix: str = "rocketchat-bridge") -> None:
        self.url = url
        self.prefix = prefix
        self._redis: Any = redis.Redis.from_url(url, decode_responses=True)

    def __repr__(self) -> str:
        return f"RedisStore(prefix={self.prefix!r})"  # the URL may carry a password

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def room_of(self, contact: str) -> str | None:
        room: str | None = self._redis.hget(self._key("rooms"), contact)
        return room

    def set_room(self, contact: str, rid: str | None) -> None:
        if rid is None:
            self._redis.hdel(self._key("rooms"), contact)
        else:
            self._redis.hset(self._key("rooms"), contact, rid)

    def remember_contact(self, token: str, contact: str) -> None:
        self._redis.hset(self._key("tokens"), token, contact)
        self._redis.hset(self._key("token-of"), contact, token)

    def token_of(self, contact: str) -> str | None:
        token: str | None = self._redis.hget(self._key("token-of"), contact)
        return token

    def contact_of(self, token: str) -> str | None:
        contact: str | None = self._redis.hget(self._key("tokens"), token)
        return contact

    def inbound_done(self, contact: str, external_id: str) -> bool:
        return bool(self._redis.hexists(self._key("inbound", contact), external_id))

    def mark_inbound(self, contact: str, external_id: str, message_id: str) -> None:
        self._redis.hset(self._key("inbound", contact), external_id, message_id)

    def claim_outbound(self, contact: str, message_id: str) -> bool:
        key = self._key("outbound", contact, message_id)
        return bool(self._redis.set(key, _CLAIMED, nx=True, px=int(CLAIM_SECONDS * 1000)))

    def finish_outbound(self, contact: str, message_id: str, *, delivered: bool) -> None:
        key = self._key("outbound", contact, message_id)
        if delivered:
            self._redis.set(key, _DONE)
        elif self._redis.get(key) == _CLAIMED:
            self._redis.delete(key)

    def close(self) -> None:
        self._redis.close()
