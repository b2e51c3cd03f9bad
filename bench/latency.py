"""Realtime latency (agent sends → visitor receives), from ``bench/realtime_latency.py``.

That script belongs to the realtime work; it prints one JSON line of results. This module runs
it in a subprocess and turns its p50/p99 figures (realtime stream vs polling
``messages.history`` every second) into rows; until it exists the rows say "pending".
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import _util
from _util import Outcome, Row

SCRIPT = _util.BENCH_DIR / "realtime_latency.py"
METRIC = "agent sends → visitor receives"
TARGETS = {"p50": ("< 5 ms", 5.0), "p99": ("< 25 ms", 25.0)}
_UNIT_TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _command(quick: bool) -> list[str]:
    """The script's command line, using the options its ``--help`` offers."""
    command = [sys.executable, str(SCRIPT)]
    help_text = subprocess.run([*command, "--help"], capture_output=True, text=True).stdout
    if "--messages" in help_text:
        command += ["--messages", "100" if quick else "1000"]
    elif quick and "--quick" in help_text:
        command.append("--quick")
    return command


def _flatten(value: Any, prefix: str = "") -> dict[str, float]:
    if isinstance(value, dict):
        flat: dict[str, float] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}{key}."))
        return flat
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {prefix.rstrip("."): float(value)}
    return {}


def _ms(key: str, value: float) -> float:
    unit = re.search(r"(?:^|[_.])(us|ms|s)$", key)
    return value * _UNIT_TO_MS[unit.group(1) if unit else "ms"]


def figure(results: dict[str, Any], quantile: str, polling: bool) -> float | None:
    """The realtime (or polling) ``quantile`` figure in ms, found by key name."""
    for key, value in _flatten(results).items():
        lowered = key.lower()
        if quantile in lowered and ("poll" in lowered) == polling:
            return _ms(lowered, value)
    return None


def _rows(results: dict[str, Any]) -> list[Row]:
    flat = _flatten(results)
    missed = {k: int(v) for k, v in flat.items() if k.endswith("missed")}
    note = ", ".join(f"{k.replace('.', ' ')} {v}" for k, v in missed.items())
    rows = []
    for quantile, (target, limit) in TARGETS.items():
        ours = figure(results, quantile, polling=False)
        rows.append(
            Row(
                "realtime",
                f"{METRIC}, {quantile}",
                ours,
                "ms",
                "polling messages.history / 1 s",
                figure(results, quantile, polling=True),
                target,
                None if ours is None else ours < limit,
                note=note,
            )
        )
    return rows


def run(quick: bool) -> Outcome:
    """Run ``realtime_latency.py``: 1,000 messages (quick: 100) when it takes ``--messages``."""
    if not SCRIPT.exists():
        reason = "bench/realtime_latency.py (realtime work) is not there yet"
        return Outcome(
            [
                _util.pending_row("realtime", f"{METRIC}, {q}", reason, t)
                for q, (t, _) in TARGETS.items()
            ]
        )
    command = _command(quick)
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-500:]}")
    results = json.loads(lines[-1])
    details = [{"figure": k, "value": v} for k, v in _flatten(results).items()]
    return Outcome(_rows(results), {"realtime_latency.py output": details})
