"""``GET livechat/config``."""

from __future__ import annotations

from ...models import LivechatConfig
from .. import parsing
from .. import validation as v
from ..request import Call, Request, query_params


def get_config(token: str | None = None, department: str | None = None) -> Call[LivechatConfig]:
    params = query_params(
        {
            "token": v.optional_str("token", token),
            "department": v.optional_str("department", department),
        }
    )
    request = Request("GET", "livechat/config", "livechat/config", params=params, idempotent=True)
    return Call(request, parsing.under(LivechatConfig, "config"))
