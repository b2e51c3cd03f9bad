"""``with_options()`` and per-call ``timeout=``: other defaults, the same pool and login."""

from __future__ import annotations

import httpx2
import pytest
from _harness import Recorder, always

from rocketchat_livechat import AsyncLivechatClient, InvalidArgumentError, LivechatClient

LOGIN = {"status": "success", "data": {"userId": "u1", "authToken": "secret"}}
VISITOR = {"visitor": {"_id": "v1", "token": "tok-1"}, "rooms": [], "total": 0}


def client(recorder: Recorder, **kwargs: object) -> LivechatClient:
    return LivechatClient("http://rc.test", transport=httpx2.MockTransport(recorder), **kwargs)  # type: ignore[arg-type]


def test_per_call_timeout_overrides_the_client_default_for_that_call_only() -> None:
    recorder = Recorder(always(VISITOR))
    with client(recorder, timeout=30) as livechat:
        livechat.visitor.get_visitor("tok-1", timeout=2.5)
        livechat.visitor.get_visitor("tok-1")
    first, second = (r.extensions["timeout"] for r in recorder.requests)
    assert first == httpx2.Timeout(2.5).as_dict()
    assert second == httpx2.Timeout(30).as_dict()


def test_a_bad_per_call_timeout_fails_before_any_io() -> None:
    recorder = Recorder()
    with client(recorder) as livechat, pytest.raises(InvalidArgumentError) as caught:
        livechat.room.transfer_room("r1", "tok-1", "dep", timeout="soon")  # type: ignore[call-arg]
    assert caught.value.argument == "timeout"
    assert recorder.requests == []  # not even the version lookup the route needs


def test_with_options_shares_the_pool_and_the_login() -> None:
    recorder = Recorder(always({**LOGIN, **VISITOR}))
    with client(recorder) as livechat:
        fast = livechat.with_options(timeout=1, max_retries=0)
        assert fast._http is livechat._http
        fast.login("bob", "pa55")
        assert livechat.user_id == "u1"  # a login on the copy is the original's login too
        fast.close()  # leaves the shared pool open
        livechat.room.list_rooms()
        assert not livechat._http.is_closed
    assert recorder.last.headers["X-Auth-Token"] == "secret"
    assert recorder.requests[0].extensions["timeout"] == httpx2.Timeout(1).as_dict()


def test_with_options_changes_retries_of_the_copy_only() -> None:
    recorder = Recorder(always({"success": False}, status=503))
    with client(recorder, max_retries=1) as livechat:
        with pytest.raises(Exception):  # noqa: B017 - the retry count is what is checked
            livechat.with_options(max_retries=0).visitor.get_visitor("tok-1")
        assert len(recorder.requests) == 1
        with pytest.raises(Exception):  # noqa: B017
            livechat.visitor.get_visitor("tok-1")
        assert len(recorder.requests) == 3


@pytest.mark.parametrize("value", [-1, 1.5, "2", True])
def test_with_options_refuses_bad_retries(value: object) -> None:
    with client(Recorder()) as livechat, pytest.raises(InvalidArgumentError):
        livechat.with_options(max_retries=value)  # type: ignore[arg-type]


async def test_async_with_options_and_per_call_timeout() -> None:
    recorder = Recorder(always(VISITOR))
    transport = httpx2.MockTransport(recorder)
    async with AsyncLivechatClient("http://rc.test", transport=transport) as livechat:
        derived = livechat.with_options(timeout=4)
        await derived.visitor.get_visitor("tok-1")
        await derived.visitor.get_visitor("tok-1", timeout=None)
        await derived.close()
        assert not livechat._http.is_closed
    first, second = (r.extensions["timeout"] for r in recorder.requests)
    assert first == httpx2.Timeout(4).as_dict()
    assert second == httpx2.Timeout(None).as_dict()
