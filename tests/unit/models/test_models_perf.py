"""Parsing cost of a large history page (measured and printed, never asserted on time)."""

from __future__ import annotations

import time
from typing import Any

from rocketchat_livechat.models import Message


def _history(n: int) -> list[dict[str, Any]]:
    base_ms = 1728960000000
    messages: list[dict[str, Any]] = []
    for i in range(n):
        message: dict[str, Any] = {
            "_id": f"msg{i:014d}",
            "rid": "kCJDd5peKiZnGJLPq",
            "msg": f"message number {i}",
            "token": "8s7e9ony6ctl27e1qf8kue",
            "alias": "Mary",
            "ts": f"2024-10-15T02:{i // 60 % 60:02d}:{i % 60:02d}.123Z",
            "u": {"_id": "47Dajwh9DjpnTAugW", "username": "guest-165", "name": "Mary"},
            "_updatedAt": {"$date": base_ms + i},
            "urls": [],
            "mentions": [],
            "channels": [],
            "md": [{"type": "PARAGRAPH", "value": [{"type": "PLAIN_TEXT", "value": f"m{i}"}]}],
        }
        if i % 10 == 0:
            message["editedAt"] = "2024-10-15T03:00:00.000Z"
            message["editedBy"] = {"_id": "47Dajwh9DjpnTAugW", "username": "guest-165"}
        if i % 25 == 0:
            message["t"] = "uj"
        messages.append(message)
    return messages


def test_parse_200_message_history() -> None:
    payload = _history(200)
    Message.model_validate(payload[0])  # build the schema outside the measurement
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        parsed = [Message.model_validate(item) for item in payload]
    per_page_ms = (time.perf_counter() - start) / rounds * 1000
    print(f"\nparsed a 200-message history page in {per_page_ms:.2f} ms")
    assert len(parsed) == 200
    assert sum(message.edited for message in parsed) == 20
    assert sum(message.is_system for message in parsed) == 8
    assert parsed[199].updated_at is not None
