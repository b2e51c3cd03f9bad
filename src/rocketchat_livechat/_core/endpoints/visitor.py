"""Visitor registration, lookup, removal, status, custom fields and page visits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...errors import InvalidArgumentError
from ...models import CustomFieldResult, DeletedVisitor, PageVisit, Visitor, VisitorStatus
from .. import parsing
from .. import validation as v
from ..request import Call, Request, api_path, json_body

CustomFields = Mapping[str, str] | Sequence[Mapping[str, Any]]


def register_visitor(
    token: str,
    name: str | None = None,
    email: str | None = None,
    department: str | None = None,
    phone: str | None = None,
    username: str | None = None,
    custom_fields: CustomFields | None = None,
) -> Call[Visitor]:
    visitor = json_body(
        token=v.path_segment("token", token),  # it later travels in paths: refuse what can't
        name=v.optional_str("name", name),
        email=v.optional_str("email", email),
        department=v.optional_str("department", department),
        phone=v.optional_str("phone", phone),
        username=v.optional_str("username", username),
        customFields=None if custom_fields is None else custom_field_list(custom_fields),
    )
    request = Request(
        "POST", "livechat/visitor", "livechat/visitor", json={"visitor": visitor}, idempotent=True
    )
    return Call(request, parsing.under(Visitor, "visitor"))


def get_visitor(token: str) -> Call[Visitor]:
    route = "livechat/visitor/{token}"
    request = Request(
        "GET", route, api_path(route, token=v.path_segment("token", token)), idempotent=True
    )
    return Call(request, parsing.under(Visitor, "visitor"))


def delete_visitor(token: str) -> Call[DeletedVisitor]:
    route = "livechat/visitor/{token}"
    request = Request("DELETE", route, api_path(route, token=v.path_segment("token", token)))
    return Call(request, parsing.under(DeletedVisitor, "visitor"))


def set_visitor_status(token: str, status: str) -> Call[VisitorStatus]:
    body = {"token": v.required_str("token", token), "status": v.required_str("status", status)}
    request = Request(
        "POST", "livechat/visitor.status", "livechat/visitor.status", json=body, idempotent=True
    )
    return Call(request, parsing.whole(VisitorStatus))


def set_custom_field(
    token: str, key: str, value: str, overwrite: bool = True
) -> Call[CustomFieldResult]:
    body = {
        "token": v.required_str("token", token),
        "key": v.required_str("key", key),
        "value": _field_value("value", value),
        "overwrite": v.required_bool("overwrite", overwrite),
    }
    request = Request("POST", "livechat/custom.field", "livechat/custom.field", json=body)
    return Call(
        request, parsing.under(CustomFieldResult, "field"), empty_failure=_not_set(key, overwrite)
    )


def _not_set(key: str, overwrite: bool) -> str:
    """What Rocket.Chat's bare failure of ``custom.field`` means: nothing was written."""
    reason = "this value" if overwrite else "a value and overwrite=False"
    return (
        f"custom field {key!r} was not set: it already has {reason} "
        "(or, for a room-scope field, the visitor has no open room)"
    )


def set_custom_fields(token: str, fields: CustomFields) -> Call[list[CustomFieldResult]]:
    body = {
        "token": v.required_str("token", token),
        "customFields": custom_field_list(fields, "fields"),
    }
    request = Request("POST", "livechat/custom.fields", "livechat/custom.fields", json=body)
    return Call(request, parsing.list_under(CustomFieldResult, "fields"))


def send_page_visited(
    token: str, rid: str | None, page_info: Mapping[str, Any]
) -> Call[PageVisit | None]:
    """``None`` when the server did not record the visit (change type not monitored)."""
    body = json_body(
        token=v.required_str("token", token),
        rid=v.optional_str("rid", rid),
        pageInfo=_page_info(page_info),
    )
    request = Request("POST", "livechat/page.visited", "livechat/page.visited", json=body)
    return Call(request, parsing.optional_under(PageVisit, "page"))


def custom_field_list(fields: object, argument: str = "custom_fields") -> list[dict[str, Any]]:
    """``{key: value}`` or ``[{key, value, overwrite?}]`` → Rocket.Chat's list (overwrite: True).

    ``argument`` is the caller's parameter name, for error messages.
    """
    if isinstance(fields, Mapping):
        items: list[Mapping[str, Any]] = [{"key": k, "value": val} for k, val in fields.items()]
    elif isinstance(fields, Sequence) and not isinstance(fields, str | bytes | bytearray):
        items = list(fields)
    else:
        raise InvalidArgumentError(argument, "expected a dict or a list of {key, value}")
    if not items:
        raise InvalidArgumentError(argument, "must not be empty")
    return [_custom_field(f"{argument}[{i}]", item) for i, item in enumerate(items)]


def _custom_field(name: str, item: object) -> dict[str, Any]:
    if not isinstance(item, Mapping) or not {"key", "value"} <= item.keys():
        raise InvalidArgumentError(name, "expected a mapping with 'key' and 'value'")
    return {
        "key": v.required_str(f"{name}.key", item["key"]),
        "value": _field_value(f"{name}.value", item["value"]),
        "overwrite": v.required_bool(f"{name}.overwrite", item.get("overwrite", True)),
    }


def _field_value(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise InvalidArgumentError(name, f"expected a string, got {type(value).__name__}")
    return value


def _page_info(page_info: object) -> dict[str, Any]:
    """``{title, change?, location: {href}}`` (or ``href`` at the top level)."""
    info = v.optional_mapping("page_info", page_info)
    if info is None:
        raise InvalidArgumentError("page_info", "is required")
    location = info.get("location")
    href = location.get("href") if isinstance(location, Mapping) else info.get("href")
    return {
        "title": v.required_str("page_info.title", info.get("title")),
        "change": v.required_str("page_info.change", info.get("change", "url")),
        "location": {"href": v.required_str("page_info.location.href", href)},
    }
