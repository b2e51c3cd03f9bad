"""Typed events from DDP frames, and the gap-free / duplicate-free message ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rocketchat_livechat._core.events import (
    AgentChangedEvent,
    AgentStatusEvent,
    Anchor,
    GapFill,
    InquiryEvent,
    MessageDeletedEvent,
    MessageEvent,
    MessageLedger,
    QueuePositionEvent,
    RealtimeEvent,
    RoomAssignmentEvent,
    RoomClosedEvent,
    TypingEvent,
    VisitorChangedEvent,
    parse_changed,
)
from rocketchat_livechat.models import Message

T0 = datetime(2024, 10, 15, 12, 0, tzinfo=UTC)


def msg(
    mid: str, second: float, *, rid: str = "R", edited: float | None = None, **extra: Any
) -> Message:
    doc: dict[str, Any] = {"_id": mid, "rid": rid, "msg": mid, "ts": T0 + timedelta(seconds=second)}
    if edited is not None:
        doc["editedAt"] = T0 + timedelta(seconds=edited)
    doc.update(extra)
    return Message.model_validate(doc)


# --- parsing --------------------------------------------------------------------------------------


def test_room_message_is_parsed_with_ejson_dates() -> None:
    (event,) = parse_changed(
        "stream-room-messages",
        "R",
        [
            {
                "_id": "m1",
                "rid": "R",
                "msg": "hi",
                "ts": {"$date": 1728993600000},
                "u": {"_id": "a", "username": "agent"},
            }
        ],
    )
    assert isinstance(event, MessageEvent)
    assert (event.message.id, event.rid, event.message.msg) == ("m1", "R", "hi")
    assert event.message.ts == T0
    assert (event.edited, event.replayed) == (False, False)


AGENT = {"_id": "a1", "username": "agent", "name": "Agent", "status": "online"}
INQUIRY = {"_id": "i1", "rid": "R", "status": "queued", "name": "guest-1"}


@pytest.mark.parametrize(
    ("collection", "event_name", "args", "expected"),
    [
        ("stream-livechat-room", "R", [{"type": "agentData", "data": AGENT}], "agent"),
        ("stream-livechat-room", "R", [{"type": "agentData"}], AgentChangedEvent("R", None)),
        (
            "stream-livechat-room",
            "R",
            [{"type": "agentData", "data": {"hiddenInfo": True}}],
            AgentChangedEvent("R", None, hidden=True),
        ),
        (
            "stream-livechat-room",
            "R",
            [{"type": "agentStatus", "status": "away"}],
            AgentStatusEvent("R", "away"),
        ),
        ("stream-livechat-room", "R", [{"type": "agentStatus"}], None),
        (
            "stream-livechat-room",
            "R",
            [
                {
                    "type": "queueData",
                    "data": {
                        "spot": 3,
                        "estimatedWaitTimeSeconds": 90,
                        "message": {"text": "wait", "user": {}},
                    },
                }
            ],
            QueuePositionEvent("R", 3, 90.0, "wait"),
        ),
        ("stream-livechat-room", "R", [{"type": "queueData"}], QueuePositionEvent("R", None)),
        (
            "stream-livechat-room",
            "R",
            [{"type": "queueData", "data": {"spot": "x"}}],
            QueuePositionEvent("R", None),
        ),
        (
            "stream-livechat-room",
            "R",
            [{"type": "visitorData", "visitor": {"_id": "v1", "name": "Bob"}}],
            "visitor",
        ),
        ("stream-livechat-room", "R", [{"type": "somethingNew"}], None),
        (
            "stream-notify-room",
            "R/user-activity",
            ["agent", ["user-typing"], {}],
            TypingEvent("R", "agent", True, ("user-typing",)),
        ),
        (
            "stream-notify-room",
            "R/user-activity",
            ["agent", [], {}],
            TypingEvent("R", "agent", False, ()),
        ),
        (
            "stream-notify-room",
            "R/user-activity",
            ["agent", ["user-recording"]],
            TypingEvent("R", "agent", False, ("user-recording",)),
        ),
        (
            "stream-notify-room",
            "R/typing",
            ["agent", True],
            TypingEvent("R", "agent", True, ("user-typing",)),
        ),
        ("stream-notify-room", "R/typing", ["agent", False], TypingEvent("R", "agent", False, ())),
        ("stream-notify-room", "R/deleteMessage", [{"_id": "m1"}], MessageDeletedEvent("R", "m1")),
        ("stream-notify-room", "R/deleteMessage", [{}], None),
        ("stream-notify-room", "R/user-activity", [42, []], None),
        ("stream-notify-room", "no-slash", ["agent", True], None),
        (
            "stream-livechat-inquiry-queue-observer",
            "public",
            [{"type": "added", **INQUIRY}],
            "inquiry",
        ),
        (
            "stream-livechat-inquiry-queue-observer",
            "i1",
            [{"_id": "i1", "clientAction": "removed"}],
            "removed",
        ),
        (
            "stream-notify-user",
            "U/rooms-changed",
            ["inserted", {"_id": "R", "t": "l", "v": {"token": "tk"}}],
            RoomAssignmentEvent("R", True, "tk"),
        ),
        (
            "stream-notify-user",
            "U/rooms-changed",
            ["removed", {"_id": "R", "t": "l"}],
            RoomAssignmentEvent("R", False, None),
        ),
        ("stream-notify-user", "U/rooms-changed", ["updated", {"_id": "R", "t": "l"}], None),
        (
            "stream-notify-user",
            "U/subscriptions-changed",
            ["inserted", {"_id": "S", "rid": "R", "t": "l", "v": {"token": "tk"}}],
            RoomAssignmentEvent("R", True, "tk"),
        ),
        (
            "stream-notify-user",
            "U/subscriptions-changed",
            ["inserted", {"_id": "S", "rid": "R", "t": "d"}],
            None,
        ),
        ("stream-notify-user", "U/notification", ["inserted", {"rid": "R", "t": "l"}], None),
        ("stream-unknown", "R", [{}], None),
        ("stream-livechat-room", "R", [], None),
    ],
)
def test_parse_changed(collection: str, event_name: str, args: list[Any], expected: Any) -> None:
    events = parse_changed(collection, event_name, args)
    if expected is None:
        assert events == []
        return
    (event,) = events
    if expected == "agent":
        assert isinstance(event, AgentChangedEvent) and event.agent is not None
        assert (event.rid, event.agent.username, event.agent.status, event.hidden) == (
            "R",
            "agent",
            "online",
            False,
        )
    elif expected == "visitor":
        assert isinstance(event, VisitorChangedEvent) and event.visitor.name == "Bob"
    elif expected == "inquiry":
        assert isinstance(event, InquiryEvent) and event.inquiry is not None
        assert (event.action, event.inquiry_id, event.inquiry.status) == ("added", "i1", "queued")
    elif expected == "removed":
        assert event == InquiryEvent("removed", "i1", None)
    else:
        assert event == expected


def test_malformed_documents_raise_value_error() -> None:
    with pytest.raises(ValueError):
        parse_changed("stream-room-messages", "R", [{"msg": "no id"}])


def test_events_are_frozen() -> None:
    event = TypingEvent("R", "a", True)
    with pytest.raises(AttributeError):
        event.typing = False  # type: ignore[misc]


# --- ledger ---------------------------------------------------------------------------------------


def ids(events: list[RealtimeEvent]) -> list[tuple[str, bool, bool]]:
    return [(e.message.id, e.edited, e.replayed) for e in events if isinstance(e, MessageEvent)]


def test_duplicates_are_dropped_and_edits_flagged() -> None:
    ledger = MessageLedger()
    assert ids(ledger.accept(msg("a", 1))) == [("a", False, False)]
    assert ledger.accept(msg("a", 1)) == []
    assert ids(ledger.accept(msg("a", 1, edited=5))) == [("a", True, False)]
    assert ledger.accept(msg("a", 1, edited=5)) == []  # same edit again
    assert ledger.accept(msg("a", 1, edited=3)) == []  # an older version arriving late
    assert ledger.accept(msg("a", 1)) == []  # the unedited original arriving late
    assert ids(ledger.accept(msg("a", 1, edited=9))) == [("a", True, False)]


def test_anchor_follows_the_newest_message() -> None:
    ledger = MessageLedger()
    ledger.accept(msg("a", 2))
    ledger.accept(msg("b", 1))  # older, does not move the anchor
    assert ledger.anchor("R") == Anchor("a", T0 + timedelta(seconds=2))
    ledger.accept(msg("c", 2))
    assert ledger.anchor("R") == Anchor("c", T0 + timedelta(seconds=2))
    assert ledger.anchor("other") is None


def test_livechat_close_adds_a_room_closed_event_once() -> None:
    ledger = MessageLedger()
    close = msg(
        "x", 1, t="livechat-close", msg="Closed by visitor", u={"_id": "v", "username": "guest-1"}
    )
    events = ledger.accept(close)
    assert events[1:] == [RoomClosedEvent("R", "guest-1", "Closed by visitor")]
    assert ledger.is_closed("R")
    assert ledger.accept(close) == []


def test_start_seeds_without_emitting_unless_replay() -> None:
    ledger = MessageLedger()
    recent = [msg("c", 3), msg("b", 2)]  # newest first, as history returns it
    assert ledger.start("R", recent, replay=False) == []
    assert ledger.is_started("R")
    assert ledger.anchor("R") == Anchor("c", T0 + timedelta(seconds=3))
    assert ledger.accept(msg("b", 2)) == []
    other = MessageLedger()
    assert ids(other.start("R", recent, replay=True)) == [("b", False, True), ("c", False, True)]


def test_fill_holds_live_messages_until_the_gap_is_replayed() -> None:
    ledger = MessageLedger()
    ledger.accept(msg("a", 1))
    ledger.begin_fill("R")
    assert ledger.accept(msg("d", 4)) == []  # live, but the gap is not filled yet: held
    ledger.accept(msg("e", 5))
    gap = ledger.gap("R", page_size=10)
    assert gap.anchor == Anchor("a", T0 + timedelta(seconds=1))
    gap.feed([msg("e", 5), msg("d", 4), msg("c", 3), msg("b", 2, edited=2.5), msg("a", 1)])
    assert gap.done
    events = ledger.end_fill("R", gap.messages())
    assert ids(events) == [
        ("b", False, True),
        ("c", False, True),
        ("d", False, True),
        ("e", False, True),
    ]  # the held live copies of d and e are duplicates
    assert ids(ledger.accept(msg("f", 6))) == [("f", False, False)]


def test_begin_fill_twice_keeps_the_first_anchor_and_held_messages() -> None:
    ledger = MessageLedger()
    ledger.accept(msg("a", 1))
    ledger.begin_fill("R")
    ledger.accept(msg("b", 2))
    ledger.begin_fill("R")  # dropped again before the fill could run
    assert ledger.gap("R").anchor == Anchor("a", T0 + timedelta(seconds=1))
    assert ids(ledger.end_fill("R", [])) == [("b", False, False)]


def test_edit_of_a_seen_message_recovered_from_history_is_replayed_as_edit() -> None:
    ledger = MessageLedger()
    ledger.accept(msg("a", 1))
    ledger.begin_fill("R")
    events = ledger.end_fill("R", [msg("a", 1, edited=3), msg("b", 2)])
    assert ids(events) == [("a", True, True), ("b", False, True)]


def test_seen_ids_are_bounded() -> None:
    ledger = MessageLedger(max_seen=2)
    for i, name in enumerate("abc"):
        ledger.accept(msg(name, i))
    assert ledger.accept(msg("c", 2)) == []
    assert ids(ledger.accept(msg("a", 0))) == [("a", False, False)]  # forgotten, so new again


def test_forget_drops_room_state() -> None:
    ledger = MessageLedger()
    ledger.start("R", [msg("a", 1)], replay=False)
    ledger.forget("R")
    assert not ledger.is_started("R") and ledger.anchor("R") is None


# --- gap paging -----------------------------------------------------------------------------------


def history(
    messages: list[Message], end: datetime | None, offset: int, limit: int
) -> list[Message]:
    """Like the server: newest first, ``end`` strictly before, then offset/limit."""
    newest_first = sorted(messages, key=lambda m: (m.ts, m.id), reverse=True)
    kept = [m for m in newest_first if end is None or (m.ts is not None and m.ts < end)]
    return kept[offset : offset + limit]


def run_fill(
    messages: list[Message], anchor: Anchor | None, page_size: int
) -> tuple[list[str], int]:
    gap = GapFill(anchor, page_size)
    while not gap.done:
        assert gap.pages < 1000, "paging does not terminate"
        end, offset = gap.next_page()
        gap.feed(history(messages, end, offset, page_size))
    return [m.id for m in gap.messages()], gap.pages


def test_gap_fill_stops_at_the_anchor() -> None:
    room = [msg(f"m{i}", i) for i in range(50)]
    got, pages = run_fill(room, Anchor("m39", T0 + timedelta(seconds=39)), page_size=4)
    assert got == [f"m{i}" for i in range(39, 50)]  # the anchor itself is included (deduped later)
    assert pages == 4  # pages overlap by their oldest millisecond


def test_gap_fill_without_anchor_collects_everything() -> None:
    room = [msg(f"m{i}", i) for i in range(7)]
    got, pages = run_fill(room, None, page_size=3)
    assert got == [f"m{i}" for i in range(7)]
    assert pages == 4


def test_gap_fill_survives_many_messages_in_one_millisecond() -> None:
    room = [msg(f"m{i:02d}", 1 + (i // 10) * 0.001) for i in range(30)]  # 10 per millisecond
    got, _ = run_fill(room, Anchor("m00", T0 + timedelta(seconds=1)), page_size=4)
    assert sorted(got) == [f"m{i:02d}" for i in range(30)]


def test_gap_fill_stops_on_an_older_message_when_the_anchor_was_deleted() -> None:
    room = [msg(f"m{i}", i) for i in range(10) if i != 5]
    got, _ = run_fill(room, Anchor("m5", T0 + timedelta(seconds=5)), page_size=2)
    assert got == ["m6", "m7", "m8", "m9"]


def test_gap_fill_rejects_bad_page_size() -> None:
    with pytest.raises(ValueError):
        GapFill(None, 0)


@settings(max_examples=60, deadline=None)
@given(
    stamps=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=60),
    anchor_index=st.integers(min_value=0),
    page_size=st.integers(min_value=1, max_value=7),
)
def test_gap_fill_never_misses_a_message_newer_than_the_anchor(
    stamps: list[int], anchor_index: int, page_size: int
) -> None:
    room = [msg(f"m{i:03d}", ms / 1000) for i, ms in enumerate(stamps)]
    anchor_msg = room[anchor_index % len(room)]
    assert anchor_msg.ts is not None
    got, _ = run_fill(room, Anchor(anchor_msg.id, anchor_msg.ts), page_size)
    expected = {m.id for m in room if m.ts is not None and m.ts > anchor_msg.ts}
    assert expected <= set(got)
    assert len(got) == len(set(got))
    by_id = {m.id: m for m in room}
    got_ts = [by_id[mid].ts or T0 for mid in got]
    assert got_ts == sorted(got_ts)  # oldest first
