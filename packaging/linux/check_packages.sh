#!/usr/bin/env bash
# Install the Linux packages on this machine, use perfdesk as a clerk would, remove them again.
#
#   bash packaging/linux/check_packages.sh [SUFFIX]   (after packaging/linux/build_packages.sh)
#
# SUFFIX picks the packages build_packages.sh made with that suffix (the 兼容版's "-glibc2.28").
#
# .deb  (needs root: dpkg -i) files in /opt/perfdesk, perfdesk and perfdesk-cli on PATH, a valid
#       menu entry with the Chinese name, comment and icon; then, as an ordinary user (nobody):
#       perfdesk-cli sample / pdf / audit from PATH, and the window under Xvfb started by the menu
#       entry's own Exec line (first start: the default database with the sample); dpkg -r removes
#       every file, the user's data stays.
# .run  as an ordinary user, no root anywhere: installs into ~/.local/share/perfdesk-app with its
#       menu entry and ~/.local/bin links; the same use; installing again (an upgrade) replaces the
#       program and keeps the data; uninstall.sh removes it and keeps the data; an older glibc than
#       the bundle needs (UOS 20 has 2.28; 2.17 when the bundle runs on 2.28) is refused with a
#       Chinese message, nothing installed.
# Not root: the .deb part is skipped and the .run part runs as the current user.
# The last line is "linux-packages: N passed, N failed, N skipped"; exit 0 when nothing failed.
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
suffix=${1:-}
# The file names as build_packages.sh makes them.
# shellcheck source=packaging/linux/package_names.sh
. "$repo/packaging/linux/package_names.sh"  # version, deb_version, machine, arch
deb="$repo/dist/perfdesk_${deb_version}_${arch}${suffix}.deb"
run="$repo/dist/perfdesk-$version-linux-$machine$suffix.run"
[ -f "$deb" ] && [ -f "$run" ] || {
  echo "linux-packages: no $(basename "$deb") and $(basename "$run"): build them first:" \
    "bash packaging/linux/build_packages.sh BUNDLE_DIR $suffix" >&2
  exit 2
}

work=$(mktemp -d "${TMPDIR:-/tmp}/perfdesk-linux.XXXXXX")
chmod 755 "$work"
cleanup() {
  if [ "$(id -u)" -eq 0 ] && dpkg -s perfdesk >/dev/null 2>&1; then dpkg -r perfdesk >/dev/null 2>&1; fi
  rm -rf "$work"
}
trap cleanup EXIT

passed=0 failed=0 skipped=0
ok()   { echo "  ok    $1"; passed=$((passed + 1)); }
bad()  { echo "  FAIL  $1"; failed=$((failed + 1)); }
skip() { echo "  skip  $1"; skipped=$((skipped + 1)); }
t_start=$(date +%s)

# An ordinary user with an empty home: nobody when we are root (proof that no root is needed).
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
  user_group=$(id -gn nobody 2>/dev/null || echo nogroup)
  as_user_prefix=(setpriv --reuid=nobody --regid="$user_group" --clear-groups)
  who="nobody"
else
  as_user_prefix=()
  who=$(id -un)
fi
new_home() {  # a fresh home folder owned by that user
  local home="$work/$1"
  mkdir -p "$home/work"
  [ "$who" = nobody ] && chown -R nobody:"$user_group" "$home"
  echo "$home"
}
# as_user HOME CMD… : run like a desktop session would, with nothing of ours in the environment.
as_user() {
  local home=$1; shift
  (cd "$home/work" && "${as_user_prefix[@]}" env -i HOME="$home" USER="$who" LANG=C.UTF-8 \
    PATH="$home/.local/bin:/usr/local/bin:/usr/bin:/bin" "$@")
}
exec_of() {  # the command line of a menu entry (field codes dropped, quotes removed)
  sed -n 's/^Exec=//p' "$1" | head -n 1 | sed 's/ %[fFuUick]//g; s/^"\(.*\)"$/\1/'
}
validate_menu() {  # NAME FILE
  local file=$2 problems=""
  grep -q '^Name=perfdesk 部门整体支出绩效自评$' "$file" || problems+="no Chinese name; "
  grep -q '^Comment=录入、审核并打印' "$file" || problems+="no Chinese comment; "
  local icon; icon=$(sed -n 's/^Icon=//p' "$file")
  if [ "${icon#/}" != "$icon" ]; then
    [ -f "$icon" ] || problems+="icon $icon missing; "
  else
    [ -f "/usr/share/icons/hicolor/256x256/apps/$icon.png" ] || problems+="icon $icon not in hicolor; "
  fi
  [ -x "$(exec_of "$file")" ] || problems+="Exec $(exec_of "$file") is not a program; "
  if command -v desktop-file-validate >/dev/null; then
    local said; said=$(desktop-file-validate "$file" 2>&1) || problems+="desktop-file-validate: $said; "
  fi
  if [ -z "$problems" ]; then
    ok "$1: menu entry “perfdesk 部门整体支出绩效自评” (办公) with icon, Exec $(exec_of "$file")"
  else
    bad "$1: menu entry: $problems"
  fi
}
# use NAME HOME MENUFILE CLI: the clerk's commands from PATH and the window from the menu entry.
use() {
  local name=$1 home=$2 menu=$3 want_cli=$4
  local found; found=$(as_user "$home" sh -c 'command -v perfdesk-cli')
  if [ "$found" = "$want_cli" ]; then ok "$name: perfdesk-cli on PATH is $found"; else bad "$name: perfdesk-cli on PATH is '${found}', not $want_cli"; fi
  as_user "$home" perfdesk-cli sample --db T.db >"$work/sample.out" 2>&1 \
    && ok "$name: perfdesk-cli sample: $(head -n 1 "$work/sample.out" | sed 's/（.*//')" \
    || { bad "$name: perfdesk-cli sample failed"; head -n 5 "$work/sample.out"; }
  as_user "$home" perfdesk-cli pdf --db T.db -o 报告.pdf >"$work/pdf.out" 2>&1
  if [ "$(head -c 5 "$home/work/报告.pdf" 2>/dev/null)" = "%PDF-" ]; then
    ok "$name: perfdesk-cli pdf wrote 报告.pdf ($(du -k "$home/work/报告.pdf" | cut -f1) KB)"
  else
    bad "$name: perfdesk-cli pdf wrote no PDF"; head -n 5 "$work/pdf.out"
  fi
  as_user "$home" perfdesk-cli audit --db T.db >"$work/audit.out" 2>&1
  local rc=$?
  { [ $rc -eq 0 ] || [ $rc -eq 1 ]; } && ok "$name: perfdesk-cli audit ran (exit $rc, $(wc -l <"$work/audit.out") lines)" \
    || { bad "$name: perfdesk-cli audit exit $rc"; head -n 5 "$work/audit.out"; }
  # The window as the menu starts it: no arguments, so the default database (the sample on a
  # first start) in the user's own data folder.
  local program; program=$(exec_of "$menu")
  as_user "$home" env PERFDESK_SMOKE_QUIT_AFTER_MS=1500 timeout 120 xvfb-run -a "$program" \
    >"$work/window.out" 2>&1
  if grep -q '^smoke: main window shown' "$work/window.out" && [ -f "$home/.local/share/perfdesk/perfdesk.db" ]; then
    ok "$name: the window opened from the menu entry (Xvfb), data in ~/.local/share/perfdesk"
  else
    bad "$name: the window did not open from the menu entry"; head -n 15 "$work/window.out"
  fi
}
data_sum() { (cd "$1/.local/share/perfdesk" 2>/dev/null && find . -type f -name '*.db' -print0 | sort -z | xargs -0 -r sha256sum); }

echo "== .deb: $(basename "$deb")"
if [ "$(id -u)" -ne 0 ]; then
  skip ".deb: installing a .deb needs root (dpkg -i)"
elif dpkg -s perfdesk >/dev/null 2>&1; then
  skip ".deb: a perfdesk package is already installed on this machine; not touching it"
else
  t0=$(date +%s)
  if dpkg -i "$deb" >"$work/dpkg.out" 2>&1 && dpkg -s perfdesk | grep -q '^Status: install ok installed'; then
    ok ".deb: dpkg -i installed perfdesk $(dpkg-query -W -f='${Version}' perfdesk) ($(($(date +%s) - t0)) s)"
  else
    bad ".deb: dpkg -i failed"; tail -n 10 "$work/dpkg.out"
  fi
  if [ -x /opt/perfdesk/perfdesk ] && [ "$(readlink /usr/bin/perfdesk)" = /opt/perfdesk/perfdesk ] \
    && [ "$(readlink /usr/bin/perfdesk-cli)" = /opt/perfdesk/perfdesk-cli ]; then
    ok ".deb: /opt/perfdesk, with /usr/bin/perfdesk and /usr/bin/perfdesk-cli"
  else
    bad ".deb: program files or PATH links missing"
  fi
  validate_menu ".deb" /usr/share/applications/perfdesk.desktop
  home=$(new_home deb-user)
  use ".deb ($who)" "$home" /usr/share/applications/perfdesk.desktop /usr/bin/perfdesk-cli
  before=$(data_sum "$home")
  dpkg -r perfdesk >"$work/dpkg-r.out" 2>&1
  left=$(ls -d /opt/perfdesk /usr/bin/perfdesk /usr/bin/perfdesk-cli /usr/share/applications/perfdesk.desktop \
    /usr/share/icons/hicolor/256x256/apps/perfdesk.png 2>/dev/null)
  if ! dpkg -s perfdesk 2>/dev/null | grep -q '^Status: install ok installed' && [ -z "$left" ]; then
    ok ".deb: dpkg -r removed every file of it"
  else
    bad ".deb: dpkg -r left: $left"
  fi
  if [ -n "$before" ] && [ "$before" = "$(data_sum "$home")" ]; then
    ok ".deb: the user's data is kept"
  else
    bad ".deb: the user's data changed or is missing"
  fi
fi

echo "== per-user installer: $(basename "$run") (as $who)"
home=$(new_home run-user)
cp "$run" "$home/work/" && [ "$who" = nobody ] && chown nobody "$home/work/$(basename "$run")"
runfile="$home/work/$(basename "$run")"
app="$home/.local/share/perfdesk-app"
menu="$home/.local/share/applications/perfdesk.desktop"

# A PC whose glibc is older than the bundle's (UOS 20 has 2.28; a bundle that runs there is
# tried with CentOS 7's 2.17): refused, nothing installed.
needed=$(head -n 40 "$run" | sed -n 's/^GLIBC_NEEDED="\(.*\)"$/\1/p')
old_glibc=2.28
[ "$(printf '%s\n' "$needed" 2.28 | sort -V | head -n 1)" = 2.28 ] && [ "$needed" != 2.28 ] || old_glibc=2.17
mkdir -p "$work/old-glibc" && printf '#!/bin/sh\necho glibc %s\n' "$old_glibc" >"$work/old-glibc/getconf" && chmod 755 "$work/old-glibc/getconf"
said=$(as_user "$home" env PATH="$work/old-glibc:/usr/bin:/bin" sh "$runfile" 2>&1)
if [ $? -ne 0 ] && grep -q "glibc）版本是 $old_glibc" <<<"$said" && [ ! -e "$app" ]; then
  ok ".run: refused on a PC with glibc $old_glibc (needs $needed): “$(tail -n 1 <<<"$said" | sed 's/。.*/。/')”"
else
  bad ".run: an old glibc was not refused: $said"
fi

# A PC that lacks a system library the program takes from it (here libdbus, as ldd reports a
# missing one): refused naming it, nothing installed.
mkdir -p "$work/no-dbus" && cat >"$work/no-dbus/ldd" <<'SHIM' && chmod 755 "$work/no-dbus/ldd"
#!/bin/sh
/usr/bin/ldd "$@" | sed 's|libdbus-1.so.3 => .*|libdbus-1.so.3 => not found|'
SHIM
said=$(as_user "$home" env PATH="$work/no-dbus:/usr/bin:/bin" sh "$runfile" 2>&1)
if [ $? -ne 0 ] && grep -q "本机缺少 perfdesk 需要的系统库：libdbus-1.so.3" <<<"$said" && [ ! -e "$app" ] \
  && [ -z "$(ls -A "$home/.local/share" 2>/dev/null | grep -v '^perfdesk$')" ]; then
  ok ".run: refused on a PC without libdbus: “$(tail -n 1 <<<"$said" | sed 's/。.*/。/')”"
else
  bad ".run: a missing system library was not refused: $said"
fi

t0=$(date +%s)
as_user "$home" sh "$runfile" >"$work/install.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ -x "$app/perfdesk" ] && [ -L "$home/.local/bin/perfdesk-cli" ] && [ -f "$menu" ] \
  && [ "$(stat -c %U "$app/perfdesk")" = "$who" ]; then
  ok ".run: installed for $who into ~/.local/share/perfdesk-app without root ($(($(date +%s) - t0)) s)"
else
  bad ".run: install exit $rc"; cat "$work/install.out"
fi
validate_menu ".run" "$menu"
use ".run ($who)" "$home" "$menu" "$home/.local/bin/perfdesk-cli"
before=$(data_sum "$home")

printf 'stray\n' >"$app/_internal/left-by-old-version.txt"
as_user "$home" sh "$runfile" >"$work/upgrade.out" 2>&1
if [ $? -eq 0 ] && [ ! -e "$app/_internal/left-by-old-version.txt" ] && [ -x "$app/perfdesk" ] \
  && [ "$before" = "$(data_sum "$home")" ]; then
  ok ".run: installing again replaces the program whole and keeps the data"
else
  bad ".run: reinstall did not replace the program cleanly"; cat "$work/upgrade.out"
fi

as_user "$home" sh "$app/uninstall.sh" >"$work/uninstall.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ ! -e "$app" ] && [ ! -e "$menu" ] && [ ! -e "$home/.local/bin/perfdesk" ] \
  && [ ! -e "$home/.local/bin/perfdesk-cli" ]; then
  ok ".run: uninstall.sh removed the program, menu entry and links (“$(head -n 1 "$work/uninstall.out")”)"
else
  bad ".run: uninstall exit $rc or left files behind"; cat "$work/uninstall.out"
fi
if [ -n "$before" ] && [ "$before" = "$(data_sum "$home")" ]; then
  ok ".run: the user's data is kept after uninstalling"
else
  bad ".run: the user's data changed or is missing after uninstalling"
fi

echo "linux-packages: $(($(date +%s) - t_start)) s in all"
echo "linux-packages: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
