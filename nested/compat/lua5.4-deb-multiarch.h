/* Debian's luaconf.h includes this for its C module path (see 0002-lua-modules-paths.patch). */
#define DEB_HOST_MULTIARCH "wasm32-wasi"
