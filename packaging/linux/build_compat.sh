#!/usr/bin/env bash
# The 兼容版 (compatibility build) for older desktops — 统信UOS V20 (glibc 2.28), 麒麟 Kylin V10
# (glibc 2.31) and the like — beside the ordinary bundle, which is built on Debian 12 and so needs
# glibc 2.36:
#
#   dist/perfdesk_<version>_<arch>-glibc<N>.deb
#   dist/perfdesk-<version>-linux-<machine>-glibc<N>.run      (N: the glibc the bundle needs, 2.28)
#
#   sudo bash packaging/linux/build_compat.sh        (root: debootstrap and chroot)
#
# A bundle runs on the glibc it was built against or a newer one. No glibc 2.28 system is at hand
# to build on (Debian 10 has left the Debian mirrors this uses), so this one is built inside a
# Debian 11 "bullseye" tree (glibc 2.31) made by debootstrap under build/compat/root/, and kept
# from asking for anything newer than 2.28:
#   - CPython 3.11 compiled there (bullseye has 3.9 only), from Debian 12's own source package
#     (the upstream tarball plus Debian's backported security fixes, checked against the sums below),
#     its libm calls bound to the old symbol versions and without sem_clockwait (glibc 2.30);
#   - SQLite for it from bullseye's source package, built the same way;
#   - PySide6 pinned to 6.9.x, the last Qt for Python with manylinux_2_28 wheels (6.10 and newer
#     need glibc 2.34+). At 6.9 QtPdf is in PySide6-Addons (PySide6-Pdf exists only from 6.12);
#   - the same spec and build.sh as the ordinary bundle (with PERFDESK_COMPAT=1: bullseye's
#     libdbus/libsystemd, libpng16, cairo and pixman, which ask for glibc 2.29/2.30, are left to
#     the PC), then build_packages.sh with a suffix.
# Every ELF file of the bundle is scanned for the newest GLIBC_ / GLIBCXX_ symbol versions it asks
# for: a symbol newer than glibc 2.28 (统信UOS V20's) is listed by file and fails the build. Then,
# still inside bullseye (glibc 2.31): packaging/smoke_test.sh on the bundle (sample, pdf, audit,
# the window offscreen and under Xvfb, the in-window checks) and check_packages.sh (the .deb with
# dpkg -i / dpkg -r, the .run as an ordinary user).
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
# SQLite for Python's sqlite3 module: bullseye's own source package (3.34.1 and its fixes), built
# like Python below so that it asks for nothing newer than glibc 2.28 (bullseye's libsqlite3
# asks for log@GLIBC_2.29).
sq_orig=sqlite3_3.34.1.orig.tar.xz
sq_orig_sha256=082f583440c662cb484ae1c124ffe285b587bbb7837e095e693026e6df50334d
sq_debian=sqlite3_3.34.1-3+deb11u1.debian.tar.xz
sq_debian_sha256=51498b4e13d90fc26ad290fe41e8f83cb7e792900e354fddd6941a684c0d983a
# The newest glibc the bundle may ask for: 统信UOS V20's. The build fails when any ELF file of the
# bundle asks for a newer GLIBC_ version.
max_glibc=2.28
# What the compiled Python is made of: a tree whose Python was built otherwise is rebuilt.
py_recipe="python $py_version ($py_debian), sqlite ($sq_debian), glibc <= $max_glibc"

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
  libsqlite3-dev tcl8.6 binutils xz-utils ca-certificates
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
# glibc 2.29 gave exp, exp2, log, log2 and pow new symbol versions (faster code, no SVID error
# handling), and bullseye's gcc binds calls to the newest. Every C file of Python and SQLite is
# compiled with this header first (-include), which binds them to the versions glibc 2.2.5 already
# had — the same functions as glibc 2.28's. Python 3.11 uses sem_clockwait (glibc 2.30) when
# configure finds it; it is told the function is not there and uses sem_timedwait, as on 2.28.
# The header stays in $py_prefix/include: Python's recorded CFLAGS name it, so a C extension that
# pip compiles in the venv is bound the same way.
glibc_header="$py_prefix/include/glibc-$max_glibc.h"
if [ "$(cat "$root$py_prefix/.perfdesk-built" 2>/dev/null)" != "$py_recipe" ]; then
  step "CPython $py_version from Debian's source package (no PGO/LTO, no tests, make -j2), with SQLite"
  src="$compat/src"
  mkdir -p "$src"
  for f in "$py_orig:$py_orig_sha256:p/python3.11" "$py_debian:$py_debian_sha256:p/python3.11" \
    "$sq_orig:$sq_orig_sha256:s/sqlite3" "$sq_debian:$sq_debian_sha256:s/sqlite3"; do
    IFS=: read -r name sum dir <<<"$f"
    if ! echo "$sum  $src/$name" | sha256sum -c --quiet >/dev/null 2>&1; then
      # A security update lives in the security archive's pool until a point release moves it.
      for pool in "$mirror/pool/main" "${PERFDESK_DEBIAN_SECURITY:-${mirror%/debian}/debian-security}/pool/updates/main"; do
        curl -fsSL --retry 3 -o "$src/$name" "$pool/$dir/$name" 2>/dev/null && break
      done || { echo "build_compat: could not download $name from $mirror/pool/main/$dir" >&2; exit 1; }
      echo "$sum  $src/$name" | sha256sum -c --quiet || { echo "build_compat: $name: wrong checksum" >&2; exit 1; }
    fi
  done
  # tclsh generates SQLite's amalgamation (a tree made before it was in the package list lacks it).
  [ -x "$root/usr/bin/tclsh8.6" ] || in_root sh -c 'apt-get update -qq \
      && apt-get install -y -qq --no-install-recommends tcl8.6 && apt-get clean' >>"$compat/apt.log" 2>&1 \
    || { tail -n 20 "$compat/apt.log" >&2; exit 1; }
  b="$root/build/python"
  rm -rf "$b" "$root/build/sqlite" "$root$py_prefix" "$root/opt/venv" && mkdir -p "$b" "$root$py_prefix/include"
  # The functions' versions as glibc 2.2.5 gave them (x86_64's oldest; this script is x86_64 only).
  for fn in exp exp2 log log2 pow; do
    objdump -T "$root/lib/x86_64-linux-gnu/libm.so.6" | grep "(GLIBC_2.2.5) *$fn\$" >/dev/null \
      || { echo "build_compat: the tree's libm has no $fn@GLIBC_2.2.5" >&2; exit 1; }
    echo "__asm__(\".symver $fn,$fn@GLIBC_2.2.5\");"
  done >"$root$glibc_header"
  # SQLite as Debian builds it (its patches, its flags, without the Tcl binding and the shell),
  # into $py_prefix/lib, where Python's rpath finds it. Debian's patches that change configure.ac
  # need autoreconf; their one effect that matters here (no malloc_usable_size) is a cache value.
  sq="$root/build/sqlite"
  mkdir -p "$sq" && tar -xJf "$src/$sq_orig" -C "$sq" --strip-components=1 && tar -xJf "$src/$sq_debian" -C "$sq"
  sq_flags=$(sed -n '/^export CFLAGS += /,/^$/p' "$sq/debian/rules" | grep -o -- '-D[A-Z0-9_]*\(=[0-9]*\)\?' | paste -sd' ')
  [ -n "$sq_flags" ] || { echo "build_compat: no SQLite flags found in debian/rules" >&2; exit 1; }
  in_root sh -c "cd /build/sqlite && for p in \$(grep -v '^#' debian/patches/series); do
        patch -p1 -s --no-backup-if-mismatch <debian/patches/\$p || { echo \"patch \$p failed\" >&2; exit 1; }
      done \
      && ./configure -q --prefix=$py_prefix --disable-static --disable-tcl --enable-threadsafe \
        --enable-load-extension --enable-json1 --enable-fts4 --enable-fts5 \
        ac_cv_func_malloc_usable_size=no CFLAGS='-g -O2 -fno-strict-aliasing $sq_flags -include $glibc_header' \
        LDFLAGS=-Wl,--as-needed \
      && make -s -j2 libsqlite3.la && make -s lib_install \
      && install -m 644 sqlite3.h src/sqlite3ext.h $py_prefix/include/" >"$compat/python-build.log" 2>&1 \
    || { tail -n 30 "$compat/python-build.log" >&2; exit 1; }
  rm -rf "$sq"
  tar -xzf "$src/$py_orig" -C "$b" --strip-components=1
  tar -xJf "$src/$py_debian" -C "$b"
  # Debian's own patches come first in the series (its multiarch layout, dist-packages…); the
  # upstream bug and security fixes backported by Debian follow them, from shutdown-deadlock on.
  sed -n '/^shutdown-deadlock.diff/,$p' "$b/debian/patches/series" | grep -v '^#' >"$b/fixes.list"
  in_root sh -c 'cd /build/python && while read -r p; do
      patch -p1 -s --no-backup-if-mismatch <"debian/patches/$p" || { echo "patch $p failed" >&2; exit 1; }
    done <fixes.list' >>"$compat/python-build.log" 2>&1 || { tail -n 20 "$compat/python-build.log" >&2; exit 1; }
  # The fix for CVE-2026-4224 makes pyexpat.c use CPython's internal headers. Debian links the
  # module into the interpreter; here it is a shared module, which must say so (as 3.12+ do).
  if grep -q pycore_ceval "$b/Modules/pyexpat.c" && ! grep -q Py_BUILD_CORE_MODULE "$b/Modules/pyexpat.c"; then
    sed -i '1i #ifndef Py_BUILD_CORE_BUILTIN\n#  define Py_BUILD_CORE_MODULE 1\n#endif' "$b/Modules/pyexpat.c"
  fi
  echo "   compat: $(wc -l <"$b/fixes.list") of Debian's backported fixes applied"
  # Shared libpython (PyInstaller needs it) and the SQLite above, both found through the rpath.
  in_root sh -c "cd /build/python && ./configure -q --prefix=$py_prefix --enable-shared \
      --disable-test-modules ac_cv_func_sem_clockwait=no CFLAGS='-include $glibc_header' \
      LDFLAGS=-Wl,-rpath,$py_prefix/lib \
      LIBSQLITE3_CFLAGS=-I$py_prefix/include LIBSQLITE3_LIBS='-L$py_prefix/lib -lsqlite3' \
      && make -s -j2 && make -s install" >>"$compat/python-build.log" 2>&1 \
    || { tail -n 40 "$compat/python-build.log" >&2; exit 1; }
  rm -rf "$b"
  for m in ssl sqlite3 ctypes zlib bz2 lzma pyexpat _elementtree; do
    in_root "$py_prefix/bin/python3.11" -c "import $m" || { echo "build_compat: Python lacks $m" >&2; exit 1; }
  done
  # sqlite3 uses the SQLite built here, and the math functions bound to the old versions work.
  sqlite_so=$(in_root sh -c "ldd $py_prefix/lib/python3.11/lib-dynload/_sqlite3.*.so" | awk '/libsqlite3/ {print $3}')
  [ "$sqlite_so" = "$py_prefix/lib/libsqlite3.so.0" ] \
    || { echo "build_compat: Python's sqlite3 module uses '$sqlite_so', not $py_prefix/lib's" >&2; exit 1; }
  in_root "$py_prefix/bin/python3.11" -c "
import math, sqlite3, statistics
assert sqlite3.sqlite_version == '3.34.1', sqlite3.sqlite_version
close = lambda a, b: math.isclose(a, b, rel_tol=1e-15)
assert close(math.exp(1), math.e) and close(math.log(math.e), 1) and math.log2(8) == 3 and math.exp2(3) == 8
assert close(pow(2.0, 0.5), math.sqrt(2)) and close(statistics.geometric_mean([1, 4]), 2)
for bad in (lambda: math.exp(1000), lambda: math.log(0), lambda: math.pow(0.0, -1.0)):
    try:
        bad()
    except (OverflowError, ValueError):
        pass
    else:
        raise AssertionError('no error from a math function outside its domain')
" || { echo "build_compat: the compiled Python's math or sqlite3 is not right" >&2; exit 1; }
  echo "$py_recipe" >"$root$py_prefix/.perfdesk-built"
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
# PERFDESK_COMPAT: bundle_plan.py leaves out the libraries listed in COMPAT_LEFT_TO_THE_SYSTEM.
in_root sh -c 'cd /src/perfdesk && PERFDESK_COMPAT=1 PERFDESK_SKIP_INSTALL=1 PYTHON=python bash packaging/build.sh'
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
took "symbol scan"
if [ -s "$compat/newer-than-2.28.txt" ] || [ "$(printf '%s\n' "$glibc" "$max_glibc" | sort -V | tail -n 1)" != "$max_glibc" ]; then
  echo "build_compat: the bundle asks for GLIBC_$glibc; the 兼容版 may ask for $max_glibc at most" \
    "(统信UOS V20): the symbols above (build/compat/newer-than-2.28.txt)" >&2
  exit 1
fi
echo "   compat:   no symbol newer than GLIBC_$max_glibc"

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
