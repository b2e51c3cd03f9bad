"""Constants shared by several services and routes (defined once here)."""

from __future__ import annotations

import re
from typing import Any

#: what Rocket.Chat accepts as an e-mail address (``name@domain.tld``, no blanks)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

#: the system user that signs bot/system messages (copy it before changing it)
ROCKET_CAT: dict[str, Any] = {"_id": "rocket.cat", "username": "rocket.cat"}
