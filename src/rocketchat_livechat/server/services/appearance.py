"""``livechat/appearance``: the widget settings an omnichannel manager reads and saves.

What Rocket.Chat does (``findAppearance`` in ``apps/meteor/app/livechat/server/api/lib/
appearance.ts``; the POST handler in ``apps/meteor/app/livechat/imports/server/rest/
appearance.ts``, 8.x ``apps/meteor/server/api/v1/omnichannel/appearance.ts``):

* GET: ``Settings.find({_id: {$in: [...]}})``, the whole setting documents.
* POST: an ``_id`` outside :data:`APPEARANCE_SETTINGS` fails the whole call with
  ``Error('invalid-setting')``. Then each stored setting of the list takes the first body entry
  with its ``_id``. The entry is skipped when its value is ``===`` the stored value, and a
  ``multiSelect`` setting skips anything but an array of its option keys. A ``boolean`` becomes
  ``value === 'true' || value === true``. An ``int`` goes through ``coerceInt``: numbers kept,
  booleans and arrays 0, strings ``parseInt(value, 10)`` or 0 for NaN. Other values are stored
  as sent.

Rocket.Chat's GET list comes from ``findAppearance``; the POST list has
``Livechat_hide_expand_chat`` too (RocketChat/Rocket.Chat#36127, 7.8). That setting is on the
appearance page, and the page only shows what GET returns, so this server returns it on GET too.
Unlike Rocket.Chat, all the writes happen in one transaction, with no audit entry
(``updateAuditedByUser``) and no settings-stream notification.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import PlainError
from ..state import ServerState
from ..store import Doc

APPEARANCE_SETTINGS: tuple[str, ...] = (
    "Livechat_title",
    "Livechat_title_color",
    "Livechat_enable_message_character_limit",
    "Livechat_message_character_limit",
    "Livechat_show_agent_info",
    "Livechat_show_agent_email",
    "Livechat_display_offline_form",
    "Livechat_offline_form_unavailable",
    "Livechat_offline_message",
    "Livechat_offline_success_message",
    "Livechat_offline_title",
    "Livechat_offline_title_color",
    "Livechat_offline_email",
    "Livechat_conversation_finished_message",
    "Livechat_conversation_finished_text",
    "Livechat_registration_form",
    "Livechat_name_field_registration_form",
    "Livechat_email_field_registration_form",
    "Livechat_registration_form_message",
    "Livechat_hide_watermark",
    "Livechat_background",
    "Livechat_widget_position",
    "Livechat_hide_system_messages",
    "Omnichannel_allow_visitors_to_close_conversation",
    "Livechat_hide_expand_chat",
)
"""The ids of ``validSettingList`` (8.x), in its order."""

#: option keys of the multiSelect settings (``ee/server/lib/omnichannel/settings.ts``)
_OPTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "Livechat_hide_system_messages": (
        ("uj", "Message_HideType_uj"),
        ("ul", "Message_HideType_ul"),
        ("livechat-close", "Message_HideType_livechat_closed"),
        ("livechat-started", "Message_HideType_livechat_started"),
        ("livechat_transfer_history", "Message_HideType_livechat_transfer_history"),
    ),
}
_INT_PREFIX = re.compile(r"\s*([+-]?[0-9]+)")


def find_appearance(state: ServerState) -> list[Doc]:
    """The setting documents for ``GET livechat/appearance``."""
    return [_document(state, name) for name in APPEARANCE_SETTINGS]


def save_appearance(state: ServerState, entries: list[Mapping[str, Any]]) -> None:
    """Apply a validated ``[{_id, value}]`` body like Rocket.Chat's POST handler."""
    if any(entry["_id"] not in APPEARANCE_SETTINGS for entry in entries):
        raise PlainError("invalid-setting")
    changes = dict(_changes(state, _first_by_id(entries)))
    with state.store.transaction():
        state.settings.update(changes)


def _document(state: ServerState, name: str) -> Doc:
    doc = state.settings.document(name)
    if name in _OPTIONS:
        doc["values"] = [{"key": key, "i18nLabel": label} for key, label in _OPTIONS[name]]
    return doc


def _first_by_id(entries: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """``settings.find(({_id}) => _id === id)``: the first value sent for each id."""
    values: dict[str, Any] = {}
    for entry in entries:
        values.setdefault(entry["_id"], entry["value"])
    return values


def _changes(state: ServerState, sent: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    for name in APPEARANCE_SETTINGS:
        if name not in sent:
            continue
        stored = state.settings.document(name)
        value = sent[name]
        if _identical(stored["value"], value) or not _fits_options(name, stored["type"], value):
            continue
        yield name, _coerce(stored["type"], value)


def _coerce(setting_type: str, value: Any) -> Any:
    if setting_type == "boolean":
        return value is True or value == "true"
    if setting_type == "int":
        return _coerce_int(value)
    return value


def _coerce_int(value: Any) -> int | float:
    """Rocket.Chat's ``coerceInt``."""
    if isinstance(value, bool | list):
        return 0
    if isinstance(value, int | float):
        return value
    match = _INT_PREFIX.match(value)
    return int(match.group(1)) if match else 0


def _fits_options(name: str, setting_type: str, value: Any) -> bool:
    """A ``multiSelect`` takes only an array of its option keys."""
    if setting_type != "multiSelect":
        return True
    keys = [key for key, _ in _OPTIONS.get(name, ())]
    return isinstance(value, list) and all(item in keys for item in value)


def _identical(stored: Any, sent: Any) -> bool:
    """JavaScript ``stored === sent`` for JSON values (an array is never identical)."""
    return not isinstance(stored, list) and _js_type(stored) == _js_type(sent) and stored == sent


def _js_type(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "number"
    return type(value).__name__
