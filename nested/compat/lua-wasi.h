/* Lua 5.4 on wasm32-wasi. wasi-libc (2022) has no setjmp/longjmp, so Lua's error
 * recovery cannot unwind: an error that is not caught by the host aborts with a
 * message (ldo.c uses these macros instead of setjmp when they are defined). */
#include <stdio.h>
#include <stdlib.h>
#define LUAI_THROW(L, c) \
  (fputs("lua: error raised; this build cannot unwind (no setjmp on wasm32-wasi)\n", stderr), abort())
#define LUAI_TRY(L, c, a) { a }
#define luai_jmpbuf int
/* No tmpnam on WASI: os.tmpname fails cleanly (system and tmpfile: posix-stubs.c). */
#define LUA_TMPNAMBUFSIZE 32
#define lua_tmpnam(b, e) { (b)[0] = '\0'; e = 1; }
