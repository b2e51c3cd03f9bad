"""The version table itself, and everything that must agree with it (no server needed)."""

from __future__ import annotations

import re

import pytest

from rocketchat_livechat._core.endpoints import declared as declared_endpoints
from rocketchat_livechat.cli.serve import serve
from rocketchat_livechat.server.versions import CHANGES, DEFAULT_LINE, LINES, ServerLine

pytestmark = pytest.mark.e2e


def test_default_is_the_newest_line() -> None:
    assert DEFAULT_LINE == "9.0" == LINES[-1]
    assert ServerLine().full_version == "9.0.0"


def test_every_change_names_its_version_feature_and_source() -> None:
    for change in CHANGES:
        assert change.since >= (6, 0) and change.feature and change.what and change.source


def test_unknown_features_and_lines_are_refused() -> None:
    line = ServerLine("8.8")
    with pytest.raises(KeyError):
        line.has("no-such-feature")
    with pytest.raises(KeyError):
        line.has("webhook-retry-policy")  # a variant
    with pytest.raises(ValueError, match=r"unsupported Rocket\.Chat line"):
        ServerLine("5.4")
    assert line.serves_route("GET", "livechat/config")  # not in the table: on every line


def test_the_cli_offers_exactly_the_lines() -> None:
    option = next(p for p in serve.params if p.name == "rc_version")
    assert tuple(option.type.choices) == LINES  # type: ignore[attr-defined]
    # no default in click: the server picks DEFAULT_LINE, or the widget's line with --widget
    assert option.default is None
    assert f"default {DEFAULT_LINE}" in (option.help or "")


@pytest.mark.parametrize("line", LINES)
def test_sdk_declarations_agree_with_the_table(line: str) -> None:
    """Where an SDK endpoint says when its route appeared or moved, the server's table agrees."""
    server = ServerLine(line)
    for declared in declared_endpoints():
        if declared.added is not None:
            assert server.serves_route(declared.method, _pattern(declared.route)) is (
                server.version >= declared.added[:2]
            ), declared.qualname
        if declared.since:
            route = _pattern(declared.route_for(server.version))
            assert server.serves_route(declared.method, route), (declared.qualname, line)


def _pattern(route: str) -> str:
    """``rooms.upload/{rid}`` → ``rooms.upload/:rid`` (the server's route pattern)."""
    return re.sub(r"\{(\w+)\}", r":\1", route)


@pytest.mark.parametrize(
    ("version", "sends"),
    [((6, 14, 0), True), ((7, 10, 4), True), ((8, 0, 0), False), ((9, 0, 0), False), (None, True)],
)
def test_the_visitor_realtime_login_by_version(
    version: tuple[int, ...] | None, sends: bool
) -> None:
    from rocketchat_livechat._core import ddp

    frame = ddp.visitor_login("1", "tok", version)
    if sends:
        assert frame == ddp.method("1", "livechat:setUpConnection", [{"token": "tok"}])
    else:
        assert frame is None
    assert ServerLine("8.8").serves_ddp_method("livechat:setUpConnection") is False


@pytest.mark.parametrize(
    "url",
    [
        "/ufs/FileSystem:Uploads/f1/a%20b.txt",
        "https://chat.example.com/ufs/GridFS:Uploads/f1/a%20b.txt?token=jwt",
        "/file-upload/f1/a%20b.txt",
    ],
)
def test_legacy_file_links_are_fetched_from_file_upload(url: str) -> None:
    from rocketchat_livechat._core import downloads

    ref = downloads.file_ref(url)
    assert (ref.file_id, ref.name) == ("f1", "a b.txt")
    request = downloads.visitor_request(ref, "tok", "r1")
    assert request.path.startswith("file-upload/f1/")
