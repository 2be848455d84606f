#!/bin/sh
# perfdesk @VERSION@ — 个人安装程序：为当前用户安装，无需管理员（root）权限。
#
#   sh perfdesk-@VERSION@-linux-@MACHINE@.run              安装（或升级）到 ~/.local/share/perfdesk-app
#   sh perfdesk-@VERSION@-linux-@MACHINE@.run --uninstall  卸载（数据保留）
#
# Made by packaging/linux/build_packages.sh from packaging/linux/user_install.sh: this header, then
# a tar.xz of the program folder from line @PAYLOAD_LINE@ on. The program goes to
# $XDG_DATA_HOME/perfdesk-app (default ~/.local/share/perfdesk-app), replaced whole on an upgrade;
# a menu entry and ~/.local/bin/perfdesk, perfdesk-cli point at it. The clerk's data lives in
# ~/.local/share/perfdesk (and the log in ~/.local/state/perfdesk): never touched here.
set -eu

VERSION="@VERSION@"
MACHINE="@MACHINE@"
GLIBC_NEEDED="@GLIBC@"
PAYLOAD_LINE=@PAYLOAD_LINE@

data_home=${XDG_DATA_HOME:-$HOME/.local/share}
APP="$data_home/perfdesk-app"
BIN="$HOME/.local/bin"
MENU="$data_home/applications/perfdesk.desktop"

say() { printf '%s\n' "$*"; }
fail() { printf '安装未完成：%s\n' "$*" >&2; exit 1; }

case "${1:-}" in
  --uninstall)
    [ -x "$APP/uninstall.sh" ] || fail "没有找到已安装的 perfdesk（$APP）。"
    exec "$APP/uninstall.sh"
    ;;
  -h | --help)
    say "perfdesk $VERSION 个人安装程序（无需管理员权限）"
    say "  sh $(basename "$0")              安装或升级到 $APP"
    say "  sh $(basename "$0") --uninstall  卸载（数据保留在 $data_home/perfdesk）"
    exit 0
    ;;
  "") ;;
  *) fail "不认识的参数“$1”。用 --help 查看用法。" ;;
esac

# The bundle is built for one processor and needs at least the C library it was built with.
here_machine=$(uname -m)
[ "$here_machine" = "$MACHINE" ] || fail "此安装包适用于 $MACHINE 处理器的电脑，本机是 $here_machine。请使用对应的安装包。"
here_glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
if [ -n "$here_glibc" ]; then
  oldest=$(printf '%s\n%s\n' "$here_glibc" "$GLIBC_NEEDED" | sort -t. -k1,1n -k2,2n | head -n 1)
  if [ "$oldest" != "$GLIBC_NEEDED" ]; then
    fail "本机系统的 C 库（glibc）版本是 $here_glibc，perfdesk $VERSION 需要 $GLIBC_NEEDED 或更新的版本。请升级系统，或使用为较旧系统制作的安装包。"
  fi
fi
command -v xz >/dev/null 2>&1 || fail "缺少解压工具 xz（软件包 xz-utils）。"

mkdir -p "$data_home" || fail "无法创建文件夹 $data_home。"
new="$APP.new.$$"
old="$APP.old.$$"
rm -rf "$new"
mkdir -p "$new"
trap 'rm -rf "$new"' EXIT
say "正在解压 perfdesk $VERSION …"
tail -n +"$PAYLOAD_LINE" "$0" | xz -dc | tar -xf - -C "$new" \
  || fail "安装包已损坏或磁盘空间不足，请重新下载后再试。"
[ -x "$new/perfdesk-app/perfdesk" ] || fail "安装包内容不完整，请重新下载后再试。"

# The system libraries Qt takes from the PC (the .deb names them as dependencies; the 兼容版 takes
# libdbus and libpng16 from the PC too): refused before anything is replaced when one is missing.
if command -v ldd >/dev/null 2>&1; then
  # (Qt's Wayland pieces are left out of the list: the program runs through X11/XWayland.)
  lib="$new/perfdesk-app/_internal"
  missing=$(for f in "$lib"/libQt6Core.so.* "$lib"/libQt6Gui.so.* "$lib"/libQt6Widgets.so.* \
      "$lib"/libQt6DBus.so.* "$lib"/libQt6PrintSupport.so.* "$lib"/libQt6XcbQpa.so.* \
      "$lib"/libQt6Pdf.so.* "$lib"/PySide6/Qt/plugins/platforms/libqxcb.so; do
    [ -f "$f" ] && ldd "$f" 2>/dev/null
  done | awk '/=> not found/ {print $1}' | sort -u | tr '\n' ' ')
  [ -z "$missing" ] || fail "本机缺少 perfdesk 需要的系统库：${missing% }。请先安装（统信UOS / 麒麟可在终端运行 sudo apt install libdbus-1-3 libpng16-16 libegl1 libgl1 libxcb1 等，或请系统管理员安装），再运行本安装程序。"
fi

# Swap the program folder in one step; the old one goes only once the new one is in place.
if [ -e "$APP" ]; then
  mv "$APP" "$old"
fi
mv "$new/perfdesk-app" "$APP"
rm -rf "$new" "$old"
trap - EXIT

mkdir -p "$BIN" "$(dirname "$MENU")"
ln -sfn "$APP/perfdesk" "$BIN/perfdesk"
ln -sfn "$APP/perfdesk-cli" "$BIN/perfdesk-cli"
# The Exec key quotes the path (it may hold spaces); the icon is given as a file, so no icon
# cache has to be refreshed for the menu to show it.
sed -e "s|@EXEC@|\"$APP/perfdesk\"|" -e "s|^TryExec=.*|TryExec=$APP/perfdesk|" \
  -e "s|@ICON@|$APP/perfdesk.png|" "$APP/perfdesk.desktop.in" >"$MENU.tmp"
mv "$MENU.tmp" "$MENU"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$(dirname "$MENU")" 2>/dev/null || true

say "perfdesk $VERSION 已安装到：$APP"
say "  开始菜单（办公）中的“perfdesk 部门整体支出绩效自评”可打开程序；"
say "  命令 perfdesk、perfdesk-cli 在 $BIN（如未生效，请重新登录）。"
say "  卸载：$APP/uninstall.sh（您的数据保存在 $data_home/perfdesk，卸载时不会删除）。"
exit 0
# --- the program folder (tar.xz) follows ----------------------------------------------------------
