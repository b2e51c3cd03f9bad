"""``/sounds/chime.mp3``: the notification sound ``livechat/config`` names (``resources.sound``).

Rocket.Chat serves its own ``public/sounds/chime.mp3``. That recording is not bundled here:
this answers a short silent MP3 (a few MPEG-1 Layer III frames with no audio data), so the
widget's ``<audio>`` element loads and plays without a 404.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

#: MPEG-1 Layer III, 32 kbit/s, 44.1 kHz, mono: 104-byte frames of 1152 samples each
_FRAME_HEADER = bytes((0xFF, 0xFB, 0x10, 0xC0))
_FRAME_BYTES = 144 * 32000 // 44100
_FRAMES = 10  # about a quarter of a second

SILENT_MP3 = (_FRAME_HEADER + bytes(_FRAME_BYTES - len(_FRAME_HEADER))) * _FRAMES


async def chime(request: Request) -> Response:
    """The notification sound (silent here), cacheable like Meteor's public files."""
    headers = {"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"}
    return Response(SILENT_MP3, media_type="audio/mpeg", headers=headers)


ROUTES = [Route("/sounds/chime.mp3", chime, methods=["GET", "HEAD"])]
