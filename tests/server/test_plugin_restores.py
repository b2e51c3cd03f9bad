"""The pytest plugin's ``reset()`` undoes what a test defined, and only that."""

from __future__ import annotations

import pytest

from rocketchat_livechat.testing.plugin import LivechatTestServer

pytestmark = pytest.mark.e2e


def test_plugin_custom_fields_are_undone_after_the_test(
    livechat_server: LivechatTestServer,
) -> None:
    data = {"field": "tier", "label": "Tier", "scope": "room", "visibility": "hidden"}
    livechat_server._post("livechat/custom-fields.save", {"customFieldData": data})
    livechat_server.define_custom_field("tier")
    livechat_server.define_custom_field("plan", regexp="^p")
    livechat_server.define_custom_field("plan")  # redefined: updated in place
    livechat_server.reset()
    tier = livechat_server._get("livechat/custom-fields/tier")["customField"]
    assert (tier["label"], tier["scope"], tier["visibility"]) == ("Tier", "room", "hidden")
    assert livechat_server._get("livechat/custom-fields/plan")["customField"] is None
    livechat_server._post("livechat/custom-fields.remove", {"_id": "tier"})
