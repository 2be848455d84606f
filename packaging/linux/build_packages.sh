#!/usr/bin/env bash
# The Linux packages of the bundle, for 统信UOS, 麒麟 (Kylin) and any Debian/Ubuntu-family desktop:
#
#   dist/perfdesk_<version>_<arch>.deb        for the whole PC (root, the system's package tool):
#                                             /opt/perfdesk, perfdesk and perfdesk-cli on PATH,
#                                             a menu entry (办公) with the icon
#   dist/perfdesk-<version>-linux-<arch>.run  for one user, no root: unpacks into
#                                             ~/.local/share/perfdesk-app, adds the menu entry and
#                                             ~/.local/bin/perfdesk(-cli); uninstall.sh removes it
#
#   bash packaging/linux/build_packages.sh [BUNDLE_DIR [SUFFIX]]   (default: dist/perfdesk, none)
#
# SUFFIX goes at the end of both file names, before .deb / .run: build_compat.sh passes
# "-glibc2.28" for the 兼容版 built on an older system (the package inside is perfdesk all the same:
# the two builds replace each other).
#
# Both refuse, with a Chinese message, a PC whose C library is older than the bundle needs (the
# bundle runs on the glibc it was built with or newer: see the README) or of another processor.
# The .deb's dependencies are the libraries the bundle takes from the system (worked out from the
# bundle itself; an unknown one stops the build) — no network, no maintainer scripts: dpkg's own
# triggers refresh the menu and icon caches. Needs dpkg-deb, binutils (readelf, objdump), xz.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
bundle=$(cd "${1:-$repo/dist/perfdesk}" && pwd)
suffix=${2:-}
case "$suffix" in
  */* | *' '*) echo "build_packages: a suffix may hold no / or space: '$suffix'" >&2; exit 2 ;;
esac
here="$repo/packaging/linux"
for tool in dpkg-deb readelf objdump xz tar; do
  command -v "$tool" >/dev/null || { echo "build_packages: $tool is missing" >&2; exit 2; }
done
[ -x "$bundle/perfdesk" ] && [ -x "$bundle/perfdesk-cli" ] || {
  echo "build_packages: $bundle is not a built bundle (bash packaging/build.sh)" >&2; exit 2; }

# shellcheck source=packaging/linux/package_names.sh
. "$repo/packaging/linux/package_names.sh"  # version, deb_version, machine, arch
out="$repo/dist"
work=$(mktemp -d "${TMPDIR:-/tmp}/perfdesk-pkg.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$(date +%s)

# --- what the bundle needs from the system --------------------------------------------------------
elves=$(find "$bundle" -type f \( -name '*.so*' -o -perm -u+x \) -exec sh -c \
  'head -c 4 "$1" | grep -q ELF && echo "$1"' _ {} \;)
# The newest glibc symbol version any part of the bundle asks for.
glibc=$(for f in $elves; do objdump -p "$f" 2>/dev/null; done \
  | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -u -V | tail -n 1)
[ -n "$glibc" ] || { echo "build_packages: could not work out the glibc the bundle needs" >&2; exit 2; }
bundled=$(find "$bundle" \( -type f -o -type l \) -name '*.so*' -printf '%f\n' | sort -u)
needed=$(for f in $elves; do readelf -d "$f" 2>/dev/null; done \
  | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)
from_system=$(comm -23 <(echo "$needed") <(echo "$bundled"))

# soname → the Debian/Ubuntu/UOS/Kylin package that has it ("a | b": renamed in newer releases).
declare -A REQUIRED=(
  [libc.so.6]=libc6 [libm.so.6]=libc6 [libdl.so.2]=libc6 [libpthread.so.0]=libc6
  [libresolv.so.2]=libc6 [librt.so.1]=libc6 [libutil.so.1]=libc6
  [ld-linux-x86-64.so.2]=libc6 [ld-linux-aarch64.so.1]=libc6
  [libGL.so.1]=libgl1 [libEGL.so.1]=libegl1 [libOpenGL.so.0]=libopengl0 [libxcb.so.1]=libxcb1
  [libcups.so.2]="libcups2 | libcups2t64"
  # The 兼容版 leaves these to the system (bundle_plan.COMPAT_LEFT_TO_THE_SYSTEM).
  [libdbus-1.so.3]=libdbus-1-3 [libpng16.so.16]="libpng16-16 | libpng16-16t64"
)
# Only some desktops need these: Qt's Wayland back end and its GTK theme plugin (the libraries
# of GTK's own that a build machine without them leaves to the system come with libgtk-3-0).
declare -A OPTIONAL=(
  [libwayland-client.so.0]=libwayland-client0 [libwayland-cursor.so.0]=libwayland-cursor0
  [libwayland-egl.so.1]=libwayland-egl1 [libgtk-3.so.0]="libgtk-3-0 | libgtk-3-0t64"
  [libgdk-3.so.0]="libgtk-3-0 | libgtk-3-0t64" [libatk-1.0.so.0]="libgtk-3-0 | libgtk-3-0t64"
  [libpango-1.0.so.0]="libgtk-3-0 | libgtk-3-0t64" [libpangocairo-1.0.so.0]="libgtk-3-0 | libgtk-3-0t64"
  [libcairo-gobject.so.2]="libgtk-3-0 | libgtk-3-0t64" [libgdk_pixbuf-2.0.so.0]="libgtk-3-0 | libgtk-3-0t64"
  [libcairo.so.2]="libgtk-3-0 | libgtk-3-0t64"
)
depends=("libc6 (>= $glibc)")
recommends=()
for soname in $from_system; do
  if [ "${REQUIRED[$soname]:-}" = libc6 ]; then
    continue  # already there, with the version the bundle needs
  elif [ -n "${REQUIRED[$soname]:-}" ]; then
    depends+=("${REQUIRED[$soname]}")
  elif [ -n "${OPTIONAL[$soname]:-}" ]; then
    recommends+=("${OPTIONAL[$soname]}")
  else
    echo "build_packages: the bundle needs $soname from the system, and no package is known for" \
      "it: add it to REQUIRED or OPTIONAL in $0" >&2
    exit 1
  fi
done
# Chinese text in the window's own widgets comes from the system's fonts (the PDF embeds its own).
recommends+=("fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei")
join() { local IFS=$'\n'; printf '%s\n' "$@" | awk '!seen[$0]++' | paste -sd, | sed 's/,/, /g'; }

# --- the .deb -------------------------------------------------------------------------------------
stage="$work/deb"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/icons/hicolor/256x256/apps" "$stage/usr/share/doc/perfdesk"
cp -a "$bundle" "$stage/opt/perfdesk"
ln -s /opt/perfdesk/perfdesk "$stage/usr/bin/perfdesk"
ln -s /opt/perfdesk/perfdesk-cli "$stage/usr/bin/perfdesk-cli"
sed -e 's|@EXEC@|/opt/perfdesk/perfdesk|' -e 's|@ICON@|perfdesk|' "$here/perfdesk.desktop" \
  >"$stage/usr/share/applications/perfdesk.desktop"
cp "$repo/packaging/icons/perfdesk.png" "$stage/usr/share/icons/hicolor/256x256/apps/perfdesk.png"
cat >"$stage/usr/share/doc/perfdesk/copyright" <<EOF
perfdesk — 部门（单位）整体支出绩效自评报告：录入、审核与打印
License: MIT (perfdesk itself).
The bundled Python, Qt (LGPL-3.0), fonts and libraries keep their own licences:
/opt/perfdesk/_internal/licenses/ and the *.dist-info folders beside them.
EOF
chmod -R u+rwX,go+rX,go-w "$stage"
installed_kb=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<EOF
Package: perfdesk
Version: $deb_version
Architecture: $arch
Maintainer: perfdesk developers <noreply@perfdesk.invalid>
Installed-Size: $installed_kb
Depends: $(join "${depends[@]}")
Recommends: $(join "${recommends[@]}")
Section: misc
Priority: optional
Description: 部门（单位）整体支出绩效自评报告：录入、审核与打印
 perfdesk 用于录入部门（单位）整体支出绩效自评报告的各项数据，检查数字之间是否一致，
 并按公文格式打印报告及其三张附表（PDF）。程序不联网，数据保存在用户自己的文件夹中
 （~/.local/share/perfdesk），卸载时不会删除。
EOF
deb="$out/perfdesk_${deb_version}_${arch}${suffix}.deb"
rm -f "$deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "== $(basename "$deb"): $(du -m "$deb" | cut -f1) MB; Depends: $(grep '^Depends:' "$stage/DEBIAN/control" | cut -d' ' -f2-)"

# --- the per-user installer -------------------------------------------------------------------------
run="$out/perfdesk-$version-linux-$machine$suffix.run"
payload="$work/payload"
mkdir -p "$payload"
cp -a "$bundle" "$payload/perfdesk-app"
cp "$repo/packaging/icons/perfdesk.png" "$payload/perfdesk-app/perfdesk.png"
cp "$here/perfdesk.desktop" "$payload/perfdesk-app/perfdesk.desktop.in"
cp "$here/uninstall.sh" "$payload/perfdesk-app/uninstall.sh"
chmod 755 "$payload/perfdesk-app/uninstall.sh"
chmod -R u+rwX,go+rX,go-w "$payload"
tar -C "$payload" --owner=0 --group=0 --numeric-owner -cf - perfdesk-app | xz -T0 -6 >"$work/payload.tar.xz"
header="$work/header.sh"
sed -e "s|@VERSION@|$version|g" -e "s|@MACHINE@|$machine|g" -e "s|@GLIBC@|$glibc|g" \
  "$here/user_install.sh" >"$header"
lines=$(($(wc -l <"$header") + 1))
sed -i "s|@PAYLOAD_LINE@|$lines|" "$header"
[ "$(wc -l <"$header")" -eq $((lines - 1)) ] || { echo "build_packages: header changed length" >&2; exit 1; }
cat "$header" "$work/payload.tar.xz" >"$run"
chmod 755 "$run"
echo "== $(basename "$run"): $(du -m "$run" | cut -f1) MB (needs glibc >= $glibc, $machine)"
echo "== Linux packages built in $(($(date +%s) - start)) s"
