"""Names shared by the widget tests: where the build and the screenshots are, a test image."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

NODE_DIR = Path(__file__).parent / "node"
BUILD_DIR = NODE_DIR / "node_modules" / "@rocket.chat" / "livechat" / "build"
SCREENSHOTS = Path(__file__).parents[2] / "bench" / "out" / "widget"
TITLE = "Acme support"


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )
