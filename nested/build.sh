#!/bin/sh
# Builds the nested runtimes of "runtime on runtime" for wasm32-wasi from Debian's
# source packages with Debian's toolchains, into .cache/nested/out/ (outside git):
#   wasm-interp.wasm   wabt 1.0.32's interpreter, with our uvwasi (nested/uvwasi)
#   lua.wasm           Lua 5.4 (errors abort: wasi-libc has no setjmp)
#   sqlite3.wasm       the SQLite 3.40 shell
#   hello-c.wasm hello-cc.wasm hello-rs.wasm   our programs in nested/programs/
# Each part is rebuilt only when its inputs (this script, our sources, patches)
# change. Installs what it needs with apt-get (root or sudo). Third-party sources
# are fetched with `apt-get source` through a private deb-src list, so the
# system's apt configuration is untouched.
# Usage: nested/build.sh [all|wabt|lua|sqlite|programs]...   (default: all)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
CACHE=${KASANE_NESTED_CACHE:-$ROOT/.cache/nested}
SRC="$CACHE/src"
BUILD="$CACHE/build"
OUT="$CACHE/out"
JOBS=${JOBS:-2}
mkdir -p "$SRC" "$BUILD" "$OUT"

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo

log() { printf '[nested] %s\n' "$*"; }
now() { date +%s; }

# --- toolchains -------------------------------------------------------------
ensure_packages() {
  need=""
  for p in clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 libc++-14-dev-wasm32 \
           libc++abi-14-dev-wasm32 cmake make gcc tcl rustc libstd-rust-dev-wasm32 dpkg-dev; do
    dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
  done
  if [ -n "$need" ]; then
    log "apt-get install$need"
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq $need
  fi
}

# A clean sysroot: only wasi-libc (and libc++), so no host glibc header leaks in.
SYSROOT="$CACHE/sysroot"
make_sysroot() {
  [ -d "$SYSROOT" ] && return
  mkdir -p "$SYSROOT/include" "$SYSROOT/lib"
  ln -s /usr/include/wasm32-wasi "$SYSROOT/include/wasm32-wasi"
  ln -s /usr/lib/wasm32-wasi "$SYSROOT/lib/wasm32-wasi"
}
CC="clang-14 --target=wasm32-wasi --sysroot=$SYSROOT"
CXX="clang++-14 --target=wasm32-wasi --sysroot=$SYSROOT"

# --- sources ----------------------------------------------------------------
APT="$CACHE/apt"
apt_private() {
  apt-get -o Dir::Etc::SourceParts="$APT/sources.list.d" -o Dir::Etc::SourceList=/dev/null \
    -o Dir::State::Lists="$APT/lists" -o Dir::Cache::Archives="$APT/archives" "$@"
}
# fetch_source PACKAGE DIR: Debian's source package, unpacked with its patches.
fetch_source() {
  [ -d "$SRC/$2" ] && return
  if [ ! -d "$APT/lists" ] || ! ls "$APT/lists" | grep -q Sources; then
    mkdir -p "$APT/sources.list.d" "$APT/lists/partial" "$APT/archives/partial"
    found=""
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] || continue
      sed 's/^Types: deb$/Types: deb-src/' "$f" > "$APT/sources.list.d/$(basename "$f")"; found=1
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -f "$f" ] || continue
      sed -n 's/^deb /deb-src /p' "$f" > "$APT/sources.list.d/src-$(basename "$f")"; found=1
    done
    [ -n "$found" ] || { echo "no apt sources found" >&2; exit 1; }
    log "apt-get update (private deb-src list)"
    apt_private update -qq
  fi
  log "apt-get source $1"
  (cd "$SRC" && apt_private source -qq "$1" >/dev/null 2>&1) || (cd "$SRC" && apt_private source "$1")
  [ -d "$SRC/$2" ] || { echo "apt-get source $1 did not produce $SRC/$2" >&2; exit 1; }
}

# stamp NAME FILES...: true when NAME's output is up to date with FILES.
stamp_ok() {
  name=$1; shift
  sum=$(cat "$HERE/build.sh" "$@" | cksum)
  [ -f "$BUILD/$name.stamp" ] && [ "$(cat "$BUILD/$name.stamp")" = "$sum" ]
}
stamp_write() {
  name=$1; shift
  cat "$HERE/build.sh" "$@" | cksum > "$BUILD/$name.stamp"
}

# --- wabt's wasm-interp ------------------------------------------------------
build_wabt() {
  inputs="$HERE/uvwasi/uvwasi.c $HERE/uvwasi/include/uvwasi.h $HERE/uvwasi/CMakeLists.txt $HERE/patches/wabt-wasi.patch"
  # shellcheck disable=SC2086
  if [ -f "$OUT/wasm-interp.wasm" ] && stamp_ok wabt $inputs; then log "wasm-interp.wasm up to date"; return; fi
  fetch_source wabt wabt-1.0.32
  t0=$(now)
  W="$BUILD/wabt-src"
  rm -rf "$W" "$BUILD/wabt"
  cp -r "$SRC/wabt-1.0.32" "$W"
  # Debian's tarball has an empty third_party/uvwasi: ours forwards to the host's WASI.
  rm -rf "$W/third_party/uvwasi"
  cp -r "$HERE/uvwasi" "$W/third_party/uvwasi"
  patch -s -d "$W" -p1 < "$HERE/patches/wabt-wasi.patch"
  log "cmake wabt (wasm-interp)"
  cmake -S "$W" -B "$BUILD/wabt" -Wno-dev \
    -DCMAKE_SYSTEM_NAME=Generic -DCMAKE_SYSTEM_PROCESSOR=wasm32 \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCMAKE_C_COMPILER_TARGET=wasm32-wasi -DCMAKE_CXX_COMPILER_TARGET=wasm32-wasi \
    -DCMAKE_SYSROOT="$SYSROOT" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS="-fno-exceptions" -DCMAKE_EXE_LINKER_FLAGS="-Wl,--strip-all" \
    -DWITH_WASI=ON -DBUILD_TESTS=OFF -DBUILD_LIBWASM=OFF -DUSE_INTERNAL_SHA256=ON \
    >"$BUILD/wabt-cmake.log" 2>&1 || { cat "$BUILD/wabt-cmake.log"; exit 1; }
  log "make wasm-interp (-j$JOBS)"
  make -s -C "$BUILD/wabt" -j"$JOBS" wasm-interp >"$BUILD/wabt-make.log" 2>&1 ||
    { tail -40 "$BUILD/wabt-make.log"; exit 1; }
  cp "$BUILD/wabt/wasm-interp" "$OUT/wasm-interp.wasm"
  # shellcheck disable=SC2086
  stamp_write wabt $inputs
  log "wasm-interp.wasm built in $(( $(now) - t0 )) s"
}

# --- our hello programs -----------------------------------------------------
build_programs() {
  P="$HERE/programs"
  # shellcheck disable=SC2086
  if [ -f "$OUT/hello-rs.wasm" ] && stamp_ok programs "$P/hello.c" "$P/hello.cc" "$P/hello.rs"; then
    log "hello programs up to date"; return
  fi
  log "hello-c.wasm hello-cc.wasm hello-rs.wasm"
  $CC -O2 -Wall -Wl,--strip-all "$P/hello.c" -o "$OUT/hello-c.wasm"
  $CXX -std=c++17 -O2 -Wall -fno-exceptions -Wl,--strip-all "$P/hello.cc" -o "$OUT/hello-cc.wasm"
  /usr/bin/rustc --target wasm32-wasi -O -C strip=symbols -C panic=abort --edition 2021 \
    "$P/hello.rs" -o "$OUT/hello-rs.wasm"
  stamp_write programs "$P/hello.c" "$P/hello.cc" "$P/hello.rs"
}

# --- Lua 5.4 -----------------------------------------------------------------
build_lua() {
  if [ -f "$OUT/lua.wasm" ] && stamp_ok lua "$HERE"/compat/lua* "$HERE/compat/setjmp.h" "$HERE/compat/posix-stubs.c"; then log "lua.wasm up to date"; return; fi
  fetch_source lua5.4 lua5.4-5.4.4
  t0=$(now)
  L="$SRC/lua5.4-5.4.4/src"
  mkdir -p "$BUILD/lua"
  objs=""
  for f in "$L"/*.c "$HERE/compat/posix-stubs.c"; do
    case $(basename "$f") in luac.c) continue ;; esac
    o="$BUILD/lua/$(basename "$f" .c).o"
    $CC -O2 -std=gnu99 -DLUA_COMPAT_5_3 -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS \
      -I"$HERE/compat" -include "$HERE/compat/lua-wasi.h" -c "$f" -o "$o"
    objs="$objs $o"
  done
  # shellcheck disable=SC2086
  $CC -Wl,--strip-all $objs -o "$OUT/lua.wasm" -lm -lwasi-emulated-signal -lwasi-emulated-process-clocks
  stamp_write lua "$HERE"/compat/lua* "$HERE/compat/setjmp.h" "$HERE/compat/posix-stubs.c"
  log "lua.wasm built in $(( $(now) - t0 )) s"
}

# --- SQLite shell --------------------------------------------------------------
build_sqlite() {
  if [ -f "$OUT/sqlite3.wasm" ] && stamp_ok sqlite "$HERE/compat/sqlite-wasi.h" "$HERE/compat/pwd.h" "$HERE/compat/posix-stubs.c"; then log "sqlite3.wasm up to date"; return; fi
  fetch_source sqlite3 sqlite3-3.40.1
  t0=$(now)
  S="$BUILD/sqlite"
  if [ ! -f "$S/sqlite3.c" ]; then
    # The amalgamation (sqlite3.c, shell.c) is generated by host tools (tclsh, lemon).
    log "sqlite amalgamation (host configure + make sqlite3.c shell.c)"
    rm -rf "$S"; mkdir -p "$S"
    (cd "$S" && "$SRC/sqlite3-3.40.1/configure" --disable-tcl >"$S/configure.log" 2>&1 &&
      make -j"$JOBS" sqlite3.c shell.c >"$S/make.log" 2>&1) || { tail -30 "$S"/*.log; exit 1; }
  fi
  log "compile sqlite3.wasm"
  $CC -O2 -I"$HERE/compat" -include "$HERE/compat/sqlite-wasi.h" \
    -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_WAL \
    -DSQLITE_MAX_MMAP_SIZE=0 -DSQLITE_DEFAULT_UNIX_VFS='"unix-none"' -DSQLITE_OMIT_POPEN \
    -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -D_WASI_EMULATED_GETPID -D_WASI_EMULATED_MMAN \
    "$S/sqlite3.c" "$S/shell.c" "$HERE/compat/posix-stubs.c" -I"$S" -Wl,--strip-all -o "$OUT/sqlite3.wasm" \
    -lwasi-emulated-signal -lwasi-emulated-process-clocks -lwasi-emulated-getpid -lwasi-emulated-mman
  stamp_write sqlite "$HERE/compat/sqlite-wasi.h" "$HERE/compat/pwd.h" "$HERE/compat/posix-stubs.c"
  log "sqlite3.wasm built in $(( $(now) - t0 )) s"
}

ensure_packages
make_sysroot
[ $# -eq 0 ] && set -- all
for what in "$@"; do
  case $what in
    all) build_programs; build_wabt; build_lua; build_sqlite ;;
    wabt) build_wabt ;;
    programs) build_programs ;;
    lua) build_lua ;;
    sqlite) build_sqlite ;;
    *) echo "unknown part: $what (all, wabt, programs, lua, sqlite)" >&2; exit 2 ;;
  esac
done
ls -l "$OUT"/*.wasm | awk '{ printf "  %-20s %9d bytes\n", $NF, $5 }' | sed "s|$OUT/||"
