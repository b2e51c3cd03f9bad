from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..client import AsyncLivechatClient


class AsyncResource:
    """An endpoint group bound to a client."""

    def __init__(self, client: AsyncLivechatClient) -> None:
        self._client = client
