#!/usr/bin/env bash
# The package as users get it: build the sdist and the wheel from it, check both with twine,
# install the wheel (not the source tree) into a fresh venv, and from an empty directory run the
# demo and examples/test_with_plugin.py with it. Catches files missing from the package.
#   bash scripts/wheel_smoke.sh     # called by scripts/test.sh; PYTHON=... picks the interpreter
#   WHEEL_SMOKE_PYTHONS="python3.12 python3.13" bash scripts/wheel_smoke.sh   # + other Pythons
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python}
example="$PWD/examples/test_with_plugin.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset PYTHONPATH  # nothing of the source tree may leak into the installed package's runs

"$python" -m build --outdir "$work/dist" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
"$python" -m twine check --strict "$work"/dist/*.whl "$work"/dist/*.tar.gz
wheel=$(ls "$work"/dist/*.whl)

smoke() {  # $1: an interpreter, $2: a name: the wheel in a fresh venv, run from an empty directory
  local venv="$work/venv-$2" run="$work/run-$2"
  "$1" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "${wheel}[server,cli]" "pytest>=8"
  mkdir "$run" && cp "$example" "$run/" && cd "$run"
  "$venv/bin/python" - <<'PY'
import pathlib, platform, rocketchat_livechat
where = pathlib.Path(rocketchat_livechat.__file__)
assert "site-packages" in where.parts, where
assert (where.parent / "py.typed").exists(), "py.typed is missing from the wheel"
print("wheel_smoke: Python", platform.python_version(), "imports", rocketchat_livechat.__version__,
      "from", where.parent)
PY
  "$venv/bin/rocketchat-livechat" demo >demo.out 2>&1 || { cat demo.out; return 1; }
  grep -q "every step passed" demo.out || { cat demo.out; return 1; }
  echo "wheel_smoke: $(tail -n 1 demo.out)"
  "$venv/bin/python" -m pytest -q -p no:cacheprovider test_with_plugin.py
  cd - >/dev/null
}

n=0
for interpreter in "$python" ${WHEEL_SMOKE_PYTHONS:-}; do
  n=$((n + 1))
  smoke "$interpreter" "$n"
done
