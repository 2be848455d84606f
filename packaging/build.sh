#!/usr/bin/env bash
# Build the one-folder bundle dist/perfdesk/ for the machine this runs on (Linux or macOS).
#
#   bash packaging/build.sh            # then: bash packaging/smoke_test.sh dist/perfdesk
#
# Installs perfdesk with its packaging extra (PyInstaller) into the current Python, then freezes
# it. PyInstaller's chatter goes to build/pyinstaller.log; on failure its tail is printed.
# Set PERFDESK_SKIP_INSTALL=1 to skip the pip step (an environment that is already set up).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python}
mkdir -p build
log=build/pyinstaller.log
: >"$log"

fail() {
  echo "build.sh: $1 — last lines of $log:" >&2
  tail -n 40 "$log" >&2
  exit 1
}

start=$(date +%s)
if [ "${PERFDESK_SKIP_INSTALL:-0}" != 1 ]; then
  echo "== pip install -e .[package]"
  "$PY" -m pip install -q -e ".[package]" >>"$log" 2>&1 || fail "pip install failed"
fi
echo "== pyinstaller packaging/perfdesk.spec (log: $log)"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN packaging/perfdesk.spec >>"$log" 2>&1 \
  || fail "PyInstaller failed"
grep '^perfdesk.spec:' "$log" || true  # what the spec trimmed, or could not
if [ "$(uname -s)" = Linux ] && [ -f dist/perfdesk/perfdesk-cli ] && [ ! -L dist/perfdesk/perfdesk-cli ]; then
  # Linux has no console/windowed kinds of program: perfdesk-cli becomes a link to perfdesk, which
  # runs the command line when started under that name (entry_gui.py). The second program would
  # carry the whole code archive again (12 MB).
  ln -sf perfdesk dist/perfdesk/perfdesk-cli
fi
for exe in perfdesk perfdesk-cli; do
  [ -x "dist/perfdesk/$exe" ] || fail "dist/perfdesk/$exe was not built"
done
end=$(date +%s)
size=$(du -sh dist/perfdesk | cut -f1)
echo "== built dist/perfdesk ($size) in $((end - start)) s"
