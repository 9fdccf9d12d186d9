#!/bin/sh
# Builds the engine benchmark workloads (WASI preview1 commands) from src/ into wasm/.
# Installs the toolchains from Debian when missing (needs root or sudo).
# Usage: bench/workloads/build.sh            (from anywhere)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SRC="$HERE/src"
OUT="$HERE/wasm"
CC=clang-14
RUSTC=/usr/bin/rustc

need=""
command -v "$CC" >/dev/null 2>&1 || need=1
[ -x "$RUSTC" ] || need=1
[ -d /usr/include/wasm32-wasi ] || need=1
[ -d /usr/lib/rustlib/wasm32-wasi ] || need=1
if [ -n "$need" ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update
  $SUDO apt-get install -y clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 rustc libstd-rust-dev-wasm32 wabt binaryen
fi

# A clean sysroot: only wasi-libc, so no host glibc header can leak in.
SYSROOT=$(mktemp -d)
trap 'rm -rf "$SYSROOT"' EXIT
mkdir -p "$SYSROOT/include" "$SYSROOT/lib"
ln -s /usr/include/wasm32-wasi "$SYSROOT/include/wasm32-wasi"
ln -s /usr/lib/wasm32-wasi "$SYSROOT/lib/wasm32-wasi"

# clang-14 runs binaryen's wasm-opt on the linked module when it finds one, but
# without the module's feature flags (stripped with the symbols), so SIMD modules
# fail its validation. Route clang to a wrapper (-B) that passes WASM_OPT_FEATURES.
mkdir -p "$SYSROOT/bin"
if command -v wasm-opt >/dev/null 2>&1; then
  cat > "$SYSROOT/bin/wasm-opt" <<WRAP
#!/bin/sh
exec $(command -v wasm-opt) \$WASM_OPT_FEATURES "\$@"
WRAP
  chmod +x "$SYSROOT/bin/wasm-opt"
fi

mkdir -p "$OUT"
CFLAGS="--target=wasm32-wasi --sysroot=$SYSROOT -B$SYSROOT/bin/ -O2 -Wall -Wl,--strip-all"

cc() { # name extra-flags...
  name=$1; shift
  echo "cc   $name.c -> wasm/$name.wasm"
  WASM_OPT_FEATURES=${WASM_OPT_FEATURES:-} $CC $CFLAGS "$@" "$SRC/$name.c" -o "$OUT/$name.wasm" -lm
}

cc binarytrees
cc nbody
cc fannkuch
cc sha256
cc i64mix
WASM_OPT_FEATURES=--enable-simd cc simd -msimd128

echo "rust binarytrees.rs -> wasm/binarytrees-rs.wasm"
$RUSTC --target wasm32-wasi -O -C strip=symbols -C panic=abort --edition 2021 \
  "$SRC/binarytrees.rs" -o "$OUT/binarytrees-rs.wasm"
rm -f "$OUT"/*.d

echo
echo "sizes (bytes):"
for f in "$OUT"/*.wasm; do
  printf '  %-22s %8d\n' "$(basename "$f")" "$(wc -c < "$f")"
done
