"""Letter avatars: Rocket.Chat's ``renderSVGLetters`` (``server/routes/avatar/utils.ts``).

The background is ``getAvatarColor`` (``app/utils/lib/getAvatarColor.ts``): one of six colours
picked by the name's length in UTF-16 code units, so a name always gets the same colour.

Where this differs from Rocket.Chat: Rocket.Chat passes the name through ``sanitize-html`` and
writes the first UTF-16 unit unescaped, so a name starting with ``&`` or an allowed tag yields
invalid XML and an astral character half a surrogate pair. Here tags are dropped, the first
code point is taken and the initials are XML-escaped.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

COLORS = ("#158D65", "#7F1B9F", "#B68D00", "#E26D0E", "#10529E", "#6C727A")
DEFAULT_SIZE = 200
MIN_SIZE = 16
MAX_SIZE = 1024
MAX_INITIALS = 3
#: ``Last-Modified`` of every letter avatar (Rocket.Chat's ``FALLBACK_LAST_MODIFIED``)
FALLBACK_LAST_MODIFIED = "Thu, 01 Jan 2015 00:00:00 GMT"

_TAG = re.compile(r"<[^>]*>")
_JS_INT = re.compile(r"\s*([+-]?)(0[xX][0-9a-fA-F]+|[0-9]+)")
_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}">\n'
    '<rect width="100%" height="100%" fill="{color}"/>\n'
    '<text x="50%" y="50%" dy="0.36em" text-anchor="middle" pointer-events="none" '
    "fill=\"#ffffff\" font-family=\"'Helvetica', 'Arial', 'Lucida Grande', 'sans-serif'\" "
    'font-size="{font_size}">\n{initials}\n</text>\n</svg>'
)


def _js_length(text: str) -> int:
    """JavaScript's ``string.length`` (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _js_number(value: float) -> str:
    """A number as JavaScript prints it (``125``, ``62.5``)."""
    return str(int(value)) if value.is_integer() else repr(value)


def avatar_color(name: str) -> str:
    """The background colour Rocket.Chat gives ``name``."""
    return COLORS[_js_length(name) % len(COLORS)]


def _first_letter(name: str) -> str:
    return _TAG.sub("", name)[:1].upper()


def initials(name: str, *, all_initials: bool = False) -> str:
    """The first letter, or with ``all_initials`` those of the first three words."""
    if not all_initials:
        return _first_letter(name)
    return "".join(_first_letter(word) for word in name.split(" ")[:MAX_INITIALS])


def render_svg(name: str, size: int = DEFAULT_SIZE, *, all_initials: bool = False) -> str:
    """The SVG letter avatar of ``name``, ``size`` units square (``?`` is black)."""
    if name == "?":
        color, letters = "#000", name
    else:
        color, letters = avatar_color(name), initials(name, all_initials=all_initials)
    count = _js_length(letters)
    reduction = count**2 / 10 if count > 1 else 0
    return _SVG.format(
        size=size,
        color=color,
        font_size=_js_number(size / (1.6 + reduction)),
        initials=escape(letters),
    )


def requested_size(raw: str | None) -> int:
    """``?size=`` as ``getAvatarSizeFromRequest``: ``parseInt``, clamped to 16..1024."""
    match = _JS_INT.match(raw or "")
    if match is None:
        return DEFAULT_SIZE
    sign, digits = match.groups()
    value = int(digits, 16 if digits[:2].lower() == "0x" else 10)
    if value == 0:
        return DEFAULT_SIZE
    return min(max(-value if sign == "-" else value, MIN_SIZE), MAX_SIZE)
