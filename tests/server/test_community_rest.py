"""The rest of the community Omnichannel API on the embedded server (exact Rocket.Chat answers):
``livechat/analytics/dashboards/charts-data`` and the legacy ``POST omnichannel/contact``.

Sources: ``apps/meteor/server/api/v1/omnichannel/dashboards.ts`` and ``contact.ts``,
``apps/meteor/server/services/omnichannel-analytics/service.ts`` / ``ChartData.ts``,
``apps/meteor/server/lib/omnichannel/contacts/registerContact.ts``.
"""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from _server_helpers import error, new_chat, new_token

from rocketchat_livechat.testing.plugin import Agent

pytestmark = pytest.mark.e2e

CHART = "livechat/analytics/dashboards/charts-data"


def test_chart_data_answers(http: httpx2.Client, admin: dict[str, str]) -> None:
    day = {"start": "2020-02-03", "end": "2020-02-03"}
    hourly = http.get(CHART, params={"chartName": "Avg_chat_duration", **day}, headers=admin)
    assert hourly.status_code == 200
    body = hourly.json()
    assert body["chartLabel"] == "Avg_chat_duration" and body["success"] is True
    assert body["dataLabels"][:2] == ["12AM-12AM", "1AM-1AM"] and body["dataLabels"][23] == (
        "11PM-11PM"
    )
    assert body["dataPoints"] == [0] * 24
    week = {"start": "2020-02-28", "end": "2020-03-02"}  # across a leap day
    daily = http.get(CHART, params={"chartName": "Total_messages", **week}, headers=admin).json()
    assert daily["dataLabels"] == ["2/28", "2/29", "3/1", "3/2"]
    unknown = http.get(CHART, params={"chartName": "Nope", **day}, headers=admin).json()
    assert unknown == {"chartLabel": "Nope", "dataLabels": [], "dataPoints": [], "success": True}


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({"start": "2020-01-01", "end": "2020-01-02"}, "must have required property 'chartName'"),
        (
            {"chartName": "Total_messages", "start": "2020-01-01", "end": "x", "x": "1"},
            "must NOT have additional properties",
        ),
    ],
)
def test_chart_data_refuses_bad_queries(
    http: httpx2.Client, admin: dict[str, str], params: dict[str, str], text: str
) -> None:
    body = error(http.get(CHART, params=params, headers=admin))
    assert body == {"success": False, "errorType": "error-invalid-params", "error": text}


def _contact(http: httpx2.Client, admin: dict[str, str], body: Any) -> httpx2.Response:
    return http.post("omnichannel/contact", json=body, headers=admin)


def test_legacy_contact_answers_the_visitor_id(
    http: httpx2.Client, admin: dict[str, str], agent: Agent
) -> None:
    token, room = new_chat(http)  # served by ``agent``
    response = _contact(http, admin, {"token": token, "name": "Carol", "_id": None})
    assert response.status_code == 200
    assert response.json() == {"contact": room["v"]["_id"], "success": True}


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ({}, "Match error: Missing key 'token'"),
        ({"token": "t"}, "Match error: Missing key 'name'"),
        ({"token": 1, "name": "x"}, "Match error: Expected string, got number in field token"),
        ({"token": "t", "name": "x", "extra": 1}, "Match error: Unknown key in field extra"),
        (
            {"token": "t", "name": "x", "contactManager": {"id": "u"}},
            "Match error: Failed Match.OneOf, Match.Maybe or Match.Optional validation in field "
            "contactManager",
        ),
    ],
)
def test_legacy_contact_runs_a_match_check(
    http: httpx2.Client, admin: dict[str, str], body: dict[str, Any], text: str
) -> None:
    assert error(_contact(http, admin, body)) == {"success": False, "error": text}


def test_legacy_contact_refusals(http: httpx2.Client, admin: dict[str, str]) -> None:
    assert error(_contact(http, admin, {"token": "", "name": "x"})) == {
        "success": False,
        "error": "Invalid visitor token [error-invalid-contact-data]",
        "errorType": "error-invalid-contact-data",
    }
    body = {"token": new_token(), "name": "x", "contactManager": {"username": "ghost"}}
    assert error(_contact(http, admin, body)) == {
        "success": False,
        "error": "No user found with username ghost [error-contact-manager-not-found]",
        "errorType": "error-contact-manager-not-found",
    }
