"""Visitor registration, lookup, removal, status, custom fields and page visits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from ...errors import InvalidArgumentError
from .. import parsing
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ..lazy import lazy_model
from ..request import json_body
from ._samples import RID, TOKEN, VISITOR

if TYPE_CHECKING:
    from ...models import CustomFieldResult, DeletedVisitor, PageVisit, Visitor, VisitorStatus
else:
    CustomFieldResult = lazy_model("CustomFieldResult")
    DeletedVisitor = lazy_model("DeletedVisitor")
    PageVisit = lazy_model("PageVisit")
    Visitor = lazy_model("Visitor")
    VisitorStatus = lazy_model("VisitorStatus")

CustomFields = Mapping[str, str] | Sequence[Mapping[str, Any]]
_VISITOR = parsing.under(Visitor, "visitor")
_PAGE = {"title": "Pricing", "location": {"href": "https://example.com/pricing"}}


@endpoint(
    "POST",
    "livechat/visitor",
    parse=_VISITOR,
    idempotent=True,
    samples=[
        Sample((TOKEN,), response={"visitor": VISITOR}),
        Sample(
            (TOKEN,),
            {
                "name": "Alice",
                "email": "alice@example.com",
                "department": "dep-1",
                "phone": "+15550100",
                "username": "alice",
                "custom_fields": {"plan": "pro"},
            },
            response={"visitor": VISITOR},
        ),
    ],
)
def register_visitor(
    token: str,
    *,
    name: str | None = None,
    email: str | None = None,
    department: str | None = None,
    phone: str | None = None,
    username: str | None = None,
    custom_fields: CustomFields | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Register (or update) the visitor with ``token``. Rocket.Chat may answer with an existing
    visitor's token: use the returned ``visitor.token`` from then on."""
    visitor = json_body(
        token=v.path_segment("token", token),  # it later travels in paths: refuse what can't
        name=v.optional_str("name", name),
        email=v.optional_str("email", email),
        department=v.optional_str("department", department),
        phone=v.optional_str("phone", phone),
        username=v.optional_str("username", username),
        customFields=None if custom_fields is None else custom_field_list(custom_fields),
    )
    return Parts(json={"visitor": visitor})


@endpoint(
    "GET",
    "livechat/visitor/{token}",
    parse=_VISITOR,
    secret=("token",),
    idempotent=True,
    samples=[Sample((TOKEN,), response={"visitor": VISITOR})],
)
def get_visitor(token: str, **options: Unpack[CallOptions]) -> Parts:
    """The visitor registered with ``token``."""
    return Parts(path={"token": v.path_segment("token", token)})


@endpoint(
    "DELETE",
    "livechat/visitor/{token}",
    parse=parsing.under(DeletedVisitor, "visitor"),
    secret=("token",),
    samples=[Sample((TOKEN,), response={"visitor": {"_id": "v1", "ts": "2024-10-15T02:52:42Z"}})],
)
def delete_visitor(token: str, **options: Unpack[CallOptions]) -> Parts:
    """Remove the visitor and its data (refused while the visitor has open rooms)."""
    return Parts(path={"token": v.path_segment("token", token)})


@endpoint(
    "POST",
    "livechat/visitor.status",
    parse=parsing.whole(VisitorStatus),
    idempotent=True,
    schema="isLivechatVisitorStatusProps",
    samples=[Sample((TOKEN, "away"), response={"token": TOKEN, "status": "away"})],
)
def set_visitor_status(token: str, status: str, **options: Unpack[CallOptions]) -> Parts:
    """Set the visitor's presence (``online``, ``away``, ``offline``, ...)."""
    return Parts(
        json={"token": v.required_str("token", token), "status": v.required_str("status", status)}
    )


@endpoint(
    "POST",
    "livechat/custom.field",
    parse=parsing.under(CustomFieldResult, "field"),
    schema="isPOSTLivechatCustomFieldParams",
    samples=[
        Sample((TOKEN, "plan", "pro"), response={"field": {"key": "plan", "value": "pro"}}),
        Sample(
            (TOKEN, "plan", "pro"),
            {"overwrite": False},
            response={"field": {"key": "plan", "value": "pro"}},
        ),
    ],
)
def set_custom_field(
    token: str, key: str, value: str, *, overwrite: bool = True, **options: Unpack[CallOptions]
) -> Parts:
    """Set one custom field of the visitor (defined by an admin in Rocket.Chat)."""
    return Parts(
        json={
            "token": v.required_str("token", token),
            "key": v.required_str("key", key),
            "value": _field_value("value", value),
            "overwrite": v.required_bool("overwrite", overwrite),
        },
        empty_failure=_not_set(key, overwrite),
    )


def _not_set(key: str, overwrite: bool) -> str:
    """What Rocket.Chat's bare failure of ``custom.field`` means: nothing was written."""
    reason = "this value" if overwrite else "a value and overwrite=False"
    return (
        f"custom field {key!r} was not set: it already has {reason} "
        "(or, for a room-scope field, the visitor has no open room)"
    )


@endpoint(
    "POST",
    "livechat/custom.fields",
    parse=parsing.list_under(CustomFieldResult, "fields"),
    schema="isPOSTLivechatCustomFieldsParams",
    samples=[
        Sample((TOKEN, {"plan": "pro"}), response={"fields": [{"Key": "plan", "value": "pro"}]}),
        Sample(
            (TOKEN, [{"key": "plan", "value": "pro", "overwrite": False}]),
            response={"fields": []},
        ),
    ],
)
def set_custom_fields(token: str, fields: CustomFields, **options: Unpack[CallOptions]) -> Parts:
    """Set several custom fields: ``{key: value}`` or ``[{key, value, overwrite?}]``."""
    return Parts(
        json={
            "token": v.required_str("token", token),
            "customFields": custom_field_list(fields, "fields"),
        }
    )


@endpoint(
    "POST",
    "livechat/page.visited",
    parse=parsing.optional_under(PageVisit, "page"),
    schema="isPOSTLivechatPageVisitedParams",
    samples=[
        Sample((TOKEN, RID, _PAGE), response={"page": {"msg": "Pricing"}}),
        Sample((TOKEN, None, _PAGE), response={"page": None}),
    ],
)
def send_page_visited(
    token: str, rid: str | None, page_info: Mapping[str, Any], **options: Unpack[CallOptions]
) -> Parts:
    """Record a page the visitor opened; ``None`` when the server did not record it."""
    return Parts(
        json=json_body(
            token=v.required_str("token", token),
            rid=v.optional_str("rid", rid),
            pageInfo=_page_info(page_info),
        )
    )


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
