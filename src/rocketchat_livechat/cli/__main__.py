"""``python -m rocketchat_livechat.cli``."""

from __future__ import annotations

from . import main

main()
