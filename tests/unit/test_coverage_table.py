"""``scripts/coverage_table.py``: a missing community operation or a stale page fails ``--check``;
a documented gap, a misspelt reference path or an Enterprise operation does not."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "coverage_table.py"


@pytest.fixture(scope="module")
def table() -> ModuleType:
    spec = importlib.util.spec_from_file_location("coverage_table", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _op(method: str, path: str, *, enterprise: bool = False) -> dict[str, Any]:
    return {"method": method, "path": path, "summary": "s", "tags": [], "enterprise": enterprise}


def test_the_committed_page_is_fresh_and_complete(table: ModuleType) -> None:
    assert table.main(["--check"]) == 0


def test_a_missing_operation_is_reported(table: ModuleType) -> None:
    text, missing = table.page([_op("GET", "/api/v1/livechat/config"), _op("GET", "/api/v1/x")])
    assert missing == ["GET /api/v1/x"]
    assert "| `GET x` | s | — | — | **missing** |" in text
    assert "**1 of 2**" in text


def test_documented_reasons_are_not_missing(table: ModuleType) -> None:
    operations = [
        _op("GET", "/api/v1/livechat/messages/{rid}"),  # KNOWN_GAPS
        _op("POST", "/api/v1/livechat/visitors.status"),  # REFERENCE_MISTAKES
        _op("GET", "/api/v1/livechat/units", enterprise=True),
    ]
    text, missing = table.page(operations)
    assert missing == []
    assert "`visitor.set_visitor_status` | yes | yes (the reference's path is wrong" in text
    assert "| `GET livechat/units` | s | — | — | Enterprise only |" in text


def test_check_fails_on_a_stale_page(
    table: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "coverage.md"
    stale.write_text("old\n")
    operations = tmp_path / "operations.json"
    operations.write_text(json.dumps([_op("GET", "/api/v1/livechat/config")]))
    monkeypatch.setattr(table, "PAGE", stale)
    monkeypatch.setattr(table, "OPERATIONS", operations)
    monkeypatch.setattr(table, "REPO", tmp_path)
    assert table.main(["--check"]) == 1
    assert table.main([]) == 0  # rewrites it
    assert table.main(["--check"]) == 0
