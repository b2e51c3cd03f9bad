"""Run the benchmarks and write ``results.md``, ``results.json`` and ``results.png``.

    python bench/run.py [--quick] [--only NAME[,NAME...]] [--out DIR]

Scenarios: overhead, visitors, realtime, realtime-load, upload, startup, server, bot, bridge,
webhook. ``--quick`` makes every scenario small (the whole run < 60 s); figures are then
indicative only and the targets that depend on size are not judged. Exit status 1 when a
scenario failed (pending ones do not fail).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import _report
import _util
from _util import Outcome

# Imported when run, not here: every scenario's child process (multiprocessing "spawn")
# imports this module again, and matplotlib and the scenarios' imports would inflate the
# children's memory (the peak RSS figures) and start-up.
SCENARIOS: dict[str, str] = {
    "overhead": "overhead",
    "visitors": "visitors",
    "realtime": "latency",
    "realtime-load": "realtime_load",
    "upload": "upload_memory",
    "startup": "startup",
    "server": "server_throughput",
    "bot": "bot_reply",
    "bridge": "bridge_flow",
    "webhook": "webhook_delivery",
}


def _module(name: str) -> ModuleType:
    return importlib.import_module(SCENARIOS[name])


def _summary(module: ModuleType) -> str:
    return " ".join((module.__doc__ or "").split("\n\n")[0].split())


def _run_one(name: str, run: Callable[[bool], Outcome], quick: bool) -> _report.ScenarioResult:
    command = f"python bench/run.py{' --quick' if quick else ''} --only {name}"
    print(f"[bench] {name} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    outcome, error = None, None
    try:
        outcome = run(quick)
    except _util.Pending as exc:
        outcome = Outcome([_util.pending_row(name, name, str(exc))])
    except Exception as exc:
        traceback.print_exc()
        error = f"{type(exc).__name__}: {exc}"
    elapsed = time.perf_counter() - started
    print(f"[bench] {name}: {elapsed:.1f} s", file=sys.stderr, flush=True)
    return _report.ScenarioResult(name, command, _summary(_module(name)), outcome, error, elapsed)


def _names(only: list[str] | None) -> list[str]:
    if not only:
        return list(SCENARIOS)
    names = [n.strip() for item in only for n in item.split(",") if n.strip()]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        raise SystemExit(
            f"unknown scenario(s): {', '.join(unknown)}; choose from {list(SCENARIOS)}"
        )
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, whole run < 60 s")
    parser.add_argument("--only", action="append", metavar="NAME[,NAME]", help="scenarios to run")
    parser.add_argument("--out", type=Path, default=_util.BENCH_DIR, help="output directory")
    args = parser.parse_args(argv)
    probe_before = _util.speed_probe()
    started = time.perf_counter()
    results = [_run_one(n, _module(n).run, args.quick) for n in _names(args.only)]
    elapsed = time.perf_counter() - started
    run = _report.Run(args.quick, elapsed, probe_before, _util.speed_probe())
    args.out.mkdir(parents=True, exist_ok=True)
    _report.write(results, args.out, run)
    rows = [row for r in results if r.outcome for row in r.outcome.rows]
    title = "rocketchat_livechat vs alternatives, side by side in real units"
    import _chart  # matplotlib: only now (see SCENARIOS)

    probe = f"speed probe {run.probe_before_s:.2f} s / {run.probe_after_s:.2f} s (before / after)"
    _chart.render(rows, args.out / "results.png", title, probe)
    print(f"[bench] wrote {args.out}/results.md, results.json, results.png", file=sys.stderr)
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
