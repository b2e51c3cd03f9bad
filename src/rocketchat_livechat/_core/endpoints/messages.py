"""Visitor messages (send, get, edit, delete, history), offline messages and agent replies."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ...errors import InvalidArgumentError
from ...models import DeletedMessage, Message
from .. import parsing
from .. import validation as v
from ..ids import new_message_id
from ..request import Call, Request, api_path, json_body, query_params


def send_message(
    token: str,
    rid: str,
    msg: str,
    message_id: str | None = None,
    agent: Mapping[str, str] | None = None,
) -> Call[Message]:
    """Always carries an ``_id`` (generated when not given), so a retry can never duplicate it."""
    message_id = v.optional_str("message_id", message_id) or new_message_id()
    body = json_body(
        token=v.required_str("token", token),
        rid=v.required_str("rid", rid),
        msg=v.required_str("msg", msg),
        _id=message_id,
        agent=_agent(agent),
    )
    request = Request("POST", "livechat/message", "livechat/message", json=body, idempotent=True)
    return Call(
        request,
        parsing.under(Message, "message"),
        recover=lambda: get_message(message_id, token, rid),
    )


def get_message(message_id: str, token: str, rid: str) -> Call[Message]:
    route = "livechat/message/{message_id}"
    params = query_params(
        {"token": v.required_str("token", token), "rid": v.required_str("rid", rid)}
    )
    path = api_path(route, message_id=v.path_segment("message_id", message_id))
    return Call(
        Request("GET", route, path, params=params, idempotent=True),
        parsing.under(Message, "message"),
    )


def update_message(message_id: str, token: str, rid: str, msg: str) -> Call[Message]:
    route = "livechat/message/{message_id}"
    body = {
        "token": v.required_str("token", token),
        "rid": v.required_str("rid", rid),
        "msg": v.required_str("msg", msg),
    }
    path = api_path(route, message_id=v.path_segment("message_id", message_id))
    return Call(
        Request("PUT", route, path, json=body, idempotent=True), parsing.under(Message, "message")
    )


def delete_message(message_id: str, token: str, rid: str) -> Call[DeletedMessage]:
    route = "livechat/message/{message_id}"
    # DELETE reads its parameters from the JSON body, not the query (rocketchat-api.md §1.1)
    body = {"token": v.required_str("token", token), "rid": v.required_str("rid", rid)}
    path = api_path(route, message_id=v.path_segment("message_id", message_id))
    return Call(Request("DELETE", route, path, json=body), parsing.under(DeletedMessage, "message"))


def get_message_history(
    rid: str,
    token: str,
    ls: str | datetime | None = None,
    end: str | datetime | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> Call[list[Message]]:
    """Newest first; ``end`` keeps only messages strictly older than it."""
    route = "livechat/messages.history/{rid}"
    params = query_params(
        {
            "token": v.required_str("token", token),
            "ls": v.optional_timestamp("ls", ls),
            "end": v.optional_timestamp("end", end),
            "limit": v.optional_int("limit", limit, minimum=1),
            "offset": v.optional_int("offset", offset),
        }
    )
    path = api_path(route, rid=v.path_segment("rid", rid))
    request = Request("GET", route, path, params=params, idempotent=True)
    return Call(request, parsing.list_under(Message, "messages"))


def send_offline_message(
    name: str, email: str, message: str, department: str | None = None, host: str | None = None
) -> Call[str]:
    body = json_body(
        name=v.required_str("name", name),
        email=v.required_str("email", email),
        message=v.required_str("message", message),
        department=v.optional_str("department", department),
        host=v.optional_str("host", host),
    )
    request = Request("POST", "livechat/offline.message", "livechat/offline.message", json=body)
    return Call(request, parsing.value_under("message"))


def send_agent_message(rid: str, msg: str, message_id: str | None = None) -> Call[Message]:
    """An agent's reply (``chat.sendMessage``), made idempotent by its ``_id``."""
    message_id = v.optional_str("message_id", message_id) or new_message_id()
    body = {
        "message": {
            "rid": v.required_str("rid", rid),
            "msg": v.required_str("msg", msg),
            "_id": message_id,
        }
    }
    request = Request(
        "POST", "chat.sendMessage", "chat.sendMessage", json=body, auth="user", idempotent=True
    )
    lookup = Request(
        "GET",
        "chat.getMessage",
        "chat.getMessage",
        params=[("msgId", message_id)],
        auth="user",
        idempotent=True,
    )
    parse = parsing.under(Message, "message")
    return Call(request, parse, recover=lambda: Call(lookup, parse))


def _agent(agent: object) -> dict[str, str] | None:
    mapping = v.optional_mapping("agent", agent)
    if mapping is None:
        return None
    if set(mapping) != {"agentId", "username"}:
        raise InvalidArgumentError("agent", "expected exactly {'agentId': ..., 'username': ...}")
    return {k: v.required_str(f"agent.{k}", mapping[k]) for k in ("agentId", "username")}
