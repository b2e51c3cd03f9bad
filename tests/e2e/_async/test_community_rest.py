"""The rest of the community Omnichannel API end to end (issue #15): custom field definitions,
the analytics chart data and the legacy visitor-based ``omnichannel/contact``."""

from __future__ import annotations

import secrets

import pytest

from rocketchat_livechat import (
    AsyncLivechatClient,
    CustomFieldExistsError,
    CustomFieldNotFoundError,
    InvalidArgumentError,
    PermissionDeniedError,
)
from rocketchat_livechat.testing.plugin import LivechatTestServer

pytestmark = pytest.mark.e2e


async def test_custom_field_definitions(
    async_manager_client: AsyncLivechatClient, async_livechat_client: AsyncLivechatClient
) -> None:
    fields = async_manager_client.custom_fields
    field = f"plan_{secrets.token_hex(3)}"
    created = await fields.save_custom_field(
        field, "Plan", field_type="select", choices="free,pro", public=True, required=False
    )
    assert (created.id, created.label, created.options) == (field, "Plan", "free,pro")
    try:
        with pytest.raises(CustomFieldExistsError):
            await fields.save_custom_field(field, "Again")
        got = await fields.get_custom_field(field)
        assert got is not None and (got.scope, got.visibility, got.public) == (
            "visitor",
            "visible",
            True,
        )
        page = await fields.list_custom_fields(text=field.upper())
        assert [f.id for f in page.items] == [field] and page.total == 1
        # a public visitor field is what the widget offers
        config = await async_livechat_client.config.get_config()
        assert field in [f.id for f in config.custom_fields]

        updated = await fields.save_custom_field(
            field, "Tier", scope="room", visibility="hidden", update=True
        )
        assert (updated.id, updated.label) == (None, "Tier")  # no id when updating
        got = await fields.get_custom_field(field)
        assert got is not None and (got.label, got.scope, got.visibility) == (
            "Tier",
            "room",
            "hidden",
        )
    finally:
        await fields.delete_custom_field(field)
    assert await fields.get_custom_field(field) is None
    with pytest.raises(CustomFieldNotFoundError):
        await fields.delete_custom_field(field)
    with pytest.raises(CustomFieldNotFoundError):
        await fields.save_custom_field(field, "Ghost", update=True)


async def test_custom_field_arguments_and_permissions(
    async_manager_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    fields = async_manager_client.custom_fields
    with pytest.raises(InvalidArgumentError) as bad:
        await fields.save_custom_field("has space", "X")
    assert bad.value.argument == "field"
    with pytest.raises(InvalidArgumentError) as bad:
        await fields.save_custom_field("ok", "X", scope="everywhere")
    assert bad.value.argument == "scope"
    with pytest.raises(InvalidArgumentError) as bad:
        await fields.save_custom_field("ok", "X", regexp="(")
    assert bad.value.argument == "regexp"
    agent = livechat_server.create_agent()
    async with AsyncLivechatClient(
        livechat_server.url, user_id=agent.user_id, auth_token=agent.auth_token
    ) as as_agent:
        await as_agent.custom_fields.list_custom_fields()  # view-l-room: agents may read
        with pytest.raises(PermissionDeniedError):
            await as_agent.custom_fields.save_custom_field("agent_field", "X")
        with pytest.raises(PermissionDeniedError):
            await as_agent.custom_fields.delete_custom_field("agent_field")
