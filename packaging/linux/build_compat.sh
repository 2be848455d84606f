#!/usr/bin/env bash
# The 兼容版 (compatibility build) for older desktops — 麒麟 Kylin V10 (glibc 2.31) and the like —
# beside the ordinary bundle, which is built on Debian 12 and so needs glibc 2.36:
#
#   dist/perfdesk_<version>_<arch>-glibc<N>.deb
#   dist/perfdesk-<version>-linux-<machine>-glibc<N>.run      (N: the glibc the bundle needs)
#
#   sudo bash packaging/linux/build_compat.sh        (root: debootstrap and chroot)
#
# A bundle runs on the glibc it was built against or a newer one, so this one is built inside a
# Debian 11 "bullseye" tree (glibc 2.31) made by debootstrap under build/compat/root/, with:
#   - CPython 3.11 compiled there (bullseye has 3.9 only), from Debian 12's own source package
#     (the upstream tarball plus Debian's backported security fixes, checked against the sums below);
#   - PySide6 pinned to 6.9.x, the last Qt for Python with manylinux_2_28 wheels (6.10 and newer
#     need glibc 2.34+). At 6.9 QtPdf is in PySide6-Addons (PySide6-Pdf exists only from 6.12);
#   - the same spec and build.sh as the ordinary bundle, then build_packages.sh with a suffix.
# Then, still inside bullseye (glibc 2.31): packaging/smoke_test.sh on the bundle (sample, pdf,
# audit, the window offscreen and under Xvfb, the in-window checks) and check_packages.sh (the .deb
# with dpkg -i / dpkg -r, the .run as an ordinary user). Last, every ELF file of the bundle is
# scanned for the newest GLIBC_ / GLIBCXX_ symbol versions it asks for (the symbols newer than
# glibc 2.28, the one 统信UOS V20 has, are listed by file).
#
# Needs: root, a Debian/Ubuntu host (apt-get installs debootstrap when missing), the Debian archive
# and PyPI. Everything it downloads or makes stays in build/compat/ (delete it to start over; a
# second run reuses the tree and the compiled Python). Steps are timed: "compat: STEP N s".
set -euo pipefail
# The whole script is one block, read before any of it runs: editing the file while a build is
# under way cannot change what that build does.
{

repo=$(cd "$(dirname "$0")/../.." && pwd)
compat="$repo/build/compat"
root="$compat/root"
mirror=${PERFDESK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bullseye
pyside=6.9.3
# Debian 12's python3.11 source package (3.11.2 + Debian's fixes up to deb12u8), from its pool.
py_version=3.11.2
py_orig=python3.11_3.11.2.orig.tar.gz
py_orig_sha256=2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849
py_debian=python3.11_3.11.2-6+deb12u8.debian.tar.xz
py_debian_sha256=ece2d63c70ac0b7a401fbe6b51b0103be997c294a01a3865549be1862794ba97
py_prefix=/opt/python3.11

[ "$(id -u)" -eq 0 ] || { echo "build_compat: run as root (debootstrap, chroot)" >&2; exit 2; }
[ "$(uname -m)" = x86_64 ] || { echo "build_compat: made for x86_64 hosts" >&2; exit 2; }
mkdir -p "$compat"
t_all=$SECONDS
for tool in debootstrap curl objdump unshare; do
  command -v "$tool" >/dev/null && continue
  case $tool in objdump) pkg=binutils ;; unshare) pkg=util-linux ;; *) pkg=$tool ;; esac
  apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null; } \
    || { echo "build_compat: $tool is missing and apt-get could not install $pkg" >&2; exit 2; }
done
step() { echo "== compat: $*"; t_step=$SECONDS; }
took() { echo "   compat: $1 $((SECONDS - t_step)) s"; }

# in_root CMD… : run CMD inside the bullseye tree as root, with a clean environment. The mounts it
# needs (/proc, a small /dev of its own) live in a private mount namespace and vanish with it, so
# nothing stays mounted inside build/ (rm -rf build can never reach the host's /dev).
in_root() {
  unshare --mount --propagation private -- /bin/sh -eu -c '
    r=$1; shift
    mount -t proc proc "$r/proc"
    mount -t tmpfs -o mode=755,size=64k dev "$r/dev"
    for n in null:3 zero:5 full:7 random:8 urandom:9; do
      mknod -m 666 "$r/dev/${n%%:*}" c 1 "${n#*:}"
    done
    mknod -m 666 "$r/dev/tty" c 5 0
    mkdir "$r/dev/shm" "$r/dev/pts"
    mount -t tmpfs -o mode=1777 shm "$r/dev/shm"
    mount -t devpts -o newinstance,ptmxmode=0666 devpts "$r/dev/pts"
    ln -s pts/ptmx "$r/dev/ptmx"
    ln -s /proc/self/fd "$r/dev/fd"
    ln -s /proc/self/fd/0 "$r/dev/stdin"; ln -s /proc/self/fd/1 "$r/dev/stdout"
    ln -s /proc/self/fd/2 "$r/dev/stderr"
    ca=""
    [ -f "$r/etc/ssl/host-ca-certificates.crt" ] && ca=PIP_CERT=/etc/ssl/host-ca-certificates.crt
    exec chroot "$r" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb CI="${CI:-}" \
      PATH=/opt/venv/bin:'"$py_prefix"'/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1 \
      ${ca:+"$ca"} "$@"' sh "$root" "$@"
}

# --- 1. the bullseye tree -------------------------------------------------------------------------
# Build tools for Python and the ICU trim (gcc), binutils for PyInstaller (strip, objdump), Qt's
# runtime libraries (PyInstaller bundles those found here, so bullseye's), and what the checks use.
packages="gcc make libc6-dev patch libssl-dev libffi-dev zlib1g-dev libbz2-dev liblzma-dev
  libsqlite3-dev binutils xz-utils ca-certificates
  libegl1 libgl1 libopengl0 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libxkbcommon0
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libcups2
  fonts-wqy-microhei poppler-utils xvfb xauth desktop-file-utils"
if [ ! -f "$root/.perfdesk-tree" ]; then
  step "debootstrap $suite into build/compat/root"
  rm -rf "$root"
  for attempt in 1 2; do  # once more after a failed download
    if debootstrap --variant=minbase --include=ca-certificates "$suite" "$root" "$mirror" \
      >"$compat/debootstrap.log" 2>&1; then break; fi
    [ $attempt = 1 ] || { tail -n 30 "$compat/debootstrap.log" >&2; exit 1; }
    echo "   compat: debootstrap failed; once more" && rm -rf "$root" && sleep 10
  done
  took debootstrap
  step "apt-get install (build tools, Qt's libraries, Xvfb) in $suite"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  {
    echo "deb $mirror $suite main"
    echo "deb $mirror $suite-updates main"
    echo "deb ${PERFDESK_DEBIAN_SECURITY:-${mirror%/debian}/debian-security} $suite-security main"
  } >"$root/etc/apt/sources.list"
  # A mirror caught mid-sync fails an index now and then: try the update three times.
  # shellcheck disable=SC2086
  in_root sh -c "for i in 1 2 3; do apt-get update -qq && break; sleep \$((i * 10)); done
      apt-get install -y -qq --no-install-recommends $(echo $packages)" \
    >"$compat/apt.log" 2>&1 || { tail -n 30 "$compat/apt.log" >&2; exit 1; }
  in_root apt-get clean
  touch "$root/.perfdesk-tree"
  took "apt-get install"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
# pip inside the tree trusts what pip on this host trusts (a site may add its own authority).
host_ca_file=${PIP_CERT:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}
[ ! -f "$host_ca_file" ] || cp "$host_ca_file" "$root/etc/ssl/host-ca-certificates.crt"
echo "   compat: $(in_root ldd --version | head -n 1)"

# --- 2. CPython 3.11 ------------------------------------------------------------------------------
if [ ! -f "$root$py_prefix/.perfdesk-built" ]; then
  step "CPython $py_version from Debian's source package (no PGO/LTO, no tests, make -j2)"
  src="$compat/src"
  mkdir -p "$src"
  for f in "$py_orig:$py_orig_sha256" "$py_debian:$py_debian_sha256"; do
    name=${f%%:*} sum=${f#*:}
    if ! echo "$sum  $src/$name" | sha256sum -c --quiet >/dev/null 2>&1; then
      curl -fsSL --retry 3 -o "$src/$name" "$mirror/pool/main/p/python3.11/$name" \
        || { echo "build_compat: could not download $mirror/pool/main/p/python3.11/$name" >&2; exit 1; }
      echo "$sum  $src/$name" | sha256sum -c --quiet || { echo "build_compat: $name: wrong checksum" >&2; exit 1; }
    fi
  done
  b="$root/build/python"
  rm -rf "$b" "$root$py_prefix" "$root/opt/venv" && mkdir -p "$b"
  tar -xzf "$src/$py_orig" -C "$b" --strip-components=1
  tar -xJf "$src/$py_debian" -C "$b"
  # Debian's own patches come first in the series (its multiarch layout, dist-packages…); the
  # upstream bug and security fixes backported by Debian follow them, from shutdown-deadlock on.
  sed -n '/^shutdown-deadlock.diff/,$p' "$b/debian/patches/series" | grep -v '^#' >"$b/fixes.list"
  in_root sh -c 'cd /build/python && while read -r p; do
      patch -p1 -s --no-backup-if-mismatch <"debian/patches/$p" || { echo "patch $p failed" >&2; exit 1; }
    done <fixes.list' >"$compat/python-build.log" 2>&1 || { tail -n 20 "$compat/python-build.log" >&2; exit 1; }
  # The fix for CVE-2026-4224 makes pyexpat.c use CPython's internal headers. Debian links the
  # module into the interpreter; here it is a shared module, which must say so (as 3.12+ do).
  if grep -q pycore_ceval "$b/Modules/pyexpat.c" && ! grep -q Py_BUILD_CORE_MODULE "$b/Modules/pyexpat.c"; then
    sed -i '1i #ifndef Py_BUILD_CORE_BUILTIN\n#  define Py_BUILD_CORE_MODULE 1\n#endif' "$b/Modules/pyexpat.c"
  fi
  echo "   compat: $(wc -l <"$b/fixes.list") of Debian's backported fixes applied"
  # Shared libpython (PyInstaller needs it), found through the rpath.
  in_root sh -c "cd /build/python && ./configure -q --prefix=$py_prefix --enable-shared \
      --disable-test-modules LDFLAGS=-Wl,-rpath,$py_prefix/lib \
      && make -s -j2 && make -s install" >>"$compat/python-build.log" 2>&1 \
    || { tail -n 40 "$compat/python-build.log" >&2; exit 1; }
  rm -rf "$b"
  for m in ssl sqlite3 ctypes zlib bz2 lzma pyexpat _elementtree; do
    in_root "$py_prefix/bin/python3.11" -c "import $m" || { echo "build_compat: Python lacks $m" >&2; exit 1; }
  done
  touch "$root$py_prefix/.perfdesk-built"
  took "python build"
fi

# --- 3. perfdesk and its dependencies -------------------------------------------------------------
step "pip: perfdesk, PySide6 $pyside (Essentials + Addons for QtPdf), PyInstaller"
rm -rf "$root/src/perfdesk"
mkdir -p "$root/src/perfdesk"
# The checkout as it is (also files not yet committed), without what builds and tests leave.
tar -C "$repo" --exclude=./.git --exclude=./build --exclude=./dist --exclude=./.venv \
  --exclude='*.egg-info' --exclude=__pycache__ -cf - . | tar -C "$root/src/perfdesk" -xf -
[ -x "$root/opt/venv/bin/python" ] || in_root "$py_prefix/bin/python3.11" -m venv /opt/venv
# The project's dependencies from pyproject.toml, the PySide6 ones replaced by the 6.9 pins, so
# pip never reaches for a wheel this glibc cannot run; perfdesk itself then without dependencies.
in_root python - "$pyside" >"$compat/pip.log" 2>&1 <<'EOF'
import sys, tomllib
meta = tomllib.load(open("/src/perfdesk/pyproject.toml", "rb"))["project"]
deps = meta["dependencies"] + meta["optional-dependencies"]["package"]
keep = [d for d in deps if not d.lower().startswith("pyside6")]
pins = [f"{name}=={sys.argv[1]}" for name in ("PySide6-Essentials", "PySide6-Addons", "shiboken6")]
open("/src/perfdesk/build-requirements.txt", "w").write("\n".join(keep + pins) + "\n")
EOF
in_root sh -c 'cd /src/perfdesk && python -m pip install -q -U pip \
    && python -m pip install -q -r build-requirements.txt \
    && python -m pip install -q --no-deps -e .' \
  >>"$compat/pip.log" 2>&1 || { tail -n 30 "$compat/pip.log" >&2; exit 1; }
echo "   compat: $(in_root python -m pip list 2>/dev/null | grep -iE '^(pyside6[-_a-z]*|shiboken6|pyinstaller) ' | tr -s ' ' | paste -sd, - | sed 's/,/, /g')"
took pip

# --- 4. the bundle ----------------------------------------------------------------------------------
step "PyInstaller (packaging/build.sh, same spec) in $suite"
in_root sh -c 'cd /src/perfdesk && PERFDESK_SKIP_INSTALL=1 PYTHON=python bash packaging/build.sh'
bundle="$root/src/perfdesk/dist/perfdesk"
took pyinstaller

# --- 5. what the bundle asks of the C library ---------------------------------------------------------
step "symbol versions the bundle needs"
elves=$(find "$bundle" -type f \( -name '*.so*' -o -perm -u+x \) -exec sh -c \
  'head -c 4 "$1" | grep -q ELF && echo "$1"' _ {} \;)
newest() {  # newest PREFIX: the highest PREFIX_x.y any ELF of the bundle asks for (its version
  # references; the bundled libstdc++'s own definitions are not a need)
  for f in $elves; do objdump -p "$f" 2>/dev/null; done \
    | awk '/^Version definitions:/ { refs = 0 } /^Version References:/ { refs = 1 } refs' \
    | grep -o "$1_[0-9][0-9.]*" | sed "s/$1_//" | sort -u -V | tail -n 1
}
glibc=$(newest GLIBC)
echo "   compat: $(echo "$elves" | wc -l) ELF files; newest GLIBC_$glibc, GLIBCXX_$(newest GLIBCXX), CXXABI_$(newest CXXABI)"
# Each symbol the bundle imports with a glibc version newer than 2.28 (UOS V20's), by file.
for f in $elves; do
  objdump -T "$f" 2>/dev/null | awk -v file="${f#"$bundle"/}" '
    $0 ~ /\*UND\*/ && match($0, /GLIBC_2\.[0-9]+/) {
      v = substr($0, RSTART + 8, RLENGTH - 8); if (v + 0 > 28) print "   compat:   " file ": " $NF " (GLIBC_2." v ")"
    }'
done | sort -u | tee "$compat/newer-than-2.28.txt"
[ -s "$compat/newer-than-2.28.txt" ] || echo "   compat:   no symbol newer than GLIBC_2.28"
took "symbol scan"

# --- 6. packages, and the checks on glibc 2.31 ------------------------------------------------------
suffix="-glibc$glibc"
step "build_packages.sh (suffix $suffix) in $suite"
in_root sh -c "cd /src/perfdesk && bash packaging/linux/build_packages.sh dist/perfdesk $suffix"
took packages

step "smoke test of the bundle in $suite ($(in_root ldd --version | head -n 1 | awk '{print $NF}'))"
in_root sh -c 'cd /src/perfdesk && bash packaging/smoke_test.sh dist/perfdesk'
took "smoke test"

step "check_packages.sh in $suite: dpkg -i / -r, the .run as an ordinary user"
in_root sh -c "cd /src/perfdesk && bash packaging/linux/check_packages.sh $suffix"
took "package check"

mkdir -p "$repo/dist"
for f in "$root/src/perfdesk/dist/"*"$suffix".deb "$root/src/perfdesk/dist/"*"$suffix".run; do
  cp "$f" "$repo/dist/"
  echo "   compat: dist/$(basename "$f") $(du -m "$f" | cut -f1) MB"
done
echo "   compat: bundle $(du -sm "$bundle" | cut -f1) MB (build/compat/root/src/perfdesk/dist/perfdesk);" \
  "build/compat $(du -sm "$compat" | cut -f1) MB"
echo "== compat: done in $((SECONDS - t_all)) s"
exit
}
