#!/usr/bin/env bash
# The package as users get it: build the wheel and sdist, check them with twine, install the
# wheel (not the source tree) into a fresh venv, and from an empty directory run the demo and
# examples/test_with_plugin.py with it. Catches files missing from the package.
#   bash scripts/wheel_smoke.sh          # called by scripts/test.sh; PYTHON=... picks the builder
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset PYTHONPATH  # nothing of the source tree may leak into the installed package's runs

"$python" -m build --outdir "$work/dist" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
"$python" -m twine check --strict "$work"/dist/*.whl "$work"/dist/*.tar.gz

"$python" -m venv "$work/venv"
wheel=$(ls "$work"/dist/*.whl)
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "${wheel}[server,cli]" "pytest>=8"

mkdir "$work/run" && cp examples/test_with_plugin.py "$work/run/"
cd "$work/run"
"$work/venv/bin/python" - <<'PY'
import pathlib, rocketchat_livechat
where = pathlib.Path(rocketchat_livechat.__file__)
assert "site-packages" in where.parts, where
assert (where.parent / "py.typed").exists(), "py.typed is missing from the wheel"
print("wheel_smoke: rocketchat_livechat", rocketchat_livechat.__version__, "from", where.parent)
PY
"$work/venv/bin/rocketchat-livechat" demo >demo.out 2>&1 || { cat demo.out; exit 1; }
grep -q "every step passed" demo.out || { cat demo.out; exit 1; }
echo "wheel_smoke: $(tail -n 1 demo.out)"
"$work/venv/bin/python" -m pytest -q -p no:cacheprovider test_with_plugin.py
