"""``EmbeddedServer``: the whole server (REST + DDP) in a background thread.

::

    with EmbeddedServer(rate_limit=False) as server:
        httpx2.get(f"{server.url}/api/info")
        server.admin_username, server.admin_password   # log in as admin

It listens on ``host`` (127.0.0.1) and ``port`` (0 = a free port), keeps data in ``data_dir``
(a temporary directory removed on exit when ``None``) and stops cleanly on exit. With
``admin_username=None`` it seeds no admin, as a fresh Rocket.Chat: the first user registered
(``users.register``) or created becomes the admin. Like the CLI it
starts with an offline e-mail set and defines the visitor ``custom_fields`` it is given.
``rc_version`` is the Rocket.Chat line to emulate (``"6.14"``, ``"7.10"``, ``"8.8"`` or
``"9.0"``, the default — ``"7.10"`` with ``widget_dir``; :mod:`.versions`).
``webhook_retry_delay`` (seconds) spaces the CRM webhook attempts for tests; by default they
are ``4 × Livechat_http_timeout`` apart, as in Rocket.Chat. ``widget_dir`` (the ``build/``
folder of npm ``@rocket.chat/livechat``) serves the official widget at ``/livechat``; a missing
or broken build, or an 8.0+ ``rc_version`` with it, raises :class:`~.widget.WidgetError`.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import uvicorn

from . import auth
from .app import create_app
from .services import users
from .state import ServerState
from .versions import ServerLine
from .widget import WidgetBuild, serving_line

ADMIN_EMAIL_DOMAIN = "localhost"
#: Seeded on first start. A deliberate difference: Rocket.Chat's default is "" (offline
#: messages refused until an admin sets one); here they work out of the box, logged, not mailed.
OFFLINE_EMAIL = "offline@example.com"


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket (port 0 = any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def server_url(sock: socket.socket) -> str:
    """``http://host:port`` of a bound socket."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def generate_password() -> str:
    """A random admin password."""
    return secrets.token_urlsafe(12)


def ensure_admin(
    state: ServerState, username: str, password: str | None
) -> Literal["created", "updated", "kept"]:
    """Create the admin (first start); with a ``password``, (re)set it on later starts."""
    existing = state.store.users.find_one({"username": username})
    if existing is None:
        users.create_user(
            state,
            username=username,
            password=password or generate_password(),
            email=f"{username}@{ADMIN_EMAIL_DOMAIN}",
            name="Administrator",
            roles=("admin", "user"),
        )
        return "created"
    if password is None:
        return "kept"
    state.store.users.update(
        existing["_id"], {"$set": {"services.password.pbkdf2": auth.hash_password(password)}}
    )
    return "updated"


def _seed_offline_email(state: ServerState) -> None:
    """Set ``Livechat_offline_email`` unless it was ever stored (an explicit "" stays "")."""
    if state.store.settings.get("Livechat_offline_email") is None:
        state.settings.set("Livechat_offline_email", OFFLINE_EMAIL)


def _define_custom_fields(state: ServerState, names: Iterable[str]) -> None:
    """Define visitor-scope custom fields, as Omnichannel > Custom Fields does; keep existing."""
    for name in names:
        if state.store.custom_fields.get(name) is None:
            state.store.custom_fields.save(_custom_field(state, name))


def _custom_field(state: ServerState, name: str) -> dict[str, Any]:
    return {
        "_id": name,
        "label": name,
        "scope": "visitor",
        "visibility": "visible",
        "regexp": "",
        "searchable": True,
        "type": "input",
        "required": False,
        "defaultValue": "",
        "options": "",
        "public": True,
        "_updatedAt": state.now(),
    }


def seed(state: ServerState, custom_fields: Iterable[str] = ()) -> None:
    """The embedded server's start-up data besides the admin (CLI and :class:`EmbeddedServer`)."""
    _seed_offline_email(state)
    _define_custom_fields(state, custom_fields)


def uvicorn_config(
    state: ServerState, widget: WidgetBuild | None = None, **options: Any
) -> uvicorn.Config:
    """The uvicorn configuration used by the CLI and :class:`EmbeddedServer`."""
    return uvicorn.Config(
        create_app(state, widget),
        ws="websockets-sansio",
        lifespan="on",
        log_level="warning",
        access_log=False,  # info-level lines, hidden at "warning" but still formatted per request
        **options,
    )


class EmbeddedServer:
    """A running embedded server; use as a context manager (or :meth:`start`/:meth:`stop`)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        data_dir: str | Path | None = None,
        rate_limit: bool = True,
        admin_username: str | None = "admin",
        admin_password: str | None = None,
        settings: Mapping[str, Any] | None = None,
        custom_fields: Sequence[str] = (),
        webhook_retry_delay: float | None = None,
        rc_version: str | None = None,
        widget_dir: str | Path | None = None,
    ) -> None:
        #: the Rocket.Chat line emulated (``ValueError`` here for an unknown one)
        self.line = ServerLine(serving_line(rc_version, widget=widget_dir is not None))
        self.host = host
        self.port = port
        self._data_dir = data_dir
        self.rate_limit = rate_limit
        self.admin_username = admin_username
        self.admin_password = admin_password or generate_password()
        self._settings = dict(settings or {})
        self._custom_fields = tuple(custom_fields)
        #: seconds between CRM webhook attempts; ``None`` = Rocket.Chat's 4 × timeout
        self.webhook_retry_delay = webhook_retry_delay
        #: the official widget's ``build/`` folder, served at ``/livechat`` (checked at start)
        self.widget_dir = widget_dir
        self._state: ServerState | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321``."""
        if self._url is None:
            raise RuntimeError("server not started")
        return self._url

    @property
    def state(self) -> ServerState:
        """The live :class:`ServerState` (store, settings, broadcaster...)."""
        if self._state is None:
            raise RuntimeError("server not started")
        return self._state

    @property
    def data_dir(self) -> Path:
        """Directory holding ``livechat.sqlite3`` and ``uploads/``."""
        return self.state.data_dir

    def start(self) -> EmbeddedServer:
        """Bind, start serving in a background thread and wait until ready."""
        if self._thread is not None:
            raise RuntimeError("server already started")
        widget = None if self.widget_dir is None else WidgetBuild.load(self.widget_dir)
        sock = bind_socket(self.host, self.port)
        self._url = server_url(sock)
        state = ServerState.open(
            self._data_dir, rate_limit=self.rate_limit, rc_version=self.line.name
        )
        state.settings.set("Site_Url", self._url)
        seed(state, self._custom_fields)
        state.settings.update(self._settings)
        if self.admin_username is not None:
            ensure_admin(state, self.admin_username, self.admin_password)
        state.webhooks.retry_delay = self.webhook_retry_delay
        self._state = state
        server = uvicorn.Server(uvicorn_config(state, widget))
        self._server = server
        self._thread = threading.Thread(
            target=lambda: asyncio.run(server.serve(sockets=[sock])),
            name=f"livechat-server-{self._url}",
            daemon=True,
        )
        self._thread.start()
        while not server.started:
            if not self._thread.is_alive():
                sock.close()
                state.close()
                raise RuntimeError("embedded server failed to start")
            self._thread.join(0.01)
        return self

    def stop(self) -> None:
        """Stop serving, join the thread and close the state (idempotent)."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
        if self._state is not None:
            self._state.close()
        self._server = None

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
