"""Retry decisions: which failures are retried, and how long to wait first.

Rules (docs/guides/errors-and-retries.md, "Retries, rate limits and timeouts"):

* connection failures before the request was sent are always safe to retry;
* a failure after the request may have reached the server is retried only for idempotent
  requests (``send_message`` is made idempotent with a client-chosen ``_id``);
* 429 is retried whatever the method (Rocket.Chat rejected it before running the endpoint), after
  the server's reset time, while the total time waited stays within the caller's budget; past
  it the call fails with :class:`RateLimitError` carrying ``retry_after``;
* a 2xx whose body is not JSON (truncated by a proxy) is retried like a lost response;
* 408, 502, 503, 504 are retried for idempotent requests, with capped exponential backoff and
  jitter, or after ``Retry-After`` when the server sends one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .backoff import backoff_delay

RETRYABLE_STATUSES = frozenset({408, 429, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard a client tries. ``max_retries`` counts retries after the first attempt."""

    max_retries: int = 2
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    max_rate_limit_wait: float = 30.0  # total seconds a call may spend waiting out 429s
    max_rate_limit_retries: int = 10


@dataclass(frozen=True, slots=True)
class Decision:
    """``retry`` after ``delay`` seconds, or give up. ``retry_after`` is the server's requested
    wait on a 429, kept so that a final :class:`RateLimitError` can carry it."""

    retry: bool
    delay: float = 0.0
    retry_after: float | None = None


GIVE_UP = Decision(retry=False)


def decide_after_status(
    policy: RetryPolicy,
    attempt: int,
    status: int,
    headers: Mapping[str, str],
    *,
    idempotent: bool,
    replayable: bool = True,
    rate_limit_waited: float = 0.0,
    now: Callable[[], float] = time.time,
) -> Decision:
    """Whether to retry after an error status on attempt ``attempt`` (1-based).

    ``replayable`` is False when the request's body cannot be sent again (a non-seekable
    upload stream): then not even a 429 is retried. 429s are budgeted by the total time spent
    waiting them out (``rate_limit_waited`` so far), not by ``max_retries``: many visitors
    behind one address share Rocket.Chat's per-IP window, and may each need a few resets.
    ``max_retries=0`` turns every retry off, 429s included.
    """
    if status not in RETRYABLE_STATUSES:
        return GIVE_UP
    server_wait = server_retry_after(headers, now=now)
    if status == 429:
        wait = server_wait if server_wait is not None else _backoff(policy, attempt)
        over_budget = rate_limit_waited + wait > policy.max_rate_limit_wait
        no_retries = policy.max_retries == 0 or attempt > policy.max_rate_limit_retries
        if not replayable or no_retries or over_budget:
            return Decision(retry=False, retry_after=wait)
        return Decision(retry=True, delay=wait, retry_after=wait)
    if not idempotent or attempt > policy.max_retries:
        return GIVE_UP
    wait = server_wait if server_wait is not None else _backoff(policy, attempt)
    if wait > policy.max_rate_limit_wait:
        return GIVE_UP
    return Decision(retry=True, delay=wait)


def decide_after_transport_error(
    policy: RetryPolicy, attempt: int, *, request_sent: bool, idempotent: bool
) -> Decision:
    """Whether to retry after a connection failure or timeout."""
    if attempt > policy.max_retries or (request_sent and not idempotent):
        return GIVE_UP
    return Decision(retry=True, delay=_backoff(policy, attempt))


def server_retry_after(
    headers: Mapping[str, str], *, now: Callable[[], float] = time.time
) -> float | None:
    """Seconds the server asks us to wait: ``Retry-After`` or Rocket.Chat's ``X-RateLimit-Reset``.

    ``X-RateLimit-Reset`` is an absolute epoch time in **milliseconds**
    (``apps/meteor/app/api/server/api.ts``).
    """
    retry_after = headers.get("retry-after")
    if retry_after:
        seconds = _parse_retry_after(retry_after, now)
        if seconds is not None:
            return seconds
    reset = headers.get("x-ratelimit-reset")
    if reset:
        try:
            reset_ms = float(reset)
        except ValueError:
            return None
        return max(0.0, reset_ms / 1000.0 - now())
    return None


def _parse_retry_after(value: str, now: Callable[[], float]) -> float | None:
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        from email.utils import parsedate_to_datetime  # rare (an HTTP-date): loaded then

        return max(0.0, parsedate_to_datetime(value).timestamp() - now())
    except (TypeError, ValueError):
        return None


def _backoff(policy: RetryPolicy, attempt: int) -> float:
    return backoff_delay(attempt, base=policy.backoff_base, cap=policy.backoff_cap)
