#!/bin/sh
# Rebuilds the component test fixtures (test/component/fixtures/*.wasm): hand-written components
# (wat/*.wat) parsed with jco; C programs compiled for
# WASI preview1 with Debian's clang-14 and wasi-libc (as test/wasi/c/build.sh), then turned into
# command components with jco's `new` and the preview1 adapter jco ships
# (node_modules/@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT="$HERE/../.."
OUT="$HERE/fixtures"
JCO="$ROOT/node_modules/@bytecodealliance/jco/dist/jco.js"
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/sysroot/include" "$TMP/sysroot/lib" "$TMP/sysroot/bin"
ln -s /usr/include/wasm32-wasi "$TMP/sysroot/include/wasm32-wasi"
ln -s /usr/lib/wasm32-wasi "$TMP/sysroot/lib/wasm32-wasi"
component() { # core.wasm out.wasm
  node "$JCO" new "$1" --wasi-command -o "$2"
  echo "  -> $(basename "$2") ($(wc -c < "$2") bytes)"
}
for src in "$HERE"/c/*.c; do
  name=$(basename "$src" .c)
  echo "cc $name.c -> fixtures/$name.component.wasm"
  clang-14 --target=wasm32-wasi --sysroot="$TMP/sysroot" -B"$TMP/sysroot/bin/" -Os -Wall -Wl,--strip-all "$src" -o "$TMP/$name.wasm"
  component "$TMP/$name.wasm" "$OUT/$name.component.wasm"
done
# Hand-written components in the text format (wasm-tools' parser, through jco).
for src in "$HERE"/wat/*.wat; do
  name=$(basename "$src" .wat)
  echo "parse $name.wat -> fixtures/$name.component.wasm"
  node "$JCO" parse "$src" -o "$OUT/$name.component.wasm"
done
# The preview1 filesystem test program (test/wasi/c/wasi-fs.c), as a component.
echo "test/wasi/fixtures/wasi-fs.wasm -> fixtures/wasi-fs.component.wasm"
component "$ROOT/test/wasi/fixtures/wasi-fs.wasm" "$OUT/wasi-fs.component.wasm"
# Core modules written in WAT against the canonical ABI, with their worlds embedded and wrapped
# into components by jco's wasm-tools API (build-wat.mjs: CORE.wat WORLD.wit WORLD OUT.wasm).
wat_component() { # core.wat world.wit world out.wasm
  echo "$(basename "$1") -> fixtures/$(basename "$4")"
  node "$HERE/build-wat.mjs" "$@"
}
# The streaming wasi:http handler.
wat_component "$HERE/http/stream/stream.wat" "$HERE/http/stream/world.wit" echo "$OUT/http-echo.component.wasm"
# The wasi:sockets client.
wat_component "$HERE/sockets/client.wat" "$HERE/sockets/wit/world.wit" client "$OUT/sockets.component.wasm"
# The stdin readiness poller.
wat_component "$HERE/stdin/poll.wat" "$HERE/stdin/world.wit" poller "$OUT/stdin-poll.component.wasm"
