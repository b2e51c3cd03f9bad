"""A small stand-in for the official widget build (npm ``@rocket.chat/livechat``'s ``build/``).

Laid out like the real one: ``index.html`` loading ``livechat/<file>`` scripts, the website
loader ``rocketchat-livechat.min.js``, a source map and an image.
"""

from __future__ import annotations

from pathlib import Path

INDEX = (
    '<!doctype html><html><head><meta charset="utf-8"><title>Rocket.Chat.Livechat</title></head>'
    '<body><script src="livechat/0.chunk.1.js"></script>'
    '<script src="livechat/bundle.2.js"></script></body></html>'
)
FILES = {
    "0.chunk.1.js": "var chunk = 1;",
    "bundle.2.js": "var bundle = 2;",
    "rocketchat-livechat.min.js": "var loader = 3;",
    "bundle.2.js.map": "{}",
    "logo.png": "\x89PNG",
}


def make_build(folder: Path, index: str = INDEX, files: dict[str, str] = FILES) -> Path:
    """Write the stand-in build into ``folder`` (created); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(index, encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="latin-1")
    return folder
