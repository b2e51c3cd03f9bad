"""The ``chat`` state file."""

from __future__ import annotations

import stat
from pathlib import Path

from rocketchat_livechat.cli import _state


def test_tokens_are_kept_per_server_in_a_private_file(clean_env: Path) -> None:
    assert _state.load_token("http://a.example") is None
    _state.save_token("http://a.example/", "token-a")
    _state.save_token("http://b.example", "token-b")
    assert _state.load_token("http://a.example") == "token-a"  # trailing slash ignored
    assert _state.load_token("http://b.example/") == "token-b"
    path = _state.state_path()
    assert path == clean_env / "rocketchat-livechat" / "state.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]  # no temporary left


def test_a_corrupt_or_foreign_file_is_replaced(clean_env: Path) -> None:
    path = _state.state_path()
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    path.chmod(0o644)
    assert _state.load_token("http://a.example") is None
    _state.save_token("http://a.example", "token-a")
    assert _state.load_token("http://a.example") == "token-a"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text('{"servers": {"http://a.example": "not an object"}}')
    assert _state.load_token("http://a.example") is None
