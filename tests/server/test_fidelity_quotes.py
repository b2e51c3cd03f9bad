"""Quotes: a visitor message linking ``<Site_Url>/live/<rid>?msg=<id>`` quotes that message.

Rocket.Chat's ``beforeSaveMessage`` callback ``jumpToMessage``
(``apps/meteor/app/oembed/server/jumpToMessage.ts``) with ``createQuoteAttachment``
(``apps/meteor/lib/createQuoteAttachment.ts``): the message gets an attachment ``{text, md,
message_link, author_name, author_icon, attachments, ts}`` and the URL ``ignoreParse``.
"""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from _server_helpers import new_chat

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e


def send(http: httpx2.Client, token: str, rid: str, msg: str) -> dict[str, Any]:
    answer = http.post("livechat/message", json={"token": token, "rid": rid, "msg": msg})
    assert answer.status_code == 200, answer.text
    message: dict[str, Any] = answer.json()["message"]
    return message


def test_a_visitor_message_linking_a_message_quotes_it(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    token, room = new_chat(http, name="Quoting Visitor")
    rid = room["_id"]
    first = send(http, token, rid, "the original words")
    site = livechat_server.url.rstrip("/")
    link = f"{site}/live/{rid}?msg={first['_id']}"
    quoting = send(http, token, rid, f"[{link}](quote) and my answer")
    assert quoting["urls"] == [{"url": link, "ignoreParse": True}]
    [quote] = quoting["attachments"]
    assert quote == {
        "text": "the original words",
        "md": first["md"],
        "message_link": link,
        "author_name": "Quoting Visitor",  # the visitor message's alias
        "author_icon": f"/avatar/{first['u']['username']}",
        "attachments": [],
        "ts": first["ts"],
    }
    stored = http.get(
        f"livechat/message/{quoting['_id']}", params={"token": token, "rid": rid}
    ).json()["message"]
    assert stored["attachments"] == [quote]


def test_an_agent_message_is_quoted_with_its_author(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    reply = livechat_server.agent_send(agent, rid, "agent words")
    link = f"{livechat_server.url.rstrip('/')}/live/{rid}?msg={reply['_id']}"
    quote = send(http, token, rid, f"[{link}](quote) thanks")["attachments"][0]
    assert quote["author_name"] == agent.username and quote["text"] == "agent words"


def test_links_that_are_not_quotes_stay_plain_urls(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    first = send(http, token, rid, "mine")
    other_token, other_room = new_chat(http)
    theirs = send(http, other_token, other_room["_id"], "not yours")
    site = livechat_server.url.rstrip("/")
    texts = [
        "see https://example.com/page?msg=" + first["_id"],  # another server
        f"[{site}/live/{rid}](no query)",
        f"[{site}/live/{rid}?msg=nope](unknown message)",
        # a message of another visitor's room: the visitor may not see it
        f"[{site}/live/{other_room['_id']}?msg={theirs['_id']}](not mine)",
    ]
    for text in texts:
        message = send(http, token, rid, text)
        assert "attachments" not in message, text
        assert message["urls"] and not any(u.get("ignoreParse") for u in message["urls"]), text
    assert send(http, token, rid, "no links")["urls"] == []


def test_quotes_of_quotes_are_cut_at_the_chain_limit(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    """``validateAttachmentDeepness`` with ``Message_QuoteChainLimit`` 2: in the quoted message,
    the quote of a quote keeps no attachments of its own."""
    token, room = new_chat(http)
    rid = room["_id"]
    site = livechat_server.url.rstrip("/")
    message = send(http, token, rid, "level 0")
    for level in (1, 2, 3):
        link = f"{site}/live/{rid}?msg={message['_id']}"
        message = send(http, token, rid, f"[{link}](q) level {level}")
    quote = message["attachments"][0]
    assert quote["text"].endswith("level 2")
    inner = quote["attachments"][0]
    assert inner["text"].endswith("level 1")
    innermost = inner["attachments"][0]
    assert innermost["text"] == "level 0" and "attachments" not in innermost
