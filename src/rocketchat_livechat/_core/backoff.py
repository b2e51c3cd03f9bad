"""Capped exponential backoff with equal jitter, shared by HTTP retries and realtime reconnects."""

from __future__ import annotations

import random
from collections.abc import Callable


def backoff_delay(
    attempt: int,
    *,
    base: float = 0.5,
    cap: float = 30.0,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retry number ``attempt`` (1-based).

    The ceiling doubles each attempt up to ``cap``; the delay is drawn uniformly between half the
    ceiling and the ceiling, so concurrent clients spread out but never retry instantly.
    """
    if attempt < 1:
        raise ValueError("attempt is 1-based")
    ceiling = min(cap, base * (2 ** (attempt - 1)))
    return float(ceiling / 2 + rand() * ceiling / 2)
