"""The official Livechat widget at ``/livechat``, as Rocket.Chat serves it.

Rocket.Chat (``apps/meteor/app/livechat/server/livechat.ts``) answers ``/livechat`` and
``/livechat/`` (any query) with the widget's ``index.html``, ``SERVER_URL`` injected right after
``<body>`` (``app/livechat/lib/Assets.ts``), ``content-type: text/html; charset=utf-8`` and,
when ``Livechat_AllowedDomainsList`` is set and the request has a ``Referer``, a
``Content-Security-Policy: frame-ancestors`` naming the referring site (``'none'`` for a site
not in the list). The other build files are public files under ``/livechat/`` with
``Access-Control-Allow-Origin: *`` (``app/cors/server/cors.ts``); the build's own ``index.html``
refers to them as ``livechat/<file>``, relative to ``/livechat``.

The build is npm ``@rocket.chat/livechat`` (:data:`WIDGET_VERSION`, MIT): its ``build/`` folder.
It is a 7.x-era client (it logs in with ``livechat:setUpConnection``), so it needs a Rocket.Chat
line up to :data:`WIDGET_RC_LINE`.

Where this differs: ``SERVER_URL`` is the ``Site_Url`` setting at request time (Rocket.Chat
takes ``ROOT_URL`` once at start; the embedded server sets ``Site_Url`` to its own URL); a site
not in ``Livechat_AllowedDomainsList`` gets a short page with ``frame-ancestors 'none'``
(Rocket.Chat hands the request on to its web app, under the same header); the Enterprise
settings ``Livechat_AdditionalWidgetScripts`` / ``Livechat_WidgetLayoutClasses`` do not exist
here (Community Edition). ``/livechat/demo`` is not Rocket.Chat's: a page embedding the widget
with Rocket.Chat's installation snippet (Omnichannel > Installation).
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from .state import ServerState
from .versions import DEFAULT_LINE, ServerLine

__all__ = [
    "WIDGET_PACKAGE",
    "WIDGET_RC_LINE",
    "WIDGET_VERSION",
    "WidgetBuild",
    "WidgetError",
    "demo_page",
    "embed_snippet",
    "serving_line",
    "widget_routes",
]

WIDGET_PACKAGE = "@rocket.chat/livechat"
WIDGET_VERSION = "1.13.3"
#: the newest Rocket.Chat line the published widget works with (8.0 removed its DDP login)
WIDGET_RC_LINE = "7.10"
#: the loader a website includes (Rocket.Chat's installation snippet)
LOADER = "rocketchat-livechat.min.js"

_SCRIPT_SRC = re.compile(r"<script[^>]*\ssrc=[\"']?([^\"' >]+)", re.IGNORECASE)
_JS_STRING_ESCAPES = str.maketrans({"\\": "\\\\", "'": "\\'", "<": "\\x3c", "\n": "\\n"})


class WidgetError(Exception):
    """The widget build is missing or broken, or the line cannot serve it (the message says
    what to do)."""


def serving_line(requested: str | None, *, widget: bool) -> str:
    """The Rocket.Chat line to emulate: ``requested``, else :data:`DEFAULT_LINE`, or with the
    widget :data:`WIDGET_RC_LINE`; with the widget, a line without its DDP login (8.0+) raises
    :class:`WidgetError`."""
    if not widget:
        return requested or DEFAULT_LINE
    if requested is None:
        return WIDGET_RC_LINE
    if not ServerLine(requested).serves_ddp_method("livechat:setUpConnection"):
        raise WidgetError(
            f"the published widget (npm {WIDGET_PACKAGE} {WIDGET_VERSION}) logs in with "
            f"livechat:setUpConnection, which Rocket.Chat 8.0 removed, so it cannot run against "
            f"the {requested} line: serve it with --rc-version {WIDGET_RC_LINE} (the default "
            f"with --widget) or 6.14"
        )
    return requested


@dataclass(frozen=True)
class WidgetBuild:
    """A checked widget build: its folder and its ``index.html``."""

    directory: Path
    index_html: str

    @classmethod
    def load(cls, directory: str | Path) -> WidgetBuild:
        """Check ``directory`` holds a complete build; raise :class:`WidgetError` if not."""
        folder = Path(directory).expanduser().resolve()
        index = folder / "index.html"
        if not index.is_file():
            raise WidgetError(
                f"no widget build in {folder}: index.html is missing (pass the build/ folder of "
                f"npm {WIDGET_PACKAGE}, the one holding index.html)"
            )
        try:
            text = index.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise WidgetError(f"cannot read {index}: {exc}") from None
        if "<body>" not in text:
            raise WidgetError(f"{index} is not a widget build's index.html: it has no <body>")
        missing = [name for name in _required_files(text) if not (folder / name).is_file()]
        if missing:
            raise WidgetError(f"incomplete widget build in {folder}: missing {', '.join(missing)}")
        return cls(folder, text)

    def index_for(self, server_url: str) -> str:
        """``index.html`` with ``SERVER_URL`` set, as ``addServerUrlToIndex`` does."""
        root = server_url.rstrip("/").translate(_JS_STRING_ESCAPES)
        return self.index_html.replace(
            "<body>", f"<body><script> SERVER_URL = '{root}'; </script>", 1
        )


def _required_files(index_html: str) -> list[str]:
    """The loader and the build files ``index.html`` loads (``livechat/<file>``)."""
    names = [LOADER]
    for src in _SCRIPT_SRC.findall(index_html):
        if src.startswith("livechat/"):
            names.append(src.removeprefix("livechat/"))
    return names


def embed_snippet(server_url: str) -> str:
    """Rocket.Chat's installation snippet for a website, pointing at ``server_url``."""
    site = server_url.rstrip("/").translate(_JS_STRING_ESCAPES)
    return f"""<!-- Start of Rocket.Chat Livechat Script -->
<script type="text/javascript">
(function(w, d, s, u) {{
	w.RocketChat = function(c) {{ w.RocketChat._.push(c) }};
	w.RocketChat._ = []; w.RocketChat.url = u;
	var h = d.getElementsByTagName(s)[0], j = d.createElement(s);
	j.async = true; j.src = '{site}/livechat/{LOADER}?_=201903270000';
	h.parentNode.insertBefore(j, h);
}})(window, document, 'script', '{site}/livechat');
</script>
<!-- End of Rocket.Chat Livechat Script -->"""


def demo_page(server_url: str) -> str:
    """A small website page embedding the widget of ``server_url``."""
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Livechat widget demo</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<h1>Livechat widget demo</h1>
<p>This page embeds the official Rocket.Chat Livechat widget of
<code>{html.escape(server_url)}</code> the way a website does. Open it at the bottom right.</p>
{embed_snippet(server_url)}
</body>
</html>
"""


def _frame_ancestors(request: Request, allowed_domains: str) -> str | None:
    """The ``frame-ancestors`` source Rocket.Chat sends, ``None`` when it sends no CSP."""
    referer = request.headers.get("referer")
    if not referer or not allowed_domains.strip():
        return None
    parts = urlsplit(referer)
    host = parts.netloc.rpartition("@")[2].lower()  # Node's url.parse lower-cases it
    if host and host not in [domain.strip() for domain in allowed_domains.split(",")]:
        return "'none'"
    return f"{parts.scheme}://{host}"


#: content types as Meteor serves public files (the ``mime`` package), whatever the OS's table
CONTENT_TYPES = {
    ".js": "application/javascript; charset=UTF-8",
    ".css": "text/css; charset=UTF-8",
    ".map": "application/json; charset=UTF-8",
    ".json": "application/json; charset=UTF-8",
    ".html": "text/html; charset=UTF-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".mp3": "audio/mpeg",
}


class _Files(StaticFiles):
    """The build's files, with ``Access-Control-Allow-Origin: *`` like Meteor's public files."""

    def file_response(
        self,
        full_path: str | PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        kind = CONTENT_TYPES.get(Path(full_path).suffix.lower())
        if kind is not None:
            response.headers["content-type"] = kind
        response.headers["access-control-allow-origin"] = "*"
        return response


def widget_routes(build: WidgetBuild | None) -> list[Route | Mount]:
    """``/livechat``, ``/livechat/demo`` and the build files (``build=None``: a 404 saying why)."""
    if build is None:
        return [Route("/livechat{rest:path}", _not_served)]

    async def index(request: Request) -> Response:
        settings = _state(request).settings
        ancestors = _frame_ancestors(request, str(settings["Livechat_AllowedDomainsList"]))
        headers = {}
        if ancestors is not None:
            headers["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
        if ancestors == "'none'":
            return HTMLResponse(_NOT_ALLOWED, headers=headers)
        return HTMLResponse(build.index_for(str(settings["Site_Url"])), headers=headers)

    return [
        Route("/livechat", index, methods=["GET", "HEAD"]),
        Route("/livechat/", index, methods=["GET", "HEAD"]),
        Route("/livechat/demo", _demo, methods=["GET", "HEAD"]),
        Mount("/livechat", _Files(directory=build.directory)),
    ]


_NOT_ALLOWED = (
    "<!doctype html><p>This site is not in Livechat_AllowedDomainsList: "
    "the widget cannot be embedded here.</p>"
)


def _state(request: Request) -> ServerState:
    state: ServerState = request.app.state.livechat
    return state


async def _demo(request: Request) -> Response:
    return HTMLResponse(demo_page(str(_state(request).settings["Site_Url"])))


async def _not_served(request: Request) -> Response:
    return PlainTextResponse(
        "The official Livechat widget is not served by this server: start it with "
        "`rocketchat-livechat serve --widget` (or EmbeddedServer(widget_dir=...)).",
        status_code=404,
    )
