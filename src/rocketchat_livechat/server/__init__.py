"""The embedded Rocket.Chat-compatible Omnichannel server (extra ``[server]``).

* :class:`EmbeddedServer` — run it in a background thread (tests, notebooks).
* :func:`create_app` — the ASGI app for a :class:`ServerState`.
* ``python -m rocketchat_livechat.server`` — run it in the foreground.
"""

from __future__ import annotations

from .app import create_app
from .runner import EmbeddedServer
from .state import ServerState

__all__ = ["EmbeddedServer", "ServerState", "create_app"]
