"""Helpers for the embedded-server tests."""

from __future__ import annotations

import secrets
import threading
from typing import Any

import httpx2


class EventLog:
    """Every event published by the server, as ``(stream, event_name, args)``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.items: list[tuple[str, str, list[Any]]] = []

    def __call__(self, stream: str, event_name: str, args: list[Any]) -> None:
        with self._lock:
            self.items.append((stream, event_name, args))

    def of(self, stream: str, event_name: str) -> list[list[Any]]:
        with self._lock:
            return [a for s, e, a in self.items if s == stream and e == event_name]

    def clear(self) -> None:
        with self._lock:
            self.items.clear()


def new_token() -> str:
    return f"tok-{secrets.token_hex(8)}"


def register(http: httpx2.Client, token: str | None = None, **fields: Any) -> dict[str, Any]:
    """Register a visitor; returns the visitor document."""
    token = token or new_token()
    response = http.post("livechat/visitor", json={"visitor": {"token": token, **fields}})
    assert response.status_code == 200, response.text
    visitor: dict[str, Any] = response.json()["visitor"]
    return visitor


def open_room(http: httpx2.Client, token: str) -> dict[str, Any]:
    """``GET livechat/room`` for a registered visitor; returns the room."""
    response = http.get("livechat/room", params={"token": token})
    assert response.status_code == 200, response.text
    room: dict[str, Any] = response.json()["room"]
    return room


def new_chat(http: httpx2.Client, **fields: Any) -> tuple[str, dict[str, Any]]:
    """Register a fresh visitor and open a room: ``(token, room)``."""
    token = register(http, **fields)["token"]
    return token, open_room(http, token)


def error(response: httpx2.Response, status: int = 400) -> dict[str, Any]:
    """The JSON error body, asserting the status."""
    assert response.status_code == status, (response.status_code, response.text)
    body: dict[str, Any] = response.json()
    return body
