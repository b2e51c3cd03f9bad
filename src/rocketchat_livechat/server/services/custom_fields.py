"""Livechat custom field definitions (``livechat:saveCustomField``, remove, list, get)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..errors import MeteorError
from ..state import ServerState
from ..store import Doc, Sort

_FIELD_NAME = re.compile(r"[0-9a-zA-Z_-]+")
_DEFAULTS: Doc = {
    "regexp": "",
    "searchable": True,
    "type": "input",
    "required": False,
    "defaultValue": "",
    "options": "",
    "public": False,
}


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
    """Create or update a definition (``field_id`` defaults to ``data["field"]``)."""
    field_id = field_id or data["field"]
    if not _FIELD_NAME.fullmatch(data["field"]):
        raise MeteorError(
            "error-invalid-custom-field-name",
            "Invalid custom field name. Use only letters, numbers, hyphens and underscores.",
            {"method": "livechat:saveCustomField"},
        )
    store = state.store
    with store.transaction():
        existing = store.custom_fields.get(field_id) or {}
        doc = {
            **_DEFAULTS,
            **existing,
            **{k: v for k, v in data.items() if k != "field"},
            "_id": field_id,
            "_updatedAt": state.now(),
        }
        store.custom_fields.save(doc)
    return doc


def remove(state: ServerState, field_id: str) -> bool:
    """Delete a definition; whether it existed."""
    return state.store.custom_fields.delete(field_id)
