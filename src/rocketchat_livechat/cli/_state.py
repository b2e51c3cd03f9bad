"""The ``chat`` state file: the visitor token per server, so that a chat can be resumed.

``$XDG_CONFIG_HOME/rocketchat-livechat/state.json`` (``~/.config/...`` by default), mode 0600,
``{"servers": {"<server url>": {"token": "..."}}}``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def state_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "rocketchat-livechat" / "state.json"


def _key(server: str) -> str:
    return server.rstrip("/")


def _load() -> dict[str, Any]:
    try:
        data = json.loads(state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load_token(server: str) -> str | None:
    """The visitor token stored for ``server``, if any."""
    servers = _load().get("servers")
    entry = servers.get(_key(server)) if isinstance(servers, dict) else None
    token = entry.get("token") if isinstance(entry, dict) else None
    return token if isinstance(token, str) and token else None


def save_token(server: str, token: str) -> None:
    """Store ``token`` for ``server`` (the file is written atomically, readable by you only)."""
    data = _load()
    servers = data.get("servers")
    if not isinstance(servers, dict):
        servers = data["servers"] = {}
    servers[_key(server)] = {"token": token}
    path = state_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(data, file, indent=2)
    os.replace(temporary, path)
