"""``bench/run.py --quick`` on the cheap scenarios produces its report files (no timing asserts)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ["overhead", "upload", "bot", "webhook"]


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--out", str(out)]
    command += ["--only", ",".join(SCENARIOS)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=100)
    assert done.returncode == 0, done.stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def results(out_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out_dir / "results.json").read_text())
    return data


def test_json_has_every_requested_scenario_with_figures(results: dict[str, Any]) -> None:
    assert results["mode"] == "quick"
    assert list(results["scenarios"]) == SCENARIOS
    for name, scenario in results["scenarios"].items():
        assert scenario["error"] is None, name
        assert scenario["command"] == f"python bench/run.py --quick --only {name}"
        rows = scenario["rows"]
        assert rows, name
        assert all(row["value"] is not None and row["value"] >= 0 for row in rows), name


def test_ratios_are_value_over_peer(results: dict[str, Any]) -> None:
    rows = [row for s in results["scenarios"].values() for row in s["rows"]]
    with_peer = [row for row in rows if row["peer_value"]]
    assert with_peer
    for row in with_peer:
        assert row["ratio"] == pytest.approx(row["value"] / row["peer_value"])


def test_overhead_compares_every_client(results: dict[str, Any]) -> None:
    details = results["scenarios"]["overhead"]["details"]
    clients = {r["client"] for table in details.values() for r in table}
    peers = {"http.client", "raw httpx2", "requests", "rocketchat_API", "raw httpx2 (async)"}
    ours = {"ours (sync)", "ours (sync, httpx2 backend)", "ours (async)"}
    assert peers | ours == clients


def test_markdown_has_targets_and_a_section_per_scenario(out_dir: Path) -> None:
    text = (out_dir / "results.md").read_text()
    assert "## Targets" in text
    for name in SCENARIOS:
        assert f"## {name}" in text
        assert f"`python bench/run.py --quick --only {name}`" in text
    assert "| figure | ours | peer | peer value | ratio | target | held? | note |" in text


def test_png_is_a_valid_image(out_dir: Path) -> None:
    from PIL import Image  # matplotlib's own dependency (the `bench` / `test` extras)

    data = (out_dir / "results.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(out_dir / "results.png") as image:
        image.verify()
    with Image.open(out_dir / "results.png") as image:
        colors = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colors is None or len(colors) > 2, "the chart is blank"
