#!/bin/sh
# Rebuilds test/wasi/fixtures/wasi_std.wasm from test/wasi/rust/wasi_std.rs with Debian's Rust 1.63
# (apt-get install rustc libstd-rust-dev-wasm32 lld-14). /usr/bin/rustc explicitly: a rustup
# toolchain may come first on PATH. opt-level=z with LTO keeps the fixture small (about 120 KB;
# -O gives 164 KB).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE/../fixtures"
mkdir -p "$OUT"
for src in "$HERE"/*.rs; do
  name=$(basename "$src" .rs)
  echo "rustc $name.rs -> fixtures/$name.wasm"
  /usr/bin/rustc --edition 2021 --target wasm32-wasi -C opt-level=z -C lto -C codegen-units=1 -C panic=abort -C strip=symbols \
    "$src" -o "$OUT/$name.wasm"
done
