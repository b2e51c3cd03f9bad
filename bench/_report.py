"""``results.md`` and ``results.json`` from the scenarios' outcomes."""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _util import Outcome, Row

HEADER = ["figure", "ours", "peer", "peer value", "ratio", "target", "held?", "note"]


@dataclass
class ScenarioResult:
    """One scenario's outcome (or the error that stopped it) and how long it took."""

    name: str
    command: str
    summary: str
    outcome: Outcome | None
    error: str | None
    elapsed_s: float


@dataclass(frozen=True)
class Run:
    """The whole run: how long it took, and the machine's speed probe before and after it."""

    quick: bool
    elapsed_s: float
    probe_before_s: float
    probe_after_s: float


def machine(run: Run) -> dict[str, Any]:
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "speed_probe_s": {
            "before": round(run.probe_before_s, 3),
            "after": round(run.probe_after_s, 3),
        },
    }


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "pending"
    text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}" if value else "0"
    return f"{text} {unit}".strip()


def _held(row: Row) -> str:
    return {True: "yes", False: "**NO**", None: "—" if row.target else ""}[row.held]


def _row_cells(row: Row) -> list[str]:
    ratio = "" if row.ratio is None else f"{row.ratio:.3g}x"
    if ratio and row.better == "higher":
        ratio += " (higher is better)"
    return [
        row.metric,
        _number(row.value, row.unit),
        row.peer,
        "" if row.peer_value is None else _number(row.peer_value, row.unit),
        ratio,
        row.target,
        _held(row),
        row.note.replace("|", "/").replace("\n", " "),
    ]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(cells) + " |" for cells in rows]


def _details(details: dict[str, list[dict[str, Any]]]) -> list[str]:
    lines: list[str] = []
    for title, records in details.items():
        if not records:
            continue
        header = list(records[0])
        cells = [[str(record.get(key, "")) for key in header] for record in records]
        lines += ["", f"*{title}*", "", *_table(header, cells)]
    return lines


def _scenario(result: ScenarioResult) -> list[str]:
    lines = ["", f"## {result.name}", "", result.summary, "", f"Reproduce: `{result.command}`"]
    lines.append(f"({result.elapsed_s:.0f} s)")
    if result.error is not None:
        return [*lines, "", f"**Failed:** `{result.error}`"]
    assert result.outcome is not None
    lines += ["", *_table(HEADER, [_row_cells(r) for r in result.outcome.rows])]
    return lines + _details(result.outcome.details)


def markdown(results: list[ScenarioResult], run: Run) -> str:
    targets = [
        [r.scenario, *_row_cells(r)]
        for res in results
        if res.outcome
        for r in res.outcome.rows
        if r.target and (r.held is not None or r.value is None)
    ]
    info = machine(run)
    lines = [
        "# Benchmarks",
        "",
        f"`python bench/run.py{' --quick' if run.quick else ''}` — "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {info['cpus']} CPUs, Python {info['python']}, "
        f"{info['platform']}; {run.elapsed_s:.0f} s in all.",
        "",
        "Every figure is measured side by side with its peer in the same run; the machine is "
        "noisy, so read the ratios (ours ÷ peer, medians), not the absolute times. "
        "Chart: `results.png`; every number: `results.json`.",
        "",
        "Machine speed probe (`sum(range(10**7))`, best of 3, on every CPU at once, the slowest; "
        "lower is faster): "
        f"{run.probe_before_s:.3f} s before the run, {run.probe_after_s:.3f} s after. "
        "The absolute targets (import ms, server msg/s and p99) move with it.",
        "",
        "## Targets",
        "",
        "Judged where the run is big enough (`--quick` leaves size-dependent targets unjudged).",
        "",
        *_table(["scenario", *HEADER], targets),
    ]
    for result in results:
        lines += _scenario(result)
    return "\n".join(lines) + "\n"


def as_json(results: list[ScenarioResult], run: Run) -> str:
    document = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "quick" if run.quick else "full",
        "elapsed_s": round(run.elapsed_s, 1),
        "machine": machine(run),
        "scenarios": {
            r.name: {
                "command": r.command,
                "elapsed_s": round(r.elapsed_s, 1),
                "error": r.error,
                "rows": [row.as_dict() for row in r.outcome.rows] if r.outcome else [],
                "details": r.outcome.details if r.outcome else {},
            }
            for r in results
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write(results: list[ScenarioResult], out: Path, run: Run) -> None:
    """Write ``results.md`` and ``results.json`` into ``out``."""
    (out / "results.md").write_text(markdown(results, run))
    (out / "results.json").write_text(as_json(results, run))
