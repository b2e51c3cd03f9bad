"""Rocket.Chat's REST rate limiter (``rateLimiterOptions``, ``apps/meteor/app/api/server/api.ts``).

One fixed window per route rule (``"/api/v1/<pattern><method>"``): the window starts with the
first call after the previous one expired and is shared by every client IP; each IP has its
own counter inside it. The counter is incremented first, then checked (limit 10 → the 11th
call is refused). Limits come from :class:`RateRule`; ``None`` fields fall back to the
``API_Enable_Rate_Limiter_Limit_*_Default`` settings.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from .settings import Settings


@dataclass(frozen=True)
class RateRule:
    """Per-route limit; ``None`` means the settings' default."""

    calls: int | None = None
    interval_ms: int | None = None


@dataclass(frozen=True)
class RateDecision:
    """Outcome of one counted call."""

    allowed: bool
    limit: int
    remaining: int
    reset_ms: int
    time_to_reset_ms: int

    @property
    def wait_seconds(self) -> int:
        """Seconds until the window resets, rounded up (used in the 429 text)."""
        return math.ceil(self.time_to_reset_ms / 1000)

    def headers(self) -> dict[str, str]:
        """The ``X-RateLimit-*`` response headers."""
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_ms),
        }


@dataclass
class Window:
    """One fixed window of calls per key (the REST limiter and the DDP one share it)."""

    start_ms: int
    interval_ms: int
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, key: str) -> int:
        """Count one more call of ``key``; its calls in this window so far."""
        self.counts[key] = self.counts.get(key, 0) + 1
        return self.counts[key]

    def reset_ms(self) -> int:
        """When the window ends (epoch milliseconds)."""
        return self.start_ms + self.interval_ms


class RateLimiter:
    """Counts calls per (route rule, IP). Disabled when ``enabled`` is false or by setting."""

    def __init__(self, settings: Settings, clock_ms: Callable[[], int], *, enabled: bool) -> None:
        self.enabled = enabled
        self._settings = settings
        self._clock_ms = clock_ms
        self._lock = threading.Lock()
        self._windows: dict[str, Window] = {}

    @property
    def active(self) -> bool:
        """Whether calls are limited right now."""
        return self.enabled and bool(self._settings["API_Enable_Rate_Limiter"])

    def _limits(self, rule: RateRule) -> tuple[int, int]:
        calls = rule.calls or int(self._settings["API_Enable_Rate_Limiter_Limit_Calls_Default"])
        interval = rule.interval_ms or int(
            self._settings["API_Enable_Rate_Limiter_Limit_Time_Default"]
        )
        return calls, interval

    def hit(self, route_key: str, ip: str, rule: RateRule) -> RateDecision:
        """Count one call of ``ip`` on ``route_key`` and decide."""
        calls, interval = self._limits(rule)
        now = self._clock_ms()
        with self._lock:
            window = self._windows.get(route_key)
            if window is None or now - window.start_ms >= window.interval_ms:
                window = Window(now, interval)
                self._windows[route_key] = window
            count = window.count(ip)
        reset = window.reset_ms()
        return RateDecision(
            allowed=count <= calls,
            limit=calls,
            remaining=max(calls - count, 0),
            reset_ms=reset,
            time_to_reset_ms=max(reset - now, 0),
        )

    def reset(self) -> None:
        """Forget all counters (tests)."""
        with self._lock:
            self._windows.clear()
