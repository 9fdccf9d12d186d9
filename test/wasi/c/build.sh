#!/bin/sh
# Rebuilds the WASI test fixtures (test/wasi/fixtures/*.wasm) from test/wasi/c/*.c with Debian's
# clang-14 and wasi-libc (apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE/../fixtures"
mkdir -p "$OUT"
SYSROOT=$(mktemp -d)
trap 'rm -rf "$SYSROOT"' EXIT
mkdir -p "$SYSROOT/include" "$SYSROOT/lib" "$SYSROOT/bin"
ln -s /usr/include/wasm32-wasi "$SYSROOT/include/wasm32-wasi"
ln -s /usr/lib/wasm32-wasi "$SYSROOT/lib/wasm32-wasi"
for src in "$HERE"/*.c; do
  name=$(basename "$src" .c)
  echo "cc $name.c -> fixtures/$name.wasm"
  clang-14 --target=wasm32-wasi --sysroot="$SYSROOT" -B"$SYSROOT/bin/" -O2 -Wall -Wl,--strip-all "$src" -o "$OUT/$name.wasm"
done
