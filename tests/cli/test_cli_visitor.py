"""``config`` and ``visitor register|get|delete``."""

from __future__ import annotations

from typing import Any

from _cli_helpers import Run, output

from rocketchat_livechat.testing.plugin import Agent


def test_config_reports_online_agents(run: Run, agent: Agent) -> None:
    config = output(run("config"))
    assert config["enabled"] is True
    assert config["online"] is True
    assert "fileUpload" in config["settings"]  # dumped by alias, like the server's JSON


def test_config_with_token_includes_the_visitor_and_room(run: Run, visitor: dict[str, Any]) -> None:
    config = output(run("config", "--token", visitor["token"]))
    assert config["guest"]["_id"] == visitor["_id"]
    assert config["guest"]["token"] == "***"  # secrets are redacted from results
    assert config["room"]["_id"] == visitor["rid"]


def test_register_generates_a_token_and_keeps_custom_fields(run: Run) -> None:
    registered = output(run("visitor", "register", "--name", "Ann", "--email", "ann@example.com"))
    assert len(registered["token"]) >= 32
    assert registered["name"] == "Ann"
    assert registered["visitorEmails"] == [{"address": "ann@example.com"}]
    fetched = output(run("visitor", "get", "--token", registered["token"]))
    assert fetched["_id"] == registered["_id"]


def test_register_with_a_given_token_updates_the_visitor(run: Run) -> None:
    first = output(run("visitor", "register", "--token", "cli-token-1", "--name", "Old"))
    second = output(run("visitor", "register", "--token", "cli-token-1", "--name", "New"))
    assert second["_id"] == first["_id"]
    assert output(run("visitor", "get", "--token", "cli-token-1"))["name"] == "New"


def test_register_refuses_a_malformed_custom_field(run: Run) -> None:
    result = run("visitor", "register", "--field", "no-equals-sign")
    assert result.exit_code == 2
    assert "KEY=VALUE" in result.stderr


def test_token_from_the_environment(run: Run) -> None:
    token = output(run("visitor", "register", "--name", "Env"))["token"]
    fetched = output(run("visitor", "get", env={"ROCKETCHAT_VISITOR_TOKEN": token}))
    assert fetched["name"] == "Env"


def test_delete_then_get_is_an_api_error(run: Run) -> None:
    token = output(run("visitor", "register", "--name", "Gone"))["token"]
    deleted = output(run("visitor", "delete", "--token", token))
    assert deleted["_id"]
    result = run("visitor", "get", "--token", token)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: InvalidTokenError [invalid-token]")
    assert token not in result.stderr


def test_only_register_shows_the_token(run: Run) -> None:
    token = output(run("visitor", "register", "--name", "Tess"))["token"]
    for mode in ("--json", "--no-json"):
        result = run("visitor", "get", "--token", token, mode)
        assert result.exit_code == 0
        assert "Tess" in result.stdout
        assert token not in result.stdout
        assert "***" in result.stdout
    table = run("visitor", "register", "--token", token, "--no-json")
    assert "┃ field" in table.stdout
    assert token in table.stdout
