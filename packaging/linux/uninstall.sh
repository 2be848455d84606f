#!/bin/sh
# 卸载为当前用户安装的 perfdesk（由个人安装程序放在 ~/.local/share/perfdesk-app/uninstall.sh）。
# Removes the program folder this script sits in, its menu entry and the ~/.local/bin links —
# each only if it still belongs to this installation. The data (~/.local/share/perfdesk) and the
# log (~/.local/state/perfdesk) are kept.
set -eu

APP=$(cd "$(dirname "$0")" && pwd)
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
MENU="$data_home/applications/perfdesk.desktop"

[ -x "$APP/perfdesk" ] && [ "$(basename "$APP")" = "perfdesk-app" ] || {
  printf '卸载未完成：%s 不是 perfdesk 的程序文件夹。\n' "$APP" >&2
  exit 1
}
if [ -f "$MENU" ] && grep -q "$APP/perfdesk" "$MENU"; then
  rm -f "$MENU"
  command -v update-desktop-database >/dev/null 2>&1 \
    && update-desktop-database -q "$(dirname "$MENU")" 2>/dev/null || true
fi
for name in perfdesk perfdesk-cli; do
  link="$HOME/.local/bin/$name"
  if [ -L "$link" ] && [ "$(readlink "$link")" = "$APP/$name" ]; then
    rm -f "$link"
  fi
done
rm -rf "$APP"
printf 'perfdesk 已卸载。\n您的数据仍保存在：%s\n重新安装后可继续使用；如确实不再需要，可手动删除该文件夹。\n' \
  "$data_home/perfdesk"
