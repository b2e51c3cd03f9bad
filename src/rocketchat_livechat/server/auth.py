"""Users' credentials, roles and permissions.

* Passwords are stored as PBKDF2-SHA256 of the SHA-256 hex digest of the password, so both
  ``{"password": "secret"}`` and Rocket.Chat's ``{"password": {"hashed": "<sha256 hex>"}}``
  logins work (Rocket.Chat does the same with bcrypt).
* Login tokens live in the ``login_tokens`` collection under the SHA-256 of the token
  (``{"_id": <hash>, "userId": ..., "when": <datetime>}``); :func:`user_by_token` resolves
  a raw token (REST ``X-Auth-Token`` or DDP ``login {"resume": token}``) to its user.
* :data:`PERMISSIONS` is Rocket.Chat's default role assignment for the permissions the
  endpoints check.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from .ids import secret_token
from .store import Doc, Store

ROLES = ("admin", "livechat-agent", "livechat-manager", "livechat-monitor", "user", "bot", "app")

_MANAGERS = ("admin", "livechat-manager", "livechat-monitor")
_AGENTS = (*_MANAGERS, "livechat-agent")

#: permission -> roles holding it by default
PERMISSIONS: dict[str, tuple[str, ...]] = {
    "view-l-room": _AGENTS,
    "view-livechat-manager": _MANAGERS,
    "view-livechat-rooms": _MANAGERS,
    "view-livechat-departments": _MANAGERS,
    "manage-livechat-departments": _MANAGERS,
    "add-livechat-department-agents": _MANAGERS,
    "remove-livechat-department": ("admin", "livechat-manager"),
    "manage-livechat-agents": _MANAGERS,
    "view-livechat-customfields": ("admin", "livechat-manager"),
    "view-livechat-webhooks": ("admin", "livechat-manager"),
    "edit-livechat-room-customfields": _AGENTS,
    "close-livechat-room": _AGENTS,
    "close-others-livechat-room": _MANAGERS,
    "save-others-livechat-room-info": ("livechat-manager", "livechat-monitor"),
    "transfer-livechat-guest": _AGENTS,
    "edit-omnichannel-contact": _AGENTS,
    "create-livechat-contact": _AGENTS,
    "update-livechat-contact": _AGENTS,
    "view-livechat-contact": _AGENTS,
    "view-livechat-contact-history": _AGENTS,
    # not in the 7.x permissions.ts read; the 8.x delete endpoint's default roles not verified
    "delete-livechat-contact": ("admin", "livechat-manager"),
    "send-omnichannel-chat-transcript": ("admin", "livechat-manager"),
    "remove-closed-livechat-room": ("admin", "livechat-manager"),
    "remove-closed-livechat-rooms": ("admin", "livechat-manager"),
    "api-bypass-rate-limit": ("admin", "bot", "app"),
    "send-many-messages": ("admin", "bot", "app"),
    "create-user": ("admin",),
    "delete-user": ("admin",),
    "view-full-other-user-info": ("admin",),
    "edit-other-user-active-status": ("admin",),
    "edit-other-user-info": ("admin",),
    "edit-privileged-setting": ("admin",),
    "view-privileged-setting": ("admin",),
    "create-p": ("admin", "user", "bot", "app"),
    "delete-p": ("admin",),
    "view-room-administration": ("admin",),
    # messages (owner/moderator are room roles, not modelled here)
    "edit-message": ("admin",),
    "delete-message": ("admin",),
    "delete-own-message": ("admin", "user"),
    "force-delete-message": ("admin",),
    "bypass-time-limit-edit-and-delete": ("bot", "app"),
}


def has_permission(user: Doc | None, permission: str) -> bool:
    """Whether one of the user's roles grants ``permission``."""
    if user is None:
        return False
    granted = PERMISSIONS.get(permission, ("admin",))
    return any(role in granted for role in user.get("roles", ()))


def has_any_permission(user: Doc | None, permissions: Iterable[str]) -> bool:
    """Whether the user holds at least one of ``permissions``."""
    return any(has_permission(user, p) for p in permissions)


def sha256_hex(text: str) -> str:
    """SHA-256 hex digest (what Rocket.Chat clients send as the hashed password)."""
    return hashlib.sha256(text.encode()).hexdigest()


def hash_password(password: str) -> str:
    """Store form of a password: ``pbkdf2$<iterations>$<salt>$<hash>``."""
    return _pbkdf2(sha256_hex(password), secrets.token_hex(16), 100_000)


def _pbkdf2(digest: str, salt: str, iterations: int) -> str:
    derived = hashlib.pbkdf2_hmac("sha256", digest.encode(), salt.encode(), iterations).hex()
    return f"pbkdf2${iterations}${salt}${derived}"


def verify_password(user: Doc, password: str | dict[str, Any]) -> bool:
    """Check a plain password or ``{"digest"|"hashed": <sha256 hex>}`` against the user's."""
    stored = user.get("services", {}).get("password", {}).get("pbkdf2")
    if not isinstance(stored, str):
        return False
    if isinstance(password, dict):
        digest = password.get("digest") or password.get("hashed")
        if not isinstance(digest, str):
            return False
    else:
        digest = sha256_hex(password)
    _, iterations, salt, _hash = stored.split("$")
    return hmac.compare_digest(_pbkdf2(digest.lower(), salt, int(iterations)), stored)


def _token_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_login_token(store: Store, user_id: str, now: datetime) -> str:
    """Issue and persist a new login token for ``user_id``."""
    token = secret_token()
    store.login_tokens.insert({"_id": _token_key(token), "userId": user_id, "when": now})
    return token


def remove_login_token(store: Store, token: str) -> None:
    """Invalidate a login token (logout)."""
    store.login_tokens.delete(_token_key(token))


def remove_user_tokens(store: Store, user_id: str) -> None:
    """Invalidate every login token of a user."""
    store.login_tokens.delete_many({"userId": user_id})


def user_by_token(store: Store, token: str) -> Doc | None:
    """The active user owning this raw login token, or ``None``."""
    if not token:
        return None
    entry = store.login_tokens.get(_token_key(token))
    if entry is None:
        return None
    user = store.users.get(entry["userId"])
    return user if user is not None and user.get("active", True) else None


def authenticate(store: Store, user_id: str | None, token: str | None) -> Doc | None:
    """Resolve the ``X-User-Id`` / ``X-Auth-Token`` pair to a user, or ``None``."""
    if not user_id or not token:
        return None
    user = user_by_token(store, token)
    return user if user is not None and user["_id"] == user_id else None


def can_access_room(user: Doc, room: Doc) -> bool:
    """Room access for users: the serving agent or livechat viewers (``l`` rooms), members."""
    if room.get("t") == "l":
        served = room.get("servedBy", {}).get("_id")
        return served == user["_id"] or has_permission(user, "view-livechat-rooms")
    return user["_id"] in room.get("members", []) or has_permission(
        user, "view-room-administration"
    )
