/* POSIX calls that wasi-libc (2022) declares unavailable but Lua's io/os
 * libraries and the SQLite shell link against. Each fails or no-ops the way POSIX
 * allows on a system without processes, users, temp files or file modes. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

FILE *tmpfile(void) {
  errno = ENOTSUP;
  return NULL;
}

int system(const char *command) {
  if (command == NULL) return 0; /* no command processor */
  errno = ENOSYS;
  return -1;
}

int chmod(const char *path, mode_t mode) {
  (void)path;
  (void)mode;
  return 0; /* WASI files have no mode bits */
}

uid_t getuid(void) { return 0; }
