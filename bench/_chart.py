"""A PNG bar chart of the comparisons, in pure Python (zlib + struct; no matplotlib).

One horizontal bar per row that has a peer: the ratio ours ÷ peer on a log scale centred on 1x,
green when its target held, red when it missed, blue without a target. Text uses a 5x7 font.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path

from _util import Row

Color = tuple[int, int, int]
WHITE: Color = (255, 255, 255)
BLACK: Color = (30, 30, 30)
GRID: Color = (215, 215, 215)
GREEN: Color = (46, 160, 67)
RED: Color = (214, 39, 40)
BLUE: Color = (70, 110, 180)

SCALE = 2  # font pixel size
CHAR_W, CHAR_H = 6 * SCALE, 7 * SCALE
LABEL_CHARS = 64
LOG_RANGE = (-2.0, 2.0)  # 0.01x .. 100x
BAR_W = 560
ROW_H = 2 * CHAR_H + 22
MARGIN = 16

_FONT = {
    "A": "01110 10001 10001 10001 11111 10001 10001",
    "B": "11110 10001 10001 11110 10001 10001 11110",
    "C": "01110 10001 10000 10000 10000 10001 01110",
    "D": "11100 10010 10001 10001 10001 10010 11100",
    "E": "11111 10000 10000 11110 10000 10000 11111",
    "F": "11111 10000 10000 11110 10000 10000 10000",
    "G": "01110 10001 10000 10111 10001 10001 01111",
    "H": "10001 10001 10001 11111 10001 10001 10001",
    "I": "01110 00100 00100 00100 00100 00100 01110",
    "J": "00111 00010 00010 00010 00010 10010 01100",
    "K": "10001 10010 10100 11000 10100 10010 10001",
    "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10101 10001 10001 10001",
    "N": "10001 10001 11001 10101 10011 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110",
    "P": "11110 10001 10001 11110 10000 10000 10000",
    "Q": "01110 10001 10001 10001 10101 10010 01101",
    "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 10000 01110 00001 00001 11110",
    "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110",
    "V": "10001 10001 10001 10001 10001 01010 00100",
    "W": "10001 10001 10001 10101 10101 10101 01010",
    "X": "10001 10001 01010 00100 01010 10001 10001",
    "Y": "10001 10001 10001 01010 00100 00100 00100",
    "Z": "11111 00001 00010 00100 01000 10000 11111",
    "0": "01110 10001 10011 10101 11001 10001 01110",
    "1": "00100 01100 00100 00100 00100 00100 01110",
    "2": "01110 10001 00001 00010 00100 01000 11111",
    "3": "11111 00010 00100 00010 00001 10001 01110",
    "4": "00010 00110 01010 10010 11111 00010 00010",
    "5": "11111 10000 11110 00001 00001 10001 01110",
    "6": "00110 01000 10000 11110 10001 10001 01110",
    "7": "11111 00001 00010 00100 01000 01000 01000",
    "8": "01110 10001 10001 01110 10001 10001 01110",
    "9": "01110 10001 10001 01111 00001 00010 01100",
    " ": "00000 00000 00000 00000 00000 00000 00000",
    ".": "00000 00000 00000 00000 00000 01100 01100",
    ",": "00000 00000 00000 00000 01100 00100 01000",
    ":": "00000 01100 01100 00000 01100 01100 00000",
    ";": "00000 01100 01100 00000 01100 00100 01000",
    "-": "00000 00000 00000 11111 00000 00000 00000",
    "+": "00000 00100 00100 11111 00100 00100 00000",
    "/": "00000 00001 00010 00100 01000 10000 00000",
    "(": "00010 00100 01000 01000 01000 00100 00010",
    ")": "01000 00100 00010 00010 00010 00100 01000",
    "[": "01110 01000 01000 01000 01000 01000 01110",
    "]": "01110 00010 00010 00010 00010 00010 01110",
    "<": "00010 00100 01000 10000 01000 00100 00010",
    ">": "01000 00100 00010 00001 00010 00100 01000",
    "=": "00000 00000 11111 00000 11111 00000 00000",
    "%": "11000 11001 00010 00100 01000 10011 00011",
    "_": "00000 00000 00000 00000 00000 00000 11111",
    "'": "01100 00100 01000 00000 00000 00000 00000",
    '"': "01010 01010 01010 00000 00000 00000 00000",
    "!": "00100 00100 00100 00100 00100 00000 00100",
    "?": "01110 10001 00001 00010 00100 00000 00100",
    "#": "01010 01010 11111 01010 11111 01010 01010",
    "*": "00000 00100 10101 01110 10101 00100 00000",
    "|": "00100 00100 00100 00100 00100 00100 00100",
}
_REPLACE = {"µ": "U", "→": "->", "≥": ">=", "≤": "<=", "÷": "/", "×": "X", "—": "-"}


class Canvas:
    """An RGB image in memory."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(WHITE * (width * height))

    def rect(self, x: int, y: int, w: int, h: int, color: Color) -> None:
        x0, x1 = max(0, x), min(self.width, x + w)
        if x1 <= x0:
            return
        for row in range(max(0, y), min(self.height, y + h)):
            start = (row * self.width + x0) * 3
            self.pixels[start : start + (x1 - x0) * 3] = bytes(color) * (x1 - x0)

    def text(self, x: int, y: int, text: str, color: Color = BLACK) -> None:
        for old, new in _REPLACE.items():
            text = text.replace(old, new)
        for i, char in enumerate(text.upper()):
            glyph = _FONT.get(char, _FONT["?"]).split()
            for gy, bits in enumerate(glyph):
                for gx, bit in enumerate(bits):
                    if bit == "1":
                        self.rect(x + i * CHAR_W + gx * SCALE, y + gy * SCALE, SCALE, SCALE, color)

    def png(self) -> bytes:
        stride = self.width * 3
        raw = b"".join(
            b"\x00" + bytes(self.pixels[r * stride : (r + 1) * stride]) for r in range(self.height)
        )
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return b"".join(
            [
                b"\x89PNG\r\n\x1a\n",
                _chunk(b"IHDR", header),
                _chunk(b"IDAT", zlib.compress(raw, 9)),
                _chunk(b"IEND", b""),
            ]
        )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _clip(text: str, width: int = LABEL_CHARS) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _x_of(ratio: float, left: int) -> int:
    low, high = LOG_RANGE
    position = (min(max(math.log10(ratio), low), high) - low) / (high - low)
    return left + round(position * BAR_W)


def _axis(canvas: Canvas, left: int, top: int, bottom: int) -> None:
    for exponent in range(int(LOG_RANGE[0]), int(LOG_RANGE[1]) + 1):
        x = _x_of(10.0**exponent, left)
        canvas.rect(x, top, 1 if exponent else 2, bottom - top, BLACK if not exponent else GRID)
        label = f"{10.0**exponent:g}x"
        canvas.text(x - len(label) * CHAR_W // 2, bottom + 6, label)


def _bar(canvas: Canvas, row: Row, y: int, left: int) -> None:
    assert row.ratio is not None
    color = {True: GREEN, False: RED, None: BLUE}[row.held]
    canvas.text(MARGIN, y, _clip(f"{row.scenario}: {row.metric}"))
    direction = " (higher is better)" if row.better == "higher" else ""
    canvas.text(MARGIN, y + CHAR_H + 4, _clip(f"  vs {row.peer}{direction}"), (90, 90, 90))
    one, end = _x_of(1.0, left), _x_of(row.ratio, left)
    canvas.rect(min(one, end), y + 4, max(2, abs(end - one)), 2 * CHAR_H - 4, color)
    verdict = {True: "  target held", False: "  target MISSED", None: ""}[row.held]
    canvas.text(left + BAR_W + 12, y + CHAR_H // 2, f"{row.ratio:.3g}x{verdict}", color)


def render(rows: Sequence[Row], path: Path, title: str) -> None:
    """Write the chart of every row with a ratio to ``path``."""
    bars = [row for row in rows if row.ratio is not None and row.ratio > 0]
    left = MARGIN + (LABEL_CHARS + 2) * CHAR_W
    width = left + BAR_W + 28 * CHAR_W
    top = MARGIN + 3 * CHAR_H
    height = top + max(1, len(bars)) * ROW_H + 3 * CHAR_H + MARGIN
    canvas = Canvas(width, height)
    canvas.text(MARGIN, MARGIN, _clip(title, (width - 2 * MARGIN) // CHAR_W))
    bottom = top + len(bars) * ROW_H
    _axis(canvas, left, top - 4, bottom)
    for i, row in enumerate(bars):
        _bar(canvas, row, top + i * ROW_H + 6, left)
    path.write_bytes(canvas.png())
