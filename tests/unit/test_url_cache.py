"""``http.UrlCache``: each path's absolute URL parsed once, as httpx2 would merge it."""

from __future__ import annotations

import httpx2
import pytest
from hypothesis import given
from hypothesis import strategies as st

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


_PAIRS = st.lists(
    st.tuples(st.text(min_size=1, max_size=12), st.text(max_size=24)), min_size=1, max_size=5
)


@given(
    relative=st.sampled_from(
        ["api/v1/livechat/messages.history/r1", "/api/info", "http://other.test/x?dl=1&a=b"]
    ),
    pairs=_PAIRS,
)
def test_queries_are_those_httpx2_builds_from_params(
    relative: str, pairs: list[tuple[str, str]]
) -> None:
    expected = httpx2.Client(base_url=BASE).build_request("GET", relative, params=pairs).url
    cache = UrlCache(BASE)
    url = cache(relative, pairs)
    assert (url, url.raw_path) == (expected, expected.raw_path)
    assert cache(relative, list(pairs)) is url  # parsed once, found again by value


def test_a_query_is_kept_apart_from_its_path_and_from_other_queries() -> None:
    cache = UrlCache(BASE)
    plain = cache("api/v1/livechat/room")
    first = cache("api/v1/livechat/room", [("token", "a")])
    second = cache("api/v1/livechat/room", [("token", "b")])
    assert str(plain) == "https://chat.example.com/sub/api/v1/livechat/room"
    assert (first.query, second.query) == (b"token=a", b"token=b")
    assert cache("api/v1/livechat/room", []) is plain
