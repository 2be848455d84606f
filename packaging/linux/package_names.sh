# Sourced by build_packages.sh and check_packages.sh (with $repo set): the version and machine
# names the Linux packages are called by, worked out in one place so that the check looks for the
# very files the build makes.
version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$repo/pyproject.toml" | head -n 1)
deb_version=$(echo "$version" | sed -E 's/(a|b|rc|dev)([0-9]*)$/~\1\2/')  # 1.0rc1 → 1.0~rc1
machine=$(uname -m)
case "$machine" in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  loongarch64) arch=loong64 ;;
  mips64) arch=mips64el ;;
  *) arch=$machine ;;
esac
