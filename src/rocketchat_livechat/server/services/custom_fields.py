"""Livechat custom field definitions (``livechat:saveCustomField``, remove, list, get)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..errors import Failure
from ..state import ServerState
from ..store import Doc, Sort


def search(state: ServerState, text: str | None, sort: Sort) -> list[Doc]:
    """The definitions whose ``_id`` or ``label`` contains ``text`` (any case), sorted."""
    found = state.store.custom_fields.find(sort=sort)
    if text:
        pattern = re.compile(re.escape(text), re.IGNORECASE)
        found = [f for f in found if pattern.search(f["_id"]) or pattern.search(f["label"])]
    return found


def get(state: ServerState, field_id: str) -> Doc | None:
    """One definition."""
    return state.store.custom_fields.get(field_id)


def save(state: ServerState, field_id: str | None, data: Mapping[str, Any]) -> Doc:
    """``livechat/custom-fields.save``: update ``field_id`` (which must exist) or create one.

    As ``LivechatCustomField.createOrUpdateCustomField``: the stored record is ``label``,
    ``scope``, ``visibility`` and every other ``customFieldData`` key but ``field`` (no defaults
    added); a new definition's ``_id`` is ``field``. The answer is that record, as Rocket.Chat
    returns it (``_id`` only on creation).
    """
    store = state.store
    with store.transaction():
        if field_id:
            existing = store.custom_fields.get(field_id)
            if existing is None:
                raise Failure("Custom Field Not found")
        elif store.custom_fields.get(data["field"]) is not None:
            raise Failure("Custom Field already exists")
        record: Doc = {k: v for k, v in data.items() if k != "field"}
        record["_updatedAt"] = state.now()
        if field_id:
            store.custom_fields.save({**(existing or {}), **record, "_id": field_id})
        else:
            record["_id"] = data["field"]
            store.custom_fields.save(dict(record))
    return record


def remove(state: ServerState, field_id: str) -> bool:
    """Delete a definition; whether it existed."""
    return state.store.custom_fields.delete(field_id)
