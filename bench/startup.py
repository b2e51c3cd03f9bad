"""Import and start-up time: each statement in a fresh interpreter, ``python -X importtime``.

"Cold" means a new process each run (bytecode caches and the OS page cache are warm, as for a
user's second run). Our package's bytecode is compiled first: pip compiles an installed wheel,
but an editable checkout run with ``PYTHONDONTWRITEBYTECODE=1`` would compile every module from
source on every import, while the peers in site-packages load theirs from ``.pyc``. The figure
is the statement's own time, measured inside the process; the ``-X importtime`` log of the
median run names the heaviest imports. The CLI's ``--help`` is timed from outside (process
start to exit) against ``python -c pass``.
"""

from __future__ import annotations

import compileall
import importlib.util
import shutil
import subprocess
import sys
import time
from typing import Any

import _util
from _util import Outcome, Row

STATEMENTS = {
    "import rocketchat_livechat": "import rocketchat_livechat",
    "from rocketchat_livechat import LivechatClient": (
        "from rocketchat_livechat import LivechatClient"
    ),
    "from rocketchat_livechat import AsyncLivechatClient": (
        "from rocketchat_livechat import AsyncLivechatClient"
    ),
    "import httpx2": "import httpx2",
    "import requests": "import requests",
    "from rocketchat_API.rocketchat import RocketChat": (
        "from rocketchat_API.rocketchat import RocketChat"
    ),
}
_TIMED = "import time; _t = time.perf_counter(); {0}; print(time.perf_counter() - _t)"


def _one_import(statement: str) -> tuple[float, str]:
    """Seconds the statement took in a fresh interpreter, and its ``-X importtime`` log."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", _TIMED.format(statement)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.split()[-1]), done.stderr


def heaviest(importtime_log: str, count: int = 4) -> list[str]:
    """The top-level imports with the largest cumulative time, each with its largest child.

    ``-X importtime`` prints a module when it finishes, after its children, one indent deeper.
    """
    tops: list[tuple[int, str, tuple[int, str]]] = []
    child: tuple[int, str] = (0, "")
    for line in importtime_log.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        cumulative, name = int(parts[1]), parts[2].rstrip()
        depth = (len(name) - len(name.lstrip())) // 2
        if depth == 0:
            tops.append((cumulative, name.strip(), child))
            child = (0, "")
        elif depth == 1:
            child = max(child, (cumulative, name.strip()))
    tops.sort(reverse=True)
    return [
        f"{name} {us / 1000:.0f}" + (f" ({sub} {sub_us / 1000:.0f})" if sub else "")
        for us, name, (sub_us, sub) in tops[:count]
    ]


def compile_package(name: str = "rocketchat_livechat") -> None:
    """Write the package's ``.pyc`` files (into its ``__pycache__`` folders), as pip does."""
    spec = importlib.util.find_spec(name)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(folder, quiet=1)


def time_imports(runs: int) -> dict[str, dict[str, Any]]:
    """Min/median ms per statement, runs interleaved across statements."""
    compile_package()
    samples: dict[str, list[tuple[float, str]]] = {name: [] for name in STATEMENTS}
    for _ in range(runs):
        for name, statement in STATEMENTS.items():
            samples[name].append(_one_import(statement))
    results = {}
    for name, runs_of in samples.items():
        ordered = sorted(runs_of)
        median_log = ordered[len(ordered) // 2][1]
        results[name] = {
            "min_ms": ordered[0][0] * 1000,
            "median_ms": _util.median([s for s, _ in ordered]) * 1000,
            "heaviest": heaviest(median_log),
        }
    return results


def _wall(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    return time.perf_counter() - started


def cli_command() -> list[str] | None:
    """The CLI's ``--help`` command, or ``None`` while the CLI is not written."""
    if importlib.util.find_spec("rocketchat_livechat.cli") is None:
        return None
    executable = shutil.which("rocketchat-livechat")
    if executable is None:
        return None
    done = subprocess.run([executable, "--help"], capture_output=True, text=True)
    return [executable, "--help"] if done.returncode == 0 else None


def time_cli(runs: int) -> dict[str, float] | None:
    command = cli_command()
    if command is None:
        return None
    cli, bare = [], []
    for _ in range(runs):
        cli.append(_wall(command))
        bare.append(_wall([sys.executable, "-c", "pass"]))
    return {
        "min_ms": min(cli) * 1000,
        "median_ms": _util.median(cli) * 1000,
        "python_median_ms": _util.median(bare) * 1000,
    }


def _import_rows(results: dict[str, dict[str, Any]]) -> list[Row]:
    rows = []
    for ours in ("import rocketchat_livechat", "from rocketchat_livechat import LivechatClient"):
        for peer in ("import httpx2", "from rocketchat_API.rocketchat import RocketChat"):
            median = results[ours]["median_ms"]
            rows.append(
                Row(
                    "startup",
                    f"{ours} (median; min {results[ours]['min_ms']:.1f} ms)",
                    median,
                    "ms",
                    peer,
                    results[peer]["median_ms"],
                    "< 150 ms median",
                    median < 150,
                )
            )
    return rows


def _cli_row(cli: dict[str, float] | None) -> Row:
    metric = "rocketchat-livechat --help (process wall time)"
    if cli is None:
        return _util.pending_row(
            "startup", metric, "the CLI (rocketchat_livechat.cli) is not there"
        )
    return Row(
        "startup",
        f"{metric}, median; min {cli['min_ms']:.0f} ms",
        cli["median_ms"],
        "ms",
        "python -c pass",
        cli["python_median_ms"],
    )


def run(quick: bool) -> Outcome:
    """15 runs per statement (quick: 3)."""
    runs = 3 if quick else 15
    imports = time_imports(runs)
    cli = time_cli(runs)
    table = [
        {
            "statement": name,
            "min_ms": round(r["min_ms"], 1),
            "median_ms": round(r["median_ms"], 1),
            "heaviest imports, cumulative ms": "; ".join(r["heaviest"]),
        }
        for name, r in imports.items()
    ]
    return Outcome([*_import_rows(imports), _cli_row(cli)], {f"imports, {runs} runs each": table})
