"""``serve --widget``: find the official widget build, or install it with npm when asked to.

The build is the ``build/`` folder of npm ``@rocket.chat/livechat``. Without a folder on the
command line it is looked for in the cache, ``$XDG_CACHE_HOME/rocketchat-livechat/widget/<version>``
(``~/.cache/...`` by default), and installed there with ``npm`` only with ``--install-widget``:
nothing is downloaded unasked. Otherwise the error says exactly what to run.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import click

from ..server.widget import WIDGET_PACKAGE, WIDGET_VERSION
from ._app import EXIT_USAGE, fail

PACKAGE_SPEC = f"{WIDGET_PACKAGE}@{WIDGET_VERSION}"
TARBALL_URL = f"https://registry.npmjs.org/{WIDGET_PACKAGE}/-/livechat-{WIDGET_VERSION}.tgz"


def cache_dir() -> Path:
    """Where ``--install-widget`` puts the widget (one folder per version)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "rocketchat-livechat" / "widget" / WIDGET_VERSION


def cached_build(prefix: Path) -> Path:
    """The ``build/`` folder of the package installed under ``prefix``."""
    return prefix / "node_modules" / WIDGET_PACKAGE / "build"


def npm_install_command(npm: str, prefix: Path) -> list[str]:
    """The ``npm install`` that puts the widget under ``prefix``."""
    return [
        npm,
        "install",
        "--prefix",
        str(prefix),
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        PACKAGE_SPEC,
    ]


def widget_dir(folder: Path | None, install: bool) -> Path:
    """The build to serve: ``folder``, else the cached one (installed first if ``install``)."""
    if folder is not None:
        return folder
    prefix = cache_dir()
    build = cached_build(prefix)
    if (build / "index.html").is_file():
        return build
    npm = shutil.which("npm")
    if npm is None:
        fail(_no_npm_message(), EXIT_USAGE)
    if not install:
        fail(_not_installed_message(prefix), EXIT_USAGE)
    _install(npm, prefix)
    return build


def _install(npm: str, prefix: Path) -> None:
    prefix.mkdir(parents=True, exist_ok=True)
    command = npm_install_command(npm, prefix)
    click.echo(f"Installing the widget: {shlex.join(command)}", err=True)
    completed = subprocess.run(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    click.echo(completed.stdout, err=True, nl=False)
    if completed.returncode != 0:
        fail(f"npm install failed (exit {completed.returncode}); see its output above", 1)


def _not_installed_message(prefix: Path) -> str:
    command = shlex.join(npm_install_command("npm", prefix))
    return (
        f"the official Livechat widget (npm {PACKAGE_SPEC}) is not installed.\n"
        f"Install it with npm into {prefix} and start, in one step:\n"
        "    rocketchat-livechat serve --widget --install-widget\n"
        f"or install it yourself:\n    {command}\n"
        "or pass the build/ folder of a copy you have: rocketchat-livechat serve --widget DIR"
    )


def _no_npm_message() -> str:
    return (
        f"the official Livechat widget (npm {PACKAGE_SPEC}) is not installed, and npm is not "
        "on PATH.\nInstall Node.js and npm (for example: apt-get install npm), then run:\n"
        "    rocketchat-livechat serve --widget --install-widget\n"
        f"or download {TARBALL_URL}, unpack it and pass its package/build folder:\n"
        "    rocketchat-livechat serve --widget DIR"
    )
