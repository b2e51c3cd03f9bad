"""Custom field definitions (the fields an admin defines; visitors' values: ``client.visitor``).

Source: ``apps/meteor/server/api/v1/omnichannel/customField.ts`` (list and get need
``view-l-room``; save and delete ``view-livechat-manager``) and rest-typings'
``isLivechatCustomFieldsProps``, ``isPOSTLivechatSaveCustomFieldsParams`` and
``isPOSTLivechatRemoveCustomFields``. ``custom-fields.save`` and ``custom-fields.delete`` are the
REST replacements (Rocket.Chat 7.11+/8.x) of the removed ``livechat:saveCustomField`` and
``livechat:removeCustomField`` methods; older servers answer them 404.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Unpack

from ...errors import InvalidArgumentError
from .. import parsing
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ..lazy import lazy_model
from ._samples import page

if TYPE_CHECKING:
    from ...models import CustomFieldDefinition
else:
    CustomFieldDefinition = lazy_model("CustomFieldDefinition")

SCOPES = ("visitor", "room")
#: ``customFieldData.field``'s pattern in ``isPOSTLivechatSaveCustomFieldsParams``
_FIELD_ID = re.compile(r"^[0-9a-zA-Z_-]+$")

CUSTOM_FIELD: dict[str, Any] = {
    "_id": "plan",
    "label": "Plan",
    "scope": "visitor",
    "visibility": "visible",
    "type": "select",
    "options": "free,pro",
    "required": False,
    "public": True,
    "searchable": True,
    "_updatedAt": "2024-10-15T02:52:42.123Z",
}


@endpoint(
    "GET",
    "livechat/custom-fields",
    parse=parsing.page_under(CustomFieldDefinition, "customFields"),
    auth="user",
    idempotent=True,
    schema="isLivechatCustomFieldsProps",
    samples=[
        Sample(response=page("customFields", CUSTOM_FIELD)),
        Sample(
            kwargs={"text": "pla", "offset": 0, "count": 5, "sort": {"label": -1}},
            response=page("customFields"),
        ),
    ],
)
def list_custom_fields(
    *,
    text: str | None = None,
    offset: int | None = None,
    count: int | None = None,
    sort: Mapping[str, int] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of the custom field definitions whose id or label contains ``text`` (any
    case), by label unless ``sort``."""
    return Parts(
        params={
            "text": v.optional_str("text", text),
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
            "sort": v.optional_json("sort", sort),
        }
    )


@endpoint(
    "GET",
    "livechat/custom-fields/{field_id}",
    parse=parsing.optional_under(CustomFieldDefinition, "customField"),
    auth="user",
    idempotent=True,
    samples=[Sample(("plan",), response={"customField": CUSTOM_FIELD}), Sample(("nope",))],
)
def get_custom_field(field_id: str, **options: Unpack[CallOptions]) -> Parts:
    """One definition; ``None`` when there is none with this id."""
    return Parts(path={"field_id": v.path_segment("field_id", field_id)})


@endpoint(
    "POST",
    "livechat/custom-fields.save",
    parse=parsing.under(CustomFieldDefinition, "customField"),
    auth="user",
    schema="isPOSTLivechatSaveCustomFieldsParams",
    samples=[
        Sample(("plan", "Plan"), response={"customField": CUSTOM_FIELD}),
        Sample(
            ("plan", "Plan"),
            {
                "scope": "room",
                "visibility": "hidden",
                "field_type": "select",
                "regexp": "^(free|pro)$",
                "required": True,
                "default_value": "free",
                "choices": "free,pro",
                "public": False,
                "searchable": False,
                "update": True,
            },
            response={"customField": {"label": "Plan", "scope": "room", "visibility": "hidden"}},
        ),
    ],
)
def save_custom_field(
    field: str,
    label: str,
    *,
    scope: str = "visitor",
    visibility: str = "visible",
    field_type: str | None = None,
    regexp: str | None = None,
    required: bool | None = None,
    default_value: str | None = None,
    choices: str | None = None,
    public: bool | None = None,
    searchable: bool | None = None,
    update: bool = False,
    **options: Unpack[CallOptions],
) -> Parts:
    """Create the definition ``field`` (its id: letters, digits, ``_``, ``-``), or with
    ``update=True`` replace the existing one's attributes. ``scope``: ``visitor`` or ``room``;
    ``field_type``: ``input`` or ``select`` (``choices``: comma-separated, sent as ``options``);
    ``public`` fields are offered by the widget. The answer is the stored record (Rocket.Chat
    includes the id only on creation). Refusals:
    :class:`~rocketchat_livechat.errors.CustomFieldExistsError` (creating an existing id),
    :class:`~rocketchat_livechat.errors.CustomFieldNotFoundError` (updating an unknown one)."""
    data: dict[str, Any] = {
        "field": _field_id(field),
        "label": v.required_str("label", label),
        "scope": v.one_of("scope", scope, SCOPES),
        "visibility": v.required_str("visibility", visibility),
    }
    extras = {
        "type": v.optional_str("field_type", field_type),
        "regexp": _optional_regexp(regexp),
        "required": v.optional_bool("required", required),
        "defaultValue": _optional_text("default_value", default_value),
        "options": _optional_text("choices", choices),
        "public": v.optional_bool("public", public),
        "searchable": v.optional_bool("searchable", searchable),
    }
    data.update({k: value for k, value in extras.items() if value is not None})
    body: dict[str, Any] = {"customFieldData": data}
    if v.required_bool("update", update):
        body["customFieldId"] = data["field"]
    return Parts(json=body)


@endpoint(
    "POST",
    "livechat/custom-fields.delete",
    parse=parsing.nothing,
    auth="user",
    schema="isPOSTLivechatRemoveCustomFields",
    samples=[Sample(("plan",))],
)
def delete_custom_field(field_id: str, **options: Unpack[CallOptions]) -> Parts:
    """Delete a definition (visitors' and rooms' stored values stay). An unknown id:
    :class:`~rocketchat_livechat.errors.CustomFieldNotFoundError`."""
    return Parts(json={"customFieldId": v.required_str("field_id", field_id)})


def _field_id(value: object) -> str:
    text = v.required_str("field", value)
    if not _FIELD_ID.match(text):
        raise InvalidArgumentError("field", "only letters, digits, '_' and '-' are allowed")
    return text


def _optional_text(name: str, value: object) -> str | None:
    """``None`` or a string (empty allowed: it clears the attribute)."""
    if value is None or isinstance(value, str):
        return value
    raise InvalidArgumentError(name, f"expected a string, got {type(value).__name__}")


def _optional_regexp(value: object) -> str | None:
    """A pattern Rocket.Chat compiles with ``new RegExp`` (checked here with Python's ``re``)."""
    text = _optional_text("regexp", value)
    if text:
        try:
            re.compile(text)
        except re.error as exc:
            raise InvalidArgumentError("regexp", f"not a valid regular expression: {exc}") from None
    return text
