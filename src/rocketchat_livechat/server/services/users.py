"""Users (agents, managers, admins, bots): creation, roles, presence and public views."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .. import auth
from ..errors import MeteorError
from ..ids import random_id
from ..state import ServerState
from ..store import Doc
from . import business_hours, departments, events

PRESENCE_STATUSES = ("online", "away", "busy", "offline")
_PUBLIC_FIELDS = (
    "_id",
    "type",
    "status",
    "active",
    "name",
    "username",
    "utcOffset",
    "roles",
    "emails",
    "statusLivechat",
    "statusConnection",
    "livechat",
    "createdAt",
    "_updatedAt",
)


def public_user(user: Doc, *, private: bool = True) -> Doc:
    """The user as REST returns it (no credentials; ``emails``/``roles`` only if ``private``)."""
    hidden = () if private else ("emails", "roles")
    return {k: user[k] for k in _PUBLIC_FIELDS if k in user and k not in hidden}


def find_user(state: ServerState, id_or_username: str) -> Doc | None:
    """A user by ``_id`` or ``username``."""
    return state.store.users.get(id_or_username) or state.store.users.find_one(
        {"username": id_or_username}
    )


def find_by_login(state: ServerState, login: str) -> Doc | None:
    """A user by username or (case-insensitive) e-mail address."""
    user = state.store.users.find_one({"username": login})
    if user is not None:
        return user
    lowered = login.lower()
    for candidate in state.store.users.find():
        if any(e.get("address", "").lower() == lowered for e in candidate.get("emails", [])):
            return candidate
    return None


def create_user(
    state: ServerState,
    *,
    username: str,
    password: str | None,
    email: str | None = None,
    name: str | None = None,
    roles: Iterable[str] = ("user",),
    active: bool = True,
    user_type: str = "user",
) -> Doc:
    """Insert a user; refuses a taken username or e-mail like ``insertOrUpdateUser``."""
    if not re.fullmatch(r"[0-9a-zA-Z\-_.]+", username):
        raise MeteorError(
            "error-input-is-not-a-valid-field",
            f"{username} is not a valid username",
            {"method": "insertOrUpdateUser", "input": username, "field": "Username"},
        )
    if state.store.users.find_one({"username": username}) is not None:
        raise MeteorError(
            "error-field-unavailable",
            f"{username} is already in use :(",
            {"method": "insertOrUpdateUser", "field": username},
        )
    if email and find_by_login(state, email) is not None:
        raise MeteorError(
            "error-field-unavailable",
            f"{email} is already in use :(",
            {"method": "insertOrUpdateUser", "field": email},
        )
    now = state.now()
    roles = list(dict.fromkeys(roles))
    if user_type == "user" and "admin" not in roles and not _has_admin(state):
        roles.append("admin")  # the first user of a fresh server (``insertUserDoc``)
    user: Doc = {
        "_id": random_id(),
        "createdAt": now,
        "_updatedAt": now,
        "username": username,
        "name": name or username,
        "type": user_type,
        "status": "offline",
        "statusConnection": "offline",
        "active": active,
        "roles": roles,
        "utcOffset": 0,
        "emails": [{"address": email.lower(), "verified": False}] if email else [],
        "services": {"password": {"pbkdf2": auth.hash_password(password)}} if password else {},
    }
    if "livechat-agent" in roles:
        user.update(_agent_fields())
        user.update(business_hours.new_agent_fields(state))
    return state.store.users.insert(user)


def _has_admin(state: ServerState) -> bool:
    """``Users.findOneByRolesAndType('admin', 'user')``."""
    return state.store.users.find_one({"roles": "admin", "type": "user"}) is not None


def _agent_fields() -> Doc:
    return {"statusLivechat": "available", "livechat": {}, "operator": True, "livechatCount": 0}


def add_role(state: ServerState, user: Doc, role: str) -> Doc:
    """Give ``role``; becoming ``livechat-agent`` makes the user available for livechat."""
    update: dict[str, Any] = {"$set": {"_updatedAt": state.now()}}
    if role not in user.get("roles", []):
        update["$push"] = {"roles": role}
    if role == "livechat-agent":
        fields = _agent_fields()
        fields.pop("livechatCount")
        update["$set"].update(fields)
        update["$set"].update(business_hours.new_agent_fields(state))  # onNewAgentCreated
    result = state.store.users.update(user["_id"], update)
    assert result is not None
    return result


def remove_role(state: ServerState, user: Doc, role: str) -> bool:
    """Remove ``role``; returns whether the user had it. Agents leave their departments."""
    if role not in user.get("roles", []):
        return False
    update: dict[str, Any] = {"$pull": {"roles": role}, "$set": {"_updatedAt": state.now()}}
    if role == "livechat-agent":
        update["$unset"] = {"statusLivechat": 1, "operator": 1}
        state.store.department_agents.delete_many({"agentId": user["_id"]})
    state.store.users.update(user["_id"], update)
    return True


def agent_info(state: ServerState, agent: Doc) -> Doc:
    """Rocket.Chat's ``normalizeAgent``: what visitors see of an agent."""
    if not state.settings["Livechat_show_agent_info"]:
        return {"hiddenInfo": True}
    info: Doc = {
        "_id": agent["_id"],
        "username": agent["username"],
        "name": agent.get("name"),
        "status": agent.get("status", "offline"),
    }
    for key in ("phone", "livechat"):
        if key in agent:
            info[key] = agent[key]
    if state.settings["Livechat_show_agent_email"] and agent.get("emails"):
        info["emails"] = agent["emails"]
    return info


def set_presence(state: ServerState, user_id: str, status: str) -> Doc | None:
    """Set a user's presence (``online``/``away``/``busy``/``offline``).

    Called by the DDP layer on login/logout and by ``users.setStatus``. Rooms the user
    serves get an ``agentStatus`` event when the status changed.
    """
    if status not in PRESENCE_STATUSES:
        raise ValueError(f"invalid presence status {status!r}")
    before = state.store.users.get(user_id)
    if before is None:
        return None
    connection = "offline" if status == "offline" else "online"
    user = state.store.users.update(
        user_id,
        {"$set": {"status": status, "statusConnection": connection, "_updatedAt": state.now()}},
    )
    changed = user is not None and before.get("status") != status
    if changed and state.settings["Livechat_show_agent_info"]:
        for room in state.store.rooms.find({"servedBy._id": user_id, "open": True}):
            events.agent_status(state, room["_id"], status)
    return user


def is_agent(user: Doc | None) -> bool:
    """Whether the user has the ``livechat-agent`` role."""
    return user is not None and "livechat-agent" in user.get("roles", [])


def delete_user(state: ServerState, user_id: str) -> None:
    """Delete a user with its login tokens and department memberships."""
    store = state.store
    with store.transaction():
        store.users.delete(user_id)
        auth.remove_user_tokens(store, user_id)
        store.department_agents.delete_many({"agentId": user_id})


def set_status_text(state: ServerState, user_id: str, text: Any) -> None:
    """Set a user's status message (``users.setStatus`` ``message``)."""
    state.store.users.update(user_id, {"$set": {"statusText": text}})


def set_livechat_status(state: ServerState, agent_id: str, status: str) -> None:
    """Set an agent's routing status (``available`` / ``not-available``)."""
    state.store.users.update(agent_id, {"$set": {"statusLivechat": status}})


def requested_livechat_status(agent: Doc, status: str | None) -> str:
    """The status asked for, or the other one when none is given (a toggle)."""
    current = agent.get("statusLivechat")
    return status or ("not-available" if current == "available" else "available")


def log_in(state: ServerState, user_id: str) -> str:
    """A new login token for the user."""
    return auth.create_login_token(state.store, user_id, state.now())


def log_out(state: ServerState, token: str) -> None:
    """Forget a login token."""
    auth.remove_login_token(state.store, token)


def find_by_token(state: ServerState, token: str) -> Doc | None:
    """The user owning a login (resume) token."""
    return auth.user_by_token(state.store, token)


def save_agent_info(
    state: ServerState, agent_id: str, agent_data: dict[str, Any], department_ids: list[str]
) -> None:
    """``saveAgentInfo`` (``lib/omnichannel``): ``livechat`` = ``agent_data`` less empty values
    (``removeEmpty``), then the agent's departments set to ``department_ids``."""
    data = {k: v for k, v in agent_data.items() if v is not None and v != ""}
    with state.store.transaction():
        state.store.users.update(agent_id, {"$set": {"livechat": data}})
        departments.set_agent_departments(state, agent_id, department_ids)
