"""``http.UrlCache``: each path's absolute URL parsed once, as httpx2 would merge it."""

from __future__ import annotations

import httpx2
import pytest

from rocketchat_livechat._core.http import UrlCache

BASE = httpx2.URL("https://chat.example.com/sub/")


@pytest.mark.parametrize(
    "relative",
    ["api/v1/livechat/message", "api/v1/livechat/visitor/a%2Fb", "/api/info", "file-upload/x y"],
)
def test_urls_are_those_httpx2_builds(relative: str) -> None:
    expected = httpx2.Client(base_url=BASE).build_request("GET", relative).url
    cache = UrlCache(BASE)
    assert cache(relative) == expected
    assert cache(relative) is cache(relative)  # parsed once


def test_absolute_urls_pass_through() -> None:
    assert UrlCache(BASE)("http://other.test/x") == httpx2.URL("http://other.test/x")


def test_the_cache_stays_bounded() -> None:
    cache = UrlCache(BASE)
    for n in range(UrlCache.MAX_ENTRIES + 10):
        cache(f"api/v1/livechat/room/{n}")
    assert len(cache._urls) <= UrlCache.MAX_ENTRIES
    assert cache("api/v1/livechat/room/3").path == "/sub/api/v1/livechat/room/3"
