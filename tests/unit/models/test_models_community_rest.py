"""Custom field definitions and the analytics chart data (shapes from Rocket.Chat's source:
``LivechatCustomField.createOrUpdateCustomField`` and ``getAnalyticsChartData``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from rocketchat_livechat.models import ChartData, CustomFieldDefinition

RoundTrip = Callable[[BaseModel, dict[str, Any]], None]

DEFINITION = {
    "_id": "plan",
    "label": "Plan",
    "scope": "visitor",
    "visibility": "visible",
    "type": "select",
    "regexp": "",
    "required": False,
    "defaultValue": "free",
    "options": "free,pro",
    "public": True,
    "searchable": True,
    "_updatedAt": "2024-10-15T02:52:42.123Z",
}


def test_custom_field_definition_round_trips(round_trip: RoundTrip) -> None:
    field = CustomFieldDefinition.model_validate(DEFINITION)
    assert (field.id, field.default_value, field.options) == ("plan", "free", "free,pro")
    assert field.updated_at == datetime(2024, 10, 15, 2, 52, 42, 123000, tzinfo=UTC)
    round_trip(field, DEFINITION)


def test_an_updated_definition_has_no_id() -> None:
    """``custom-fields.save`` answers the stored attributes; ``_id`` only on creation."""
    saved = CustomFieldDefinition.model_validate({"label": "Tier", "scope": "room"})
    assert (saved.id, saved.label) == (None, "Tier")


def test_chart_data(round_trip: RoundTrip) -> None:
    payload = {
        "chartLabel": "Avg_chat_duration",
        "dataLabels": ["10/1", "10/2"],
        "dataPoints": [12.5, 0],
    }
    chart = ChartData.model_validate(payload)
    assert (chart.chart_label, chart.data_labels, chart.data_points) == (
        "Avg_chat_duration",
        ["10/1", "10/2"],
        [12.5, 0],
    )
    round_trip(chart, payload)
    assert ChartData.model_validate({}).data_points == []
