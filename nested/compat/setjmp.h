/* wasi-libc (2022) has no setjmp.h. Lua's ldo.c includes it unconditionally but
 * uses nothing from it once lua-wasi.h defines LUAI_THROW/LUAI_TRY. */
#ifndef KASANE_COMPAT_SETJMP_H
#define KASANE_COMPAT_SETJMP_H
typedef int jmp_buf[1];
#endif
