"""Livechat triggers (``LivechatTrigger``): the managers' CRUD and what the widget reads.

Source: ``apps/meteor/app/livechat/imports/server/rest/triggers.ts``,
``apps/meteor/app/livechat/server/api/lib/triggers.ts`` and ``findTriggers`` in
``apps/meteor/app/livechat/server/api/lib/livechat.ts`` (the config's ``triggers``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..ids import random_id
from ..state import ServerState
from ..store import Doc, Sort

_FIELDS = ("name", "description", "enabled", "runOnce", "conditions", "actions")
#: actions a community workspace does not run (``premiumActions`` in ``findTriggers``)
PREMIUM_ACTIONS = frozenset({"use-external-service"})


def find(state: ServerState, sort: Sort) -> list[Doc]:
    """Every trigger, sorted (``{name: 1}`` unless the caller sorts)."""
    return state.store.livechat_triggers.find(sort=sort)


def get(state: ServerState, trigger_id: str) -> Doc | None:
    """One trigger, or ``None``."""
    return state.store.livechat_triggers.get(trigger_id)


def save(state: ServerState, body: Mapping[str, Any]) -> None:
    """``POST livechat/triggers``: update the trigger ``_id`` (``updateById``: nothing happens
    when there is none), else insert a new one."""
    data: Doc = {name: body.get(name) for name in _FIELDS}
    data["_updatedAt"] = state.now()
    triggers = state.store.livechat_triggers
    if body.get("_id"):
        triggers.update(body["_id"], {"$set": data})
    else:
        triggers.insert({"_id": random_id(), **data})


def remove(state: ServerState, trigger_id: str) -> None:
    """``removeById``: no error for an unknown id."""
    state.store.livechat_triggers.delete(trigger_id)


def for_widget(state: ServerState) -> list[Doc]:
    """The enabled triggers as ``livechat/config`` lists them: ``{_id, actions, conditions,
    runOnce}``, without those whose every action is enterprise-only (no license here)."""
    return [
        {k: t.get(k) for k in ("_id", "actions", "conditions", "runOnce")}
        for t in state.store.livechat_triggers.find({"enabled": True})
        if any(a.get("name") not in PREMIUM_ACTIONS for a in t.get("actions") or [])
    ]
