"""MkDocs hooks (``hooks:`` in mkdocs.yml): files generated elsewhere in the repository.

The benchmark chart is written by ``bench/run.py`` next to ``bench/results.md``; the docs show
that file, not a copy kept by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

REPO = Path(__file__).resolve().parent.parent
GENERATED = {"assets/bench-results.png": REPO / "bench" / "results.png"}


def on_files(files: Files, config: Any) -> Files:
    for uri, source in GENERATED.items():
        files.append(File.generated(config, uri, abs_src_path=str(source)))
    return files
