/* wasi-libc has no users: the SQLite shell's home-directory lookup (for
 * ~/.sqliterc) falls back to $HOME when getpwuid finds nobody. */
#ifndef KASANE_COMPAT_PWD_H
#define KASANE_COMPAT_PWD_H
#include <stddef.h>
#include <sys/types.h>
struct passwd {
  char *pw_name;
  char *pw_dir;
};
static inline struct passwd *getpwuid(uid_t uid) { (void)uid; return NULL; }
#endif
