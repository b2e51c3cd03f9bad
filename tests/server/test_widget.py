"""The official widget at ``/livechat``, as Rocket.Chat's ``app/livechat/server/livechat.ts``.

A stand-in build (``_support.widget_build``) is served here; the browser tests in
``tests/widget`` load the real one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from _support.widget_build import FILES, INDEX, make_build
from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.server.sounds import SILENT_MP3
from rocketchat_livechat.server.widget import WidgetBuild, WidgetError, embed_snippet

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_build(tmp_path_factory.mktemp("widget") / "build")


@pytest.fixture(scope="module")
def server(build_dir: Path) -> Iterator[EmbeddedServer]:
    with EmbeddedServer(rate_limit=False, widget_dir=build_dir) as running:
        yield running


@pytest.fixture
def web(server: EmbeddedServer) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=server.url, timeout=30) as client:
        yield client


def test_index_has_server_url_right_after_body(web: httpx2.Client, server: EmbeddedServer) -> None:
    for path in ("/livechat", "/livechat/", "/livechat?mode=popout"):
        response = web.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.text == INDEX.replace(
            "<body>", f"<body><script> SERVER_URL = '{server.url}'; </script>"
        )
        assert "content-security-policy" not in response.headers
    assert web.head("/livechat").status_code == 200


def test_build_files_under_livechat(web: httpx2.Client) -> None:
    """``index.html`` loads ``livechat/<file>`` relative to ``/livechat``: served from the build."""
    for name, kind in [
        ("0.chunk.1.js", "javascript"),
        ("rocketchat-livechat.min.js", "javascript"),
        ("bundle.2.js.map", "application/json"),
        ("logo.png", "image/png"),
    ]:
        response = web.get(f"/livechat/{name}")
        assert response.status_code == 200, name
        assert kind in response.headers["content-type"]
        assert response.content == FILES[name].encode("latin-1")
        assert response.headers["access-control-allow-origin"] == "*"
    assert web.get("/livechat/no-such.js").status_code == 404
    assert web.get("/livechat/../pyproject.toml").status_code == 404
    assert web.get("/livechat/%2e%2e/%2e%2e/etc/passwd").status_code == 404


def test_allowed_domains_frame_ancestors(web: httpx2.Client, server: EmbeddedServer) -> None:
    """``Livechat_AllowedDomainsList`` + ``Referer``: a CSP naming the site, or ``'none'``."""
    referer = {"Referer": "https://Shop.Example:8443/cart?x=1"}
    assert "content-security-policy" not in web.get("/livechat", headers=referer).headers
    server.state.settings.set("Livechat_AllowedDomainsList", "other.example, shop.example:8443")
    try:
        allowed = web.get("/livechat", headers=referer)
        assert allowed.headers["content-security-policy"] == (
            "frame-ancestors https://shop.example:8443"
        )
        assert "SERVER_URL" in allowed.text
        assert "content-security-policy" not in web.get("/livechat").headers  # no Referer
        refused = web.get("/livechat", headers={"Referer": "https://evil.example/"})
        assert refused.headers["content-security-policy"] == "frame-ancestors 'none'"
        assert "SERVER_URL" not in refused.text
    finally:
        server.state.settings.set("Livechat_AllowedDomainsList", "")


def test_demo_page_embeds_the_widget(web: httpx2.Client, server: EmbeddedServer) -> None:
    response = web.get("/livechat/demo")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert embed_snippet(server.url) in response.text
    assert f"j.src = '{server.url}/livechat/rocketchat-livechat.min.js?_=" in response.text
    assert f"}})(window, document, 'script', '{server.url}/livechat');" in response.text


def test_chime_is_a_playable_mp3(web: httpx2.Client) -> None:
    """``livechat/config``'s ``resources.sound`` answers (a silent MP3 here)."""
    config = web.get("/api/v1/livechat/config").json()["config"]
    sound = web.get(config["resources"]["sound"])
    assert sound.status_code == 200
    assert sound.headers["content-type"] == "audio/mpeg"
    assert sound.content == SILENT_MP3
    assert sound.content[:2] == b"\xff\xfb"  # an MPEG-1 Layer III frame sync


def test_without_a_widget_livechat_says_why(
    livechat_embedded_server: EmbeddedServer,
) -> None:
    with httpx2.Client(base_url=livechat_embedded_server.url) as client:
        for path in ("/livechat", "/livechat/bundle.js", "/livechat/demo"):
            response = client.get(path)
            assert response.status_code == 404
            assert "serve --widget" in response.text


@pytest.mark.parametrize(
    ("index", "files", "error"),
    [
        (None, FILES, "index.html is missing"),
        ("<html>nothing</html>", FILES, "has no <body>"),
        (INDEX, {k: v for k, v in FILES.items() if k != "bundle.2.js"}, "missing bundle.2.js"),
        (
            INDEX,
            {k: v for k, v in FILES.items() if k != "rocketchat-livechat.min.js"},
            "missing rocketchat-livechat.min.js",
        ),
    ],
)
def test_missing_or_broken_build_is_a_clear_error(
    tmp_path: Path, index: str | None, files: dict[str, str], error: str
) -> None:
    folder = make_build(tmp_path / "build", index or "", files)
    if index is None:
        (folder / "index.html").unlink()
    with pytest.raises(WidgetError, match=error):
        WidgetBuild.load(folder)
    server = EmbeddedServer(widget_dir=folder)
    with pytest.raises(WidgetError, match=error):
        server.start()


def test_server_url_cannot_break_out_of_the_script(build_dir: Path) -> None:
    url = "http://x/'</script><script>alert(1)"
    escaped = "http://x/\\'\\x3c/script>\\x3cscript>alert(1)"
    html = WidgetBuild.load(build_dir).index_for(url)
    assert f"SERVER_URL = '{escaped}';" in html
    snippet = embed_snippet(url)
    assert f"j.src = '{escaped}/livechat/rocketchat-livechat.min.js" in snippet
    assert "</script><script>" not in snippet
