"""rocketchat-livechat: typed sync and async clients for Rocket.Chat Omnichannel Livechat.

Heavy parts load on first use, so ``import rocketchat_livechat`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._core.tokens import new_visitor_token
from ._version import __version__
from .errors import *  # noqa: F403  (the hierarchy is small and entirely public)
from .errors import __all__ as _error_names

if TYPE_CHECKING:
    from httpx2 import Timeout

    from ._async.client import AsyncLivechatClient
    from ._async.session import AsyncVisitorSession
    from ._sync.client import LivechatClient
    from ._sync.session import VisitorSession

_LAZY = {
    "LivechatClient": "._sync.client",
    "AsyncLivechatClient": "._async.client",
    "VisitorSession": "._sync.session",
    "AsyncVisitorSession": "._async.session",
    "Timeout": "httpx2",
}

__all__ = [
    "AsyncLivechatClient",
    "AsyncVisitorSession",
    "LivechatClient",
    "Timeout",
    "VisitorSession",
    "__version__",
    "new_visitor_token",
    *_error_names,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value
