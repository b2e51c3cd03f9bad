"""Rocket.Chat's DDP rate limits (Meteor's ``DDPRateLimiter``), per method and subscription call.

The rules are those of ``apps/meteor/app/lib/server/startup/rateLimiter.ts``, each switched and
sized by its ``DDP_Rate_Limit_<name>_*`` settings (defaults of ``server/settings/rate.ts``):

=====================  =================================  ==============  ===============
rule                   counts per                         default         applies to
=====================  =================================  ==============  ===============
IP                     client address                     120000 / 60 s   not 127.0.0.1
User                   user                               1200 / 60 s     logged-in calls
Connection             connection                         600 / 60 s      every call
User_By_Method         user, call type and name           20 / 10 s       logged-in calls
Connection_By_Method   connection, call type and name     10 / 10 s       every call
=====================  =================================  ==============  ===============

The two ``*_By_Method`` rules take names starting with ``stream-`` four times (80 / 40 s and
40 / 40 s) and skip names that have a rule of their own: here ``sendMessage``
(``RateLimiter.limitMethod('sendMessage', 5, 1000)`` for users without
``send-many-messages``, ``app/lib/server/methods/sendMessage.ts``).

As Meteor's ``RateLimiter``: each rule has one fixed window, restarted by the first call after it
expired, with a counter per key; the call is counted, then checked (10 allowed: the 11th is
refused). A refused call gets ``Meteor.Error('too-many-requests', <text>, {timeToReset})`` with
the longest wait of the rules it broke. Unlike Meteor, the first window starts with the first
call rather than at server start, and calls whose name is unknown are not counted (Meteor
answers them before the limiter too).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

from . import auth
from .ratelimit import Window
from .settings import Settings
from .store import Doc

LOCALHOST = "127.0.0.1"
#: methods with a rule of their own (kept out of the per-method rules)
OWN_RULES = frozenset({"sendMessage"})


@dataclass(frozen=True)
class Call:
    """One DDP method call (``type="method"``) or subscription (``"subscription"``)."""

    type: str
    name: str
    connection_id: str
    client_address: str
    user: Doc | None = None

    @property
    def user_id(self) -> str | None:
        return None if self.user is None else str(self.user["_id"])


@dataclass(frozen=True)
class _Rule:
    setting: str
    factor: int
    applies: Callable[[Call], bool]
    key: Callable[[Call], str]
    #: fixed limits instead of settings (``RateLimiter.limitMethod``)
    fixed: tuple[int, int] | None = None


def _by_method(stream: bool, *, logged_in: bool) -> Callable[[Call], bool]:
    """The ``*_By_Method`` matchers: stream names or the others, none with a rule of its own."""

    def applies(call: Call) -> bool:
        named = call.name.startswith("stream-") == stream and call.name not in OWN_RULES
        return named and (call.user is not None or not logged_in)

    return applies


RULES: tuple[_Rule, ...] = (
    _Rule("IP", 1, lambda c: c.client_address != LOCALHOST, lambda c: c.client_address),
    _Rule("User", 1, lambda c: c.user is not None, lambda c: str(c.user_id)),
    _Rule("Connection", 1, lambda c: True, lambda c: c.connection_id),
    *(
        _Rule(
            "User_By_Method",
            factor,
            _by_method(stream, logged_in=True),
            lambda c: f"{c.type}/{c.name}/{c.user_id}",
        )
        for stream, factor in ((False, 1), (True, 4))
    ),
    *(
        _Rule(
            "Connection_By_Method",
            factor,
            _by_method(stream, logged_in=False),
            lambda c: f"{c.type}/{c.name}/{c.connection_id}",
        )
        for stream, factor in ((False, 1), (True, 4))
    ),
    _Rule(
        "sendMessage",
        1,
        lambda c: (
            c.type == "method"
            and c.name == "sendMessage"
            and c.user is not None
            and not auth.has_permission(c.user, "send-many-messages")
        ),
        lambda c: str(c.user_id),
        fixed=(5, 1000),
    ),
)


def error_text(time_to_reset_ms: int) -> str:
    """Meteor's ``DDPRateLimiter`` error message."""
    seconds = math.ceil(time_to_reset_ms / 1000)
    return (
        "Error, too many requests. Please slow down. "
        f"You must wait {seconds} seconds before trying again."
    )


class DDPRateLimiter:
    """Counts DDP calls by :data:`RULES`; off when ``enabled`` is false (``rate_limit=False``)."""

    def __init__(self, settings: Settings, clock_ms: Callable[[], int], *, enabled: bool) -> None:
        self.enabled = enabled
        self._settings = settings
        self._clock_ms = clock_ms
        self._lock = threading.Lock()
        self._windows: dict[int, Window] = {}

    def _limits(self, rule: _Rule) -> tuple[int, int] | None:
        if rule.fixed is not None:
            return rule.fixed
        prefix = f"DDP_Rate_Limit_{rule.setting}"
        if not self._settings[f"{prefix}_Enabled"]:
            return None
        calls = int(self._settings[f"{prefix}_Requests_Allowed"]) * rule.factor
        return calls, int(self._settings[f"{prefix}_Interval_Time"]) * rule.factor

    def hit(self, call: Call) -> int | None:
        """Count the call; ``None`` when allowed, else the milliseconds until it would be."""
        if not self.enabled:
            return None
        now, wait = self._clock_ms(), None
        with self._lock:
            for index, rule in enumerate(RULES):
                limits = self._limits(rule) if rule.applies(call) else None
                if limits is None:
                    continue
                calls, interval = limits
                window = self._windows.get(index)
                if window is None or now - window.start_ms > window.interval_ms:
                    window = self._windows[index] = Window(now, interval)
                if window.count(rule.key(call)) > calls:
                    left = max(window.reset_ms() - now, 0)
                    wait = left if wait is None else max(wait, left)
        return wait
