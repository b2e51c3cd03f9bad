"""``GET livechat/config``."""

from __future__ import annotations

from typing import Unpack

from ...models import LivechatConfig
from .. import parsing
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ._samples import TOKEN


@endpoint(
    "GET",
    "livechat/config",
    parse=parsing.under(LivechatConfig, "config"),
    idempotent=True,
    schema="isGETLivechatConfigParams",
    samples=[
        Sample(response={"config": {"enabled": True, "online": False}}),
        Sample(kwargs={"token": TOKEN, "department": "dep-1"}, response={"config": {}}),
    ],
)
def get_config(
    *,
    token: str | None = None,
    department: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """The widget configuration; with ``token``, also the visitor, its open room and agent."""
    return Parts(
        params={
            "token": v.optional_str("token", token),
            "department": v.optional_str("department", department),
        }
    )
