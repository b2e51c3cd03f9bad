"""Visitor room lifecycle (open, close, survey, upload, transfer, transcript) and the agent side."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ...errors import InvalidArgumentError
from ...models import ClosedRoom, Page, Room, RoomResult, SurveyResult, UploadedMessage
from .. import parsing
from .. import validation as v
from ..request import Call, Request, Upload, api_path, json_body, query_params
from ..uploads import FileInput, Progress, UploadSource

SurveyData = Mapping[str, str | int] | Sequence[Mapping[str, Any]]

# Rocket.Chat 8.0 replaced livechat/room.transfer with livechat/visitor/department.transfer.
DEPARTMENT_TRANSFER_SINCE = (8, 0)


def get_room(token: str, rid: str | None = None, agent_id: str | None = None) -> Call[RoomResult]:
    params = query_params(
        {
            "token": v.required_str("token", token),
            "rid": v.optional_str("rid", rid),
            "agentId": v.optional_str("agent_id", agent_id),
        }
    )
    # get-or-create: repeating it returns the same open room, so it is safe to retry
    request = Request("GET", "livechat/room", "livechat/room", params=params, idempotent=True)
    return Call(request, parsing.whole(RoomResult))


def close_room(rid: str, token: str) -> Call[ClosedRoom]:
    body = {"token": v.required_str("token", token), "rid": v.required_str("rid", rid)}
    request = Request("POST", "livechat/room.close", "livechat/room.close", json=body)
    return Call(request, parsing.whole(ClosedRoom))


def submit_survey(rid: str, token: str, data: SurveyData) -> Call[SurveyResult]:
    body = {
        "token": v.required_str("token", token),
        "rid": v.required_str("rid", rid),
        "data": survey_items(data),
    }
    request = Request(
        "POST", "livechat/room.survey", "livechat/room.survey", json=body, idempotent=True
    )
    return Call(request, parsing.whole(SurveyResult))


def upload_file(
    rid: str,
    file: FileInput,
    token: str,
    description: str | None = None,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    progress: Progress | None = None,
) -> Call[UploadedMessage]:
    route = "livechat/upload/{rid}"
    token = v.header_value("token", token)  # it travels in the x-visitor-token header
    source = UploadSource(
        file,
        filename=v.optional_str("filename", filename),
        content_type=None if content_type is None else v.header_value("content_type", content_type),
    )
    upload = Upload(
        source, json_body(description=v.optional_str("description", description)), progress
    )
    request = Request(
        "POST",
        route,
        api_path(route, rid=v.path_segment("rid", rid)),
        headers={"x-visitor-token": token},
        upload=upload,
    )
    return Call(request, parsing.whole(UploadedMessage))


def transfer_room(
    rid: str, token: str, department: str
) -> Callable[[tuple[int, ...]], Call[Room | None]]:
    """The visitor moves the chat to ``department``.

    The arguments are checked at once; the returned function builds the call for the server's
    version, since the route moved in 8.0 (so no version lookup happens for invalid arguments).
    """
    body = {
        "token": v.required_str("token", token),
        "rid": v.required_str("rid", rid),
        "department": v.required_str("department", department),
    }

    def for_version(server_version: tuple[int, ...]) -> Call[Room | None]:
        route = (
            "livechat/visitor/department.transfer"
            if server_version >= DEPARTMENT_TRANSFER_SINCE
            else "livechat/room.transfer"
        )
        return Call(Request("POST", route, route, json=body), parsing.optional_under(Room, "room"))

    return for_version


def request_transcript(rid: str, token: str, email: str) -> Call[str]:
    body = {
        "token": v.required_str("token", token),
        "rid": v.required_str("rid", rid),
        "email": v.required_str("email", email),
    }
    request = Request("POST", "livechat/transcript", "livechat/transcript", json=body)
    return Call(request, parsing.value_under("message"))


def list_rooms(
    agents: Sequence[str] | None = None,
    department_id: str | None = None,
    open: bool | None = None,
    created_at: Mapping[str, Any] | None = None,
    closed_at: Mapping[str, Any] | None = None,
    tags: Sequence[str] | None = None,
    custom_fields: Mapping[str, str] | None = None,
    offset: int | None = None,
    count: int | None = None,
    sort: Mapping[str, int] | None = None,
) -> Call[Page[Room]]:
    params = query_params(
        {
            "agents": v.optional_str_list("agents", agents),
            "departmentId": v.optional_str("department_id", department_id),
            "open": v.optional_bool("open", open),
            "createdAt": _date_range("created_at", created_at),
            "closedAt": _date_range("closed_at", closed_at),
            "tags": v.optional_str_list("tags", tags),
            "customFields": _json_param("custom_fields", custom_fields),
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
            "sort": _json_param("sort", sort),
        }
    )
    request = Request(
        "GET", "livechat/rooms", "livechat/rooms", params=params, auth="user", idempotent=True
    )
    return Call(request, parsing.page_under(Room, "rooms"))


def close_room_by_user(
    rid: str, comment: str | None = None, tags: Sequence[str] | None = None
) -> Call[None]:
    body = json_body(
        rid=v.required_str("rid", rid),
        comment=v.optional_str("comment", comment),
        tags=v.optional_str_list("tags", tags),
    )
    request = Request(
        "POST", "livechat/room.closeByUser", "livechat/room.closeByUser", json=body, auth="user"
    )
    return Call(request, parsing.nothing)


def survey_items(data: object) -> list[dict[str, str]]:
    """``{name: value}`` or ``[{name, value}]`` → Rocket.Chat's list; values may be ints."""
    if isinstance(data, Mapping):
        items: list[Any] = [{"name": k, "value": val} for k, val in data.items()]
    elif isinstance(data, Sequence) and not isinstance(data, str):
        items = list(data)
    else:
        raise InvalidArgumentError("data", "expected a dict or a list of {name, value}")
    if not items:
        raise InvalidArgumentError("data", "must not be empty")
    result = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping) or not {"name", "value"} <= item.keys():
            raise InvalidArgumentError(f"data[{i}]", "expected a mapping with 'name' and 'value'")
        value = item["value"]
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        result.append(
            {
                "name": v.required_str(f"data[{i}].name", item["name"]),
                "value": v.required_str(f"data[{i}].value", value),
            }
        )
    return result


def _date_range(name: str, value: object) -> str | None:
    """``{"start": date, "end": date}`` (datetimes or ISO strings) as Rocket.Chat's JSON string."""
    mapping = v.optional_mapping(name, value)
    if mapping is None:
        return None
    unknown = set(mapping) - {"start", "end"}
    if unknown or not mapping:
        raise InvalidArgumentError(name, "expected a mapping with 'start' and/or 'end'")
    return json.dumps({k: v.optional_timestamp(f"{name}.{k}", val) for k, val in mapping.items()})


def _json_param(name: str, value: object) -> str | None:
    mapping = v.optional_mapping(name, value)
    return None if mapping is None else json.dumps(dict(mapping), separators=(",", ":"))
