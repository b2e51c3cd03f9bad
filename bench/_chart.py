"""``results.png``: one panel per scenario (and unit), drawn with matplotlib (bench-only).

Each row with a peer becomes a pair of horizontal bars in the row's real unit (µs, req/s, MB,
ms): ours and the peer, side by side. A row's target, when it can be read as a bound on ours
(``<= 1.15x`` of the peer, ``ratio <= 0.67``, ``< 150 ms``), is drawn as a vertical line across
its pair. "Better" always points left: panels of higher-is-better units (req/s) run their axis
backwards. The caption names the machine and the date.
"""

from __future__ import annotations

import datetime
import os
import platform
import re
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from _util import Row

OURS, PEER, HELD, MISSED, PLAIN = "#2e7dd7", "#b0b0b0", "#2ea043", "#d62728", "#555555"
_RATIO = re.compile(r"ratio\s*<=?\s*([\d.]+)")
_FACTOR = re.compile(r"^\s*(<=?|>=?)\s*([\d.]+)\s*x\b")
_ABSOLUTE = re.compile(r"^\s*<=?\s*([\d.]+)\s*(\S+)")


def target_value(row: Row) -> float | None:
    """The value of ours at which ``row.target`` holds exactly, in the row's unit, if readable."""
    text = row.target
    if not text or row.peer_value is None:
        return None
    if match := _RATIO.search(text):
        return float(match.group(1)) * row.peer_value
    if match := _FACTOR.match(text):
        factor = float(match.group(2))
        faster = "faster" in text or (match.group(1).startswith(">") and row.better == "lower")
        return row.peer_value / factor if faster else row.peer_value * factor
    if (match := _ABSOLUTE.match(text)) and row.unit.startswith(match.group(2)):
        return float(match.group(1))
    return None


def _panels(rows: Sequence[Row]) -> list[tuple[str, str, list[Row]]]:
    panels: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        if row.value is not None and row.peer_value:
            panels.setdefault((row.scenario, row.unit), []).append(row)
    return [(scenario, unit, items) for (scenario, unit), items in panels.items()]


def _caption(note: str) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.node() or 'host'}: {os.cpu_count()} CPUs, {platform.machine()}"
    parts = [now, machine, f"Python {platform.python_version()}", platform.platform(), note]
    return " · ".join(part for part in parts if part)


def _label(row: Row, width: int = 48) -> str:
    text = row.metric if len(row.metric) <= width else row.metric[: width - 1] + "…"
    return f"{text}\nvs {row.peer}"


def _amount(value: float) -> str:
    """A bar's label: four significant digits, whole numbers from 10,000 up (no ``1.551e+04``)."""
    return f" {value:,.0f}" if abs(value) >= 10_000 else f" {value:,.4g}"


def _panel(ax: plt.Axes, scenario: str, unit: str, rows: list[Row]) -> None:
    height = 0.38
    for i, row in enumerate(rows):
        y = len(rows) - 1 - i
        assert row.value is not None and row.peer_value is not None
        ax.barh(y + height / 2, row.value, height, color=OURS)
        ax.barh(y - height / 2, row.peer_value, height, color=PEER)
        ax.text(row.value, y + height / 2, _amount(row.value), va="center", fontsize=7)
        ax.text(row.peer_value, y - height / 2, _amount(row.peer_value), va="center", fontsize=7)
        goal = target_value(row)
        if goal is not None:
            color = PLAIN if row.held is None else HELD if row.held else MISSED
            ax.vlines(goal, y - 0.48, y + 0.48, colors=color, linestyles="--", linewidth=1.6)
            ax.text(goal, y + 0.5, f"target {row.target}", color=color, fontsize=6, va="bottom")
    ax.set_yticks(range(len(rows)), [_label(r) for r in reversed(rows)], fontsize=7)
    higher = rows[0].better == "higher"
    ax.set_xlim(0, max(max(r.value or 0, r.peer_value or 0) for r in rows) * 1.3)
    if higher:
        ax.invert_xaxis()
    ax.set_xlabel(f"{unit}   (← better)", fontsize=8)
    ax.set_title(f"{scenario} ({unit})", fontsize=9, loc="left")
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", color="#e0e0e0")
    ax.set_axisbelow(True)


def render(rows: Sequence[Row], path: Path, title: str, note: str = "") -> None:
    """Write the chart of every row with a peer to ``path`` (PNG); ``note`` ends the caption."""
    panels = _panels(rows)
    heights = [max(1.2, 0.55 * len(items) + 0.8) for _, _, items in panels] or [1.0]
    fig, axes = plt.subplots(
        len(heights),
        1,
        figsize=(13, sum(heights) + 1.2),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    for ax, (scenario, unit, items) in zip(axes[:, 0], panels, strict=False):
        _panel(ax, scenario, unit, items)
    if not panels:
        axes[0, 0].text(0.5, 0.5, "no figure with a peer", ha="center", va="center")
        axes[0, 0].set_axis_off()
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=OURS),
        plt.Rectangle((0, 0), 1, 1, color=PEER),
        plt.Line2D([], [], color=HELD, linestyle="--"),
        plt.Line2D([], [], color=MISSED, linestyle="--"),
    ]
    labels = ["ours", "peer", "target (held)", "target (missed)"]
    fig.legend(handles, labels, loc="upper right", ncol=4, fontsize=8, frameon=False)
    fig.suptitle(title, x=0.01, y=0.998, ha="left", va="top", fontsize=11)
    fig.text(0.01, 0.003, _caption(note), fontsize=7, color=PLAIN)
    fig.subplots_adjust(
        left=0.3,
        right=0.97,
        top=1 - 0.9 / fig.get_figheight(),
        bottom=0.9 / fig.get_figheight(),
        hspace=0.9,
    )
    fig.savefig(path, dpi=100)
    plt.close(fig)
