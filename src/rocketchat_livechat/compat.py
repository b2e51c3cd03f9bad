"""A drop-in for the livechat methods of ``rocketchat_API`` (PyPI).

Switch by changing one import::

    # from rocketchat_API.rocketchat import RocketChat
    from rocketchat_livechat.compat import RocketChatLivechat as RocketChat

Methods keep ``rocketchat_API``'s names and arguments and return the parsed JSON dict (paginated
ones yield items, with ``offset``/``count``/``max_count`` as there). Underneath they use this SDK's
validation, URL encoding, retries and typed errors (subclasses of :class:`APIError`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

from ._core.endpoints import config, inquiries, messages, room, users, visitor
from ._core.pagination import HistoryPager
from ._core.request import Call, Request, query_params
from ._sync.client import LivechatClient

Json = dict[str, Any]


def _raw(call: Call[Any]) -> Call[Json]:
    """The same request, answering the JSON body itself."""
    original = call.recover
    recover = None if original is None else lambda: _raw(original())
    return dataclasses.replace(call, parse=lambda body: body, recover=recover)


class RocketChatLivechat:
    """``rocketchat_API.RocketChat``'s livechat methods on top of :class:`LivechatClient`."""

    def __init__(
        self,
        user: str | None = None,
        password: str | None = None,
        auth_token: str | None = None,
        user_id: str | None = None,
        server_url: str = "http://127.0.0.1:3000",
        ssl_verify: bool = True,
        timeout: float = 30,
    ) -> None:
        self.client = LivechatClient(
            server_url, user_id=user_id, auth_token=auth_token, timeout=timeout, verify=ssl_verify
        )
        if user is not None and password is not None:
            self.client.login(user, password)

    def _call(self, call: Call[Any]) -> Json:
        return self.client._request(_raw(call))

    def _get(self, route: str, **params: Any) -> Json:
        request = Request(
            "GET", route, route, params=query_params(params), auth="user", idempotent=True
        )
        return self._call(Call(request, lambda body: body))

    def _paginate(
        self,
        fetch: Callable[[int, int], Json],
        key: str,
        offset: int,
        count: int,
        max_count: int | None,
    ) -> Iterator[Json]:
        yielded = 0
        while max_count is None or yielded < max_count:
            body = fetch(offset, count)
            items = body.get(key) or []
            for item in items:
                if max_count is not None and yielded >= max_count:
                    return
                yield item
                yielded += 1
            offset += len(items)
            if not items or offset >= body.get("total", 0):
                return

    # --- visitor side ------------------------------------------------------------------------

    def livechat_register_visitor(self, token: str, **kwargs: Any) -> Json:
        fields = {**kwargs.pop("visitor", {}), **kwargs}
        custom = fields.pop("customFields", fields.pop("custom_fields", None))
        call = visitor.register_visitor(
            token,
            name=fields.get("name"),
            email=fields.get("email"),
            department=fields.get("department"),
            phone=fields.get("phone"),
            username=fields.get("username"),
            custom_fields=custom,
        )
        return self._call(call)

    def livechat_get_visitor(self, token: str) -> Json:
        return self._call(visitor.get_visitor(token))

    def livechat_room(self, token: str, **kwargs: Any) -> Json:
        return self._call(
            room.get_room(token, rid=kwargs.get("rid"), agent_id=kwargs.get("agentId"))
        )

    def livechat_message(self, token: str, rid: str, msg: str, **kwargs: Any) -> Json:
        return self._call(
            messages.send_message(
                token, rid, msg, message_id=kwargs.get("_id"), agent=kwargs.get("agent")
            )
        )

    def livechat_messages_history(
        self, rid: str, token: str, *, max_count: int | None = None, count: int = 50, **kwargs: Any
    ) -> Iterator[Json]:
        """Every message, newest first (paged by ``end``: the server ignores ``count`` here)."""
        pager = HistoryPager(count)
        yielded = 0
        while not pager.done:
            page = self.client.messages.get_message_history(
                rid, token, end=pager.end, limit=count, offset=pager.offset or None
            )
            for message in pager.advance(page):
                if max_count is not None and yielded >= max_count:
                    return
                yield message.model_dump(by_alias=True, mode="json", exclude_none=True)
                yielded += 1

    # --- agent / manager side ----------------------------------------------------------------

    def livechat_rooms(
        self, *, offset: int = 0, count: int = 50, max_count: int | None = None, **kwargs: Any
    ) -> Iterator[Json]:
        return self._paginate(
            lambda o, c: self._get("livechat/rooms", **kwargs, offset=o, count=c),
            "rooms",
            offset,
            count,
            max_count,
        )

    def livechat_inquiries_list(
        self, *, offset: int = 0, count: int = 50, max_count: int | None = None, **kwargs: Any
    ) -> Iterator[Json]:
        return self._paginate(
            lambda o, c: self._call(
                inquiries.list_inquiries(department=kwargs.get("department"), offset=o, count=c)
            ),
            "inquiries",
            offset,
            count,
            max_count,
        )

    def livechat_inquiries_take(self, inquiry_id: str, **kwargs: Any) -> Json:
        return self._call(inquiries.take_inquiry(inquiry_id, user_id=kwargs.get("userId")))

    def livechat_inquiries_get_one(self, room_id: str, **kwargs: Any) -> Json:
        return self._call(inquiries.get_inquiry(room_id))

    def livechat_get_users(
        self,
        user_type: str,
        *,
        offset: int = 0,
        count: int = 50,
        max_count: int | None = None,
        **kwargs: Any,
    ) -> Iterator[Json]:
        return self._paginate(
            lambda o, c: self._call(users.list_users(user_type, offset=o, count=c)),  # type: ignore[arg-type]
            "users",
            offset,
            count,
            max_count,
        )

    def livechat_create_user(self, user_type: str, **kwargs: Any) -> Json:
        return self._call(users.create_user(user_type, kwargs.get("username")))  # type: ignore[arg-type]

    def livechat_get_user(self, user_type: str, user_id: str, **kwargs: Any) -> Json:
        return self._call(users.get_user(user_type, user_id))  # type: ignore[arg-type]

    def livechat_delete_user(self, user_type: str, user_id: str) -> Json:
        return self._call(users.delete_user(user_type, user_id))  # type: ignore[arg-type]

    def livechat_get_appearance(self, **kwargs: Any) -> Json:
        return self._call(config.get_appearance())

    def livechat_set_appearance(self, settings: list[Json]) -> Json:
        return self._call(config.set_appearance(settings))

    def close(self) -> None:
        self.client.close()


__all__ = ["RocketChatLivechat"]
