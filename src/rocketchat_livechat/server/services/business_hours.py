"""The Community Edition's default business hour (``Livechat_enable_business_hours``).

Rocket.Chat CE has one business hour, the default one ``createDefaultBusinessHourRow`` makes
(``apps/meteor/app/livechat/server/business-hour/LivechatBusinessHours.ts``): Monday to Friday
08:00-20:00, Saturday and Sunday closed, in the server's time zone (UTC here). While the setting
is on, cron jobs open and close it (``SingleBusinessHourBehavior``, ``Helper.ts``, the ``Users``
model):

* opening: every agent becomes ``available`` with the hour in ``openBusinessHours``;
* closing (or switching the setting on outside the hours): ``openBusinessHours`` emptied, every
  agent without an open hour ``not-available`` — so ``livechat/config`` reports ``online: false``
  and nothing is routed to them;
* switching the setting off: ``openBusinessHours`` removed, statuses kept;
* an agent may not make itself ``available`` outside the hours (``livechat/agent.status``:
  ``error-business-hours-are-closed``); a new agent outside the hours is ``not-available``.

:func:`apply` makes the transition due at the server's current time; the server runs it every
second (:func:`run`) and right after the setting changes. Not emulated: editing the hours
(``livechat:saveBusinessHour``, ``GET livechat/business-hour``) and time zones.
"""

from __future__ import annotations

import asyncio
import weakref
from datetime import datetime, time

from ..state import ServerState
from ..store import Doc

#: the default business hour's ``_id`` (Rocket.Chat makes a random ObjectId once)
DEFAULT_ID = "000000000000000000000bh0"
#: weekday (Monday = 0) → (start, finish) of the open days
WORK_HOURS: dict[int, tuple[time, time]] = {day: (time(8), time(20)) for day in range(5)}
SETTING = "Livechat_enable_business_hours"

#: the state last applied per server: True open, False closed, None feature off
_APPLIED: weakref.WeakKeyDictionary[ServerState, bool | None] = weakref.WeakKeyDictionary()


def is_open(now: datetime) -> bool:
    """Whether the default business hour is open at ``now``."""
    hours = WORK_HOURS.get(now.weekday())
    return hours is not None and hours[0] <= now.time() < hours[1]


def _target(state: ServerState) -> bool | None:
    return is_open(state.now()) if state.settings[SETTING] else None


def apply(state: ServerState) -> None:
    """Make the transition due now, once (what the cron jobs and the setting watcher do)."""
    target = _target(state)
    if state not in _APPLIED and target is None:
        _APPLIED[state] = None
        return
    if state in _APPLIED and _APPLIED[state] == target:
        return
    agents = state.store.users
    with state.store.transaction():
        if target is None:  # removeBusinessHoursFromAllUsers
            agents.update_many({"roles": "livechat-agent"}, {"$unset": {"openBusinessHours": 1}})
        elif target:  # openAgentsBusinessHoursByBusinessHourId
            agents.update_many(
                {"roles": "livechat-agent"},
                {"$set": {"statusLivechat": "available", "openBusinessHours": [DEFAULT_ID]}},
            )
        else:  # closeAgentsBusinessHoursByBusinessHourIds, updateLivechatStatusBasedOnBusinessHours
            agents.update_many(
                {"roles": "livechat-agent"},
                {"$set": {"statusLivechat": "not-available", "openBusinessHours": []}},
            )
    _APPLIED[state] = target


def may_be_available(state: ServerState, agent: Doc) -> bool:
    """``allowAgentChangeServiceStatus`` for ``available``: the feature is off, or the agent
    is within an open business hour (``isAgentWithinBusinessHours``)."""
    apply(state)
    return not state.settings[SETTING] or bool(agent.get("openBusinessHours"))


def new_agent_fields(state: ServerState) -> Doc:
    """``onNewAgentCreated``: the hour while it is open, ``not-available`` while closed."""
    target = _target(state)
    if target is None:
        return {}
    if target:
        return {"openBusinessHours": [DEFAULT_ID]}
    return {"statusLivechat": "not-available"}


async def run(state: ServerState, interval: float = 1.0) -> None:
    """The cron: apply the due transition every ``interval`` seconds (until cancelled)."""
    while True:
        apply(state)
        await asyncio.sleep(interval)
