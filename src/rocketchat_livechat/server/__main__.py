"""``python -m rocketchat_livechat.server``."""

from __future__ import annotations

import sys

from ._main import serve

sys.exit(serve())
