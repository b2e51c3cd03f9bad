#!/usr/bin/env bash
# Install everything the test suite needs on a fresh machine, then run lint, types and all tests.
#   bash scripts/test.sh            # the whole suite (what CI runs)
#   bash scripts/test.sh -k visitor # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${VIRTUAL_ENV:-}" ]; then
  [ -d .venv ] || python3 -m venv .venv
  # shellcheck disable=SC1091
  . .venv/bin/activate
fi
python -m pip install --quiet --upgrade pip
python -m pip install --quiet -e '.[test]'

# tmux drives the interactive `chat` command in a real terminal; redis-server backs the bridge's
# shared store (the tests start and stop their own server); chromium runs the official widget
# (driven by Python playwright; no browser download)
missing=""
command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    # shellcheck disable=SC2086
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "note: not installed:$missing; the tests needing them will be skipped" >&2
  fi
fi

# Node clients we did not write (interop), Rocket.Chat's own request schemas (contract) and the
# official Livechat widget build (widget)
for dir in tests/interop/node tests/contract/node tests/widget/node; do
  if [ -f "$dir/package.json" ]; then
    (cd "$dir" && npm install --silent --no-audit --no-fund >/dev/null)
  fi
done

python scripts/unasync.py --check
python scripts/method_table.py --check
python scripts/coverage_table.py --check
python scripts/version_table.py --check
ruff check .
ruff format --check .
mypy
# the documentation site, warnings as errors (its python blocks run in tests/docs)
NO_MKDOCS_2_WARNING=1 python -m mkdocs build --strict --quiet --site-dir site
# the package as users get it: wheel + sdist, twine check, the wheel in a fresh venv (demo, plugin);
# with every other supported interpreter this machine has, too
others=""
for version in 3.12 3.13; do
  # run it, not just find it: a pyenv shim is on PATH but fails for a version not selected
  "python$version" -c pass >/dev/null 2>&1 && others="$others python$version"
done
WHEEL_SMOKE_PYTHONS="$others" bash scripts/wheel_smoke.sh
python -m pytest "$@"
