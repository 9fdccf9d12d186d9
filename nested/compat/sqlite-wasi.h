/* The SQLite shell on wasm32-wasi: wasi-libc (2022) lacks a few POSIX names that
 * the unix VFS's system-call table refers to. With the "unix-none" VFS (no file
 * locking, set in build.sh) none of them is called for locking; ownership and
 * mode changes have no meaning under WASI and succeed as no-ops. */
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
static inline int fchmod(int fd, mode_t mode) { (void)fd; (void)mode; return 0; }
static inline int fchown(int fd, uid_t uid, gid_t gid) { (void)fd; (void)uid; (void)gid; return 0; }
static inline uid_t geteuid(void) { return 0; }
