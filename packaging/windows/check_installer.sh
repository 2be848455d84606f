#!/usr/bin/env bash
# The Windows installer, compiled and run without Windows: Inno Setup's compiler (npm package
# `innosetup`) and the setup program it makes run under Debian's Wine, in a throw-away Wine prefix.
#
#   bash packaging/windows/check_installer.sh [BUNDLE_DIR]      (default: dist/perfdesk)
#
# Needs: wine with wine32 (ISCC.exe is 32-bit), wineserver, xvfb-run, npm (once, to fetch the
# compiler into build/innosetup; or point ISCC at an ISCC.exe). .ci/run installs them.
#
# What it proves — the INSTALLER's behaviour, whatever the payload:
#   compile    packaging/windows/perfdesk.iss compiles with no warning → dist/installer/…-setup.exe
#   install    silently, per user: every file of the bundle lands unchanged in
#              %LOCALAPPDATA%\Programs\perfdesk; Start-menu (program + uninstall) and desktop
#              shortcuts, started in Documents; the uninstall entry is under HKCU with the version;
#              nothing is written under HKLM, Program Files or Windows
#   uninstall  the program, its shortcuts and its uninstall entry are gone; the data folder
#              %LOCALAPPDATA%\perfdesk (database, backups, logs) is kept byte for byte
#   upgrade    a higher version installed over it replaces the program (a file the old version
#              left in _internal is gone, the new one's files are there), keeps the data, leaves one
#              uninstall entry with the new version; then uninstalling it keeps the data
# What it does NOT prove: the program itself on Windows. The payload is the bundle CI built (the
# Linux one); the Windows bundle is built by packaging/build.ps1 on Windows (README checklist).
#
# Runs in a temporary folder with its own WINEPREFIX and HOME, no display but a private Xvfb,
# menu entries and Mono/Gecko installs switched off: nothing is written to the real home.
# Exit status 0 when every check passed; the last line is "wine-installer: N passed, N failed".
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
bundle=$(cd "${1:-$repo/dist/perfdesk}" 2>/dev/null && pwd) || {
  echo "wine-installer: no bundle at ${1:-dist/perfdesk} (build it: bash packaging/build.sh)" >&2
  exit 2
}
INNO_SETUP_VERSION=6.4.1
APP_ID="{E341E5FE-BF2A-4B1F-B89A-3E499DA86410}"
TITLE="perfdesk 部门整体支出绩效自评"

for tool in wine wineserver winepath xvfb-run; do
  command -v "$tool" >/dev/null || {
    echo "wine-installer: $tool is missing (Debian: dpkg --add-architecture i386; apt-get install wine wine32:i386 wine64 xvfb)" >&2
    exit 2
  }
done

# --- Inno Setup's compiler ------------------------------------------------------------------------
iscc=${ISCC:-$repo/build/innosetup/node_modules/innosetup/bin/ISCC.exe}
if [ ! -f "$iscc" ]; then
  echo "== npm: innosetup@$INNO_SETUP_VERSION (Inno Setup's ISCC.exe) into build/innosetup"
  mkdir -p "$repo/build/innosetup"
  npm install --silent --no-audit --no-fund --no-save --prefix "$repo/build/innosetup" \
    "innosetup@$INNO_SETUP_VERSION" >/dev/null || { echo "wine-installer: npm install failed" >&2; exit 2; }
fi
[ -f "$iscc" ] || { echo "wine-installer: no ISCC.exe at $iscc" >&2; exit 2; }

# --- a private Wine ------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/perfdesk-wine.XXXXXX")
cleanup() {
  wineserver -k 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
export WINEPREFIX="$work/prefix" WINEARCH=win64 WINEDEBUG=-all
export WINEDLLOVERRIDES="winemenubuilder.exe=d;mscoree,mshtml="
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_CACHE_HOME="$work/home/.cache" XDG_RUNTIME_DIR="$work/home/runtime"
unset DISPLAY WAYLAND_DISPLAY
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
log="$work/wine.log"

passed=0 failed=0
ok()  { echo "  ok    $1"; passed=$((passed + 1)); }
bad() { echo "  FAIL  $1"; failed=$((failed + 1)); }
now() { date +%s; }
t_start=$(now)

step() { echo "== $1"; }
# A Windows program in the private prefix, waiting until every process of it has ended.
win() { wine "$@" >>"$log" 2>&1; local rc=$?; wineserver -w; return $rc; }
# The setup and uninstall programs draw their window even when silent: give them a private X.
win_x() { xvfb-run -a wine "$@" >>"$log" 2>&1; local rc=$?; wineserver -w; return $rc; }

step "Wine prefix (wine $(wine --version 2>/dev/null | sed 's/^wine-//'))"
t0=$(now)
wineboot -i >>"$log" 2>&1
wineserver -w
# Wine says "Windows 7" by default, and the installer needs 10 (MinVersion=10.0).
win reg add 'HKCU\Software\Wine' /v Version /t REG_SZ /d win10 /f
# Wine shows Unix dot files (python-docx's template has _rels/.rels) as hidden, and Inno Setup's
# wildcards leave hidden files out; on Windows these files are not hidden. Show them as Windows would.
win reg add 'HKCU\Software\Wine' /v ShowDotFiles /t REG_SZ /d Y /f
win_x cmd /c exit  # a first start under X: whatever Wine itself registers for a display
users="$WINEPREFIX/drive_c/users"
user=$(ls "$users" | grep -vx Public | head -n 1)
if [ -z "$user" ]; then
  echo "wine-installer: the Wine prefix did not come up; last lines of its log:" >&2
  tail -n 20 "$log" >&2
  exit 2
fi
local_app="$users/$user/AppData/Local"
app="$local_app/Programs/perfdesk"
data="$local_app/perfdesk"
menu="$users/$user/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/$TITLE"
desktop_link="$users/$user/Desktop/$TITLE.lnk"
boot_s=$(($(now) - t0))
echo "   prefix ready in ${boot_s} s; the user's folder is C:\\users\\$user"

# --- versions -------------------------------------------------------------------------------------
read -r version numeric next < <(python3 - "$repo/packaging" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import bundle_plan as plan
v = plan.project().version
n = plan.windows_version(v)
print(v, ".".join(map(str, n)), ".".join(map(str, (*n[:3], n[3] + 1))))
PY
)
[ -n "${next:-}" ] || { echo "wine-installer: cannot read the version from pyproject.toml" >&2; exit 2; }

# compile NAME VERSION NUMERIC PAYLOAD OUTDIR [COMPRESSION]
compile() {
  local name=$1 ver=$2 num=$3 payload=$4 outdir=$5 compression=${6:-}
  local args=("/DAppVersion=$ver" "/DNumericVersion=$num" "/DBundleDir=$(winepath -w "$payload")"
              "/O$(winepath -w "$outdir")")
  [ -n "$compression" ] && args+=("/DCompression=$compression")
  local t0; t0=$(now)
  wine "$iscc" "${args[@]}" "$(winepath -w "$repo/packaging/windows/perfdesk.iss")" \
    >"$work/iscc-$name.log" 2>&1
  local rc=$?
  wineserver -w
  local exe="$outdir/perfdesk-$ver-setup.exe"
  local warnings; warnings=$(grep -c '^Warning' "$work/iscc-$name.log")
  if [ $rc -ne 0 ] || [ ! -f "$exe" ]; then
    bad "compile $name: ISCC exit $rc"; grep -E 'Error|error' "$work/iscc-$name.log" | head -n 10
    return 1
  elif [ "$warnings" -ne 0 ]; then
    bad "compile $name: $warnings warning(s)"; grep '^Warning' "$work/iscc-$name.log" | head -n 10
  else
    ok "compile $name: $(basename "$exe") $(du -m "$exe" | cut -f1) MB, no warnings ($(($(now) - t0)) s${compression:+, $compression})"
  fi
  return 0
}

# install NAME EXE
install() {
  local t0; t0=$(now)
  win_x "$2" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART "/LOG=$(winepath -w "$work/setup-$1.log")"
  local rc=$?
  if [ $rc -eq 0 ] && [ -f "$app/unins000.exe" ]; then
    ok "install $1: silent, exit 0 ($(($(now) - t0)) s)"
  else
    bad "install $1: exit $rc"; tail -n 15 "$work/setup-$1.log" 2>/dev/null
  fi
}

uninstall() {
  local t0; t0=$(now)
  if [ ! -f "$app/unins000.exe" ]; then
    bad "uninstall $1: no unins000.exe in the program folder"; return
  fi
  win_x "$(winepath -w "$app/unins000.exe")" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
  ok "uninstall $1: ran ($(($(now) - t0)) s)"
}

# The files of a folder with their hashes (links followed: Inno copies what a link points at).
manifest() { (cd "$1" && find -L . -type f ! -name 'unins000.*' -print0 | sort -z | xargs -0 sha256sum); }
# The text in a shortcut (.lnk): its paths are stored both as ANSI and as UTF-16 strings.
lnk_text() {
  python3 - "$1" <<'PY'
import sys
raw = open(sys.argv[1], "rb").read()
print(raw.decode("latin-1").replace("\0", "\n"))
for start in (0, 1):
    print(raw[start:].decode("utf-16-le", "replace").replace("\0", "\n"))
PY
}
reg_keys() { grep '^\[' "$1" | sed 's/\] [0-9]*$/]/' | sort; }
# The values of the uninstall key in the user's hive, or nothing.
uninstall_key() {
  awk -v key="[Software\\\\\\\\Microsoft\\\\\\\\Windows\\\\\\\\CurrentVersion\\\\\\\\Uninstall\\\\\\\\$APP_ID" \
    'index($0, key) == 1 {on = 1; next} /^\[/ {on = 0} on' "$WINEPREFIX/user.reg"
}

check_installed() {  # NAME PAYLOAD VERSION
  local name=$1 payload=$2 ver=$3
  if [ -d "$app" ] && cmp -s <(manifest "$payload") <(manifest "$app"); then
    ok "$name: all $(manifest "$app" | wc -l) files of the payload installed unchanged in %LOCALAPPDATA%\\Programs\\perfdesk"
  else
    bad "$name: the program folder differs from the payload"
    diff <(manifest "$payload" | awk '{print $2}') <(manifest "$app" 2>/dev/null | awk '{print $2}') | head -n 10
  fi
  local program_link="$menu/$TITLE.lnk" uninstall_link="$menu/卸载 perfdesk.lnk"
  local program_text="" uninstall_text="" desktop_text=""
  [ -f "$program_link" ] && program_text=$(lnk_text "$program_link")
  [ -f "$uninstall_link" ] && uninstall_text=$(lnk_text "$uninstall_link")
  [ -f "$desktop_link" ] && desktop_text=$(lnk_text "$desktop_link")
  if grep -Fq 'AppData\Local\Programs\perfdesk\perfdesk.exe' <<<"$program_text" \
    && grep -Fq "C:\users\\$user\Documents" <<<"$program_text" \
    && grep -Fq 'Programs\perfdesk\perfdesk.exe' <<<"$desktop_text" \
    && grep -Fq "C:\users\\$user\Documents" <<<"$desktop_text" \
    && grep -Fq 'Programs\perfdesk\unins000.exe' <<<"$uninstall_text"; then
    ok "$name: shortcuts in the Start menu (program, uninstall) and on the desktop, started in Documents"
  else
    bad "$name: shortcuts missing or wrong"; ls -la "$menu/" "$(dirname "$desktop_link")/" 2>&1 | head -n 12
  fi
  local values; values=$(uninstall_key)
  if grep -qx "\"DisplayVersion\"=\"$ver\"" <<<"$values" && grep -q '^"UninstallString"=' <<<"$values"; then
    ok "$name: uninstall entry under HKCU, version $ver"
  else
    bad "$name: no HKCU uninstall entry with version $ver"; head -n 12 <<<"$values"
  fi
  check_machine_untouched "$name"
}

check_machine_untouched() {
  local added; added=$(comm -13 "$work/system.keys" <(reg_keys "$WINEPREFIX/system.reg"))
  local mentions; mentions=$(grep -ci -e perfdesk -e "${APP_ID:1:8}" "$WINEPREFIX/system.reg")
  local strays; strays=$(find "$WINEPREFIX/drive_c/Program Files" "$WINEPREFIX/drive_c/Program Files (x86)" \
    "$WINEPREFIX/drive_c/ProgramData" "$WINEPREFIX/drive_c/windows" -iname '*perfdesk*' 2>/dev/null | head -n 5)
  if [ -z "$added" ] && [ "$mentions" -eq 0 ] && [ -z "$strays" ]; then
    ok "$1: nothing under HKLM (no new key), Program Files, ProgramData or Windows"
  else
    bad "$1: wrote outside the user's profile: ${added:+new HKLM keys: $added }${strays:+files: $strays}"
  fi
}

check_removed() {  # NAME
  local left; left=$(find "$app" -type f 2>/dev/null | head -n 5)
  if [ -z "$left" ] && [ ! -e "$menu" ] && [ ! -e "$desktop_link" ] && [ -z "$(uninstall_key)" ]; then
    ok "$1: program folder, shortcuts and uninstall entry are gone"
  else
    bad "$1: left behind: ${left:+files $left }$([ -e "$menu" ] && echo 'Start-menu folder ')$([ -e "$desktop_link" ] && echo 'desktop shortcut ')$([ -n "$(uninstall_key)" ] && echo 'uninstall entry')"
  fi
}

check_data_kept() {  # NAME
  if cmp -s "$work/data.manifest" <(manifest "$data"); then
    ok "$1: the data folder %LOCALAPPDATA%\\perfdesk is kept byte for byte ($(wc -l <"$work/data.manifest") files)"
  else
    bad "$1: the data folder changed"; diff "$work/data.manifest" <(manifest "$data") | head -n 10
  fi
}

# --- the installer as shipped ---------------------------------------------------------------------
step "compile packaging/windows/perfdesk.iss (version $version) with ISCC $INNO_SETUP_VERSION"
mkdir -p "$repo/dist/installer"
compile "$version" "$version" "$numeric" "$bundle" "$repo/dist/installer" || exit 1
setup="$repo/dist/installer/perfdesk-$version-setup.exe"
wineserver -w
reg_keys "$WINEPREFIX/system.reg" >"$work/system.keys"

step "install $version, check, uninstall"
install "$version" "$setup"
check_installed "installed $version" "$bundle" "$version"
# What the program writes while in use (database, backups, log), byte for byte after each step.
mkdir -p "$data/backups" "$data/Logs"
printf 'SQLite format 3\0 perfdesk check %s\n' "$(date +%s%N)" >"$data/perfdesk.db"
printf 'backup\n' >"$data/backups/perfdesk-2025-01-01.db"
printf 'log\n' >"$data/Logs/perfdesk.log"
manifest "$data" >"$work/data.manifest"
uninstall "$version"
check_removed "uninstalled $version"
check_data_kept "uninstalled $version"
check_machine_untouched "uninstalled $version"

step "upgrade: $version, then $next over it"
payload_next="$work/payload-$next"
cp -al "$bundle" "$payload_next" 2>/dev/null || cp -a "$bundle" "$payload_next"
printf 'perfdesk %s\n' "$next" >"$payload_next/_internal/perfdesk-upgrade-check.txt"
compile "$next" "$next" "$next" "$payload_next" "$work" zip
install "$version" "$setup"
printf 'left by the old version\n' >"$app/_internal/left-by-$version.txt"
install "$next" "$work/perfdesk-$next-setup.exe"
check_installed "upgraded to $next" "$payload_next" "$next"
if [ ! -e "$app/_internal/left-by-$version.txt" ] && [ -f "$app/_internal/perfdesk-upgrade-check.txt" ]; then
  ok "upgraded to $next: the old version's runtime is replaced, not mixed with the new"
else
  bad "upgraded to $next: files of the old version linger in _internal"
fi
[ "$(grep -c "Uninstall\\\\\\\\$APP_ID" "$WINEPREFIX/user.reg")" -eq 1 ] \
  && ok "upgraded to $next: one uninstall entry" || bad "upgraded to $next: more than one uninstall entry"
check_data_kept "upgraded to $next"
uninstall "$next"
check_removed "uninstalled $next"
check_data_kept "uninstalled $next"

echo "wine-installer: $(($(now) - t_start)) s in all (Wine prefix ${boot_s} s)"
echo "wine-installer: $passed passed, $failed failed"
[ $failed -eq 0 ]
