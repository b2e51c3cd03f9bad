"""429 from the server's rate limiter (on for this module's own server): the SDK waits for
``X-RateLimit-Reset`` and succeeds when that is within its budget, and fails with
``RateLimitError.retry_after`` when it is not."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from rocketchat_livechat import AsyncLivechatClient, RateLimitError, new_visitor_token
from rocketchat_livechat.server import EmbeddedServer

pytestmark = pytest.mark.e2e

WINDOW_MS = 1500  # the default rule: 3 calls per 1.5 s (POST livechat/visitor keeps 5 per 60 s)


@pytest.fixture(scope="module")
def limited_server() -> Iterator[EmbeddedServer]:
    settings = {
        "API_Enable_Rate_Limiter_Limit_Calls_Default": 3,
        "API_Enable_Rate_Limiter_Limit_Time_Default": WINDOW_MS,
    }
    with EmbeddedServer(rate_limit=True, settings=settings) as server:
        yield server


@pytest.fixture
def fresh_limits(limited_server: EmbeddedServer) -> EmbeddedServer:
    limited_server.state.rate_limiter.reset()
    return limited_server


async def test_a_near_reset_is_waited_for(fresh_limits: EmbeddedServer) -> None:
    async with AsyncLivechatClient(fresh_limits.url, max_retries=3) as client:
        started = time.monotonic()
        for _ in range(5):  # the 4th call is refused, then retried after the reset
            config = await client.config.get_config()
            assert config.enabled
        elapsed = time.monotonic() - started
    assert 0.2 < elapsed < WINDOW_MS / 1000 * 3


async def test_a_far_reset_fails_with_retry_after(fresh_limits: EmbeddedServer) -> None:
    async with AsyncLivechatClient(fresh_limits.url, max_rate_limit_wait=5) as client:
        token = new_visitor_token()
        with pytest.raises(RateLimitError) as caught:
            for _ in range(6):  # POST livechat/visitor: 5 per 60 s
                await client.visitor.register_visitor(token)
    error = caught.value
    assert error.code == 429
    assert error.error == "error-too-many-requests"
    assert error.retry_after is not None and 50 < error.retry_after <= 60
    assert "You must wait" in str(error.details["error"])


async def test_without_retries_the_first_429_is_raised(fresh_limits: EmbeddedServer) -> None:
    async with AsyncLivechatClient(fresh_limits.url, max_retries=0) as client:
        with pytest.raises(RateLimitError) as caught:
            for _ in range(4):
                await client.config.get_config()
    assert caught.value.retry_after is not None
    assert 0 <= caught.value.retry_after <= WINDOW_MS / 1000
