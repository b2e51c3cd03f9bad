"""Run one of the ``node/*.mjs`` client scripts: one JSON line per step, a callback per step
(the agent's reply when the script prints ``ready``), killed by a watchdog if it hangs."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

NODE_DIR = Path(__file__).parent / "node"
RUN_TIMEOUT_S = 45.0

Steps = dict[str, dict[str, Any]]


def run_steps(
    command: Sequence[str], on_step: Callable[[dict[str, Any]], None]
) -> tuple[int, Steps, str]:
    """``(exit code, steps by name, stderr)`` of ``command`` run in :data:`NODE_DIR`."""
    process = subprocess.Popen(
        list(command), cwd=NODE_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    watchdog = threading.Timer(RUN_TIMEOUT_S, process.kill)
    watchdog.start()
    steps: Steps = {}
    try:
        assert process.stdout is not None
        for line in process.stdout:
            step = json.loads(line)
            steps[step["step"]] = step
            on_step(step)
        stderr = process.stderr.read() if process.stderr is not None else ""
        code = process.wait()
    finally:
        watchdog.cancel()
        process.kill()
        process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    return code, steps, stderr
