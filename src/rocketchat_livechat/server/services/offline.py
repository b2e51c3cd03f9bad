"""Offline messages (§3.19): the form a visitor fills in while no agent is online."""

from __future__ import annotations

import logging

from ..errors import PlainError
from ..state import ServerState
from ._constants import EMAIL_RE

log = logging.getLogger("rocketchat_livechat.server")

OFFLINE_ERROR = "Error sending Omnichannel offline message"


def destination(state: ServerState, department: str | None) -> str | None:
    """The department's e-mail address (by id or name), else ``Livechat_offline_email``."""
    if department:
        dept = state.store.departments.get(department) or state.store.departments.find_one(
            {"name": department}
        )
        if dept is not None and dept.get("email"):
            return str(dept["email"])
    address = str(state.settings["Livechat_offline_email"]).strip()
    return address if EMAIL_RE.match(address) else None


def send(state: ServerState, email: str, department: str | None) -> None:
    """Accept an offline message from ``email`` (logged: the embedded server sends no mail)."""
    to = destination(state, department)
    valid_email = bool(EMAIL_RE.match(email.strip()))
    if not state.settings["Livechat_display_offline_form"] or not valid_email or to is None:
        raise PlainError(OFFLINE_ERROR)
    log.info("offline message from %s to %s", email, to)
