// A wasi-libc program exercising preview1 through libc: argv, environ, stdio, files, directories,
// stat, rename, links, symlinks, clocks, sleep (poll_oneoff), random, and sandbox escapes.
// Expects a preopen "/work" that holds in.txt ("input\n"); prints one line per check.
// Build: test/wasi/c/build.sh (clang-14 + wasi-libc).
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int failures = 0;
#define CHECK(cond, what) do { if (cond) printf("ok %s\n", what); else { printf("FAIL %s (errno %d: %s)\n", what, errno, strerror(errno)); failures++; } } while (0)


int main(int argc, char **argv) {
  printf("argc %d", argc);
  for (int i = 1; i < argc; i++) printf(" [%s]", argv[i]);
  printf("\nGREETING=%s\n", getenv("GREETING") ? getenv("GREETING") : "(unset)");

  char buf[256];
  FILE *f = fopen("/work/in.txt", "r");
  CHECK(f && fgets(buf, sizeof buf, f) && strcmp(buf, "input\n") == 0, "read in.txt");
  if (f) fclose(f);

  f = fopen("/work/out.txt", "w");
  CHECK(f != NULL, "create out.txt");
  for (int i = 0; i < 1000; i++) fprintf(f, "line %d\n", i);
  fclose(f);
  struct stat st;
  CHECK(stat("/work/out.txt", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 8890, "stat out.txt");

  int fd = open("/work/out.txt", O_RDWR);
  CHECK(fd >= 0, "open O_RDWR");
  CHECK(lseek(fd, 7, SEEK_SET) == 7, "lseek");
  CHECK(read(fd, buf, 6) == 6 && memcmp(buf, "line 1", 6) == 0, "read after lseek");
  CHECK(pwrite(fd, "LINE", 4, 0) == 4, "pwrite");
  CHECK(pread(fd, buf, 6, 0) == 6 && memcmp(buf, "LINE 0", 6) == 0, "pread");
  CHECK(ftruncate(fd, 100) == 0 && fstat(fd, &st) == 0 && st.st_size == 100, "ftruncate");
  close(fd);

  CHECK(mkdir("/work/dir", 0777) == 0, "mkdir");
  CHECK(mkdir("/work/dir", 0777) == -1 && errno == EEXIST, "mkdir again: EEXIST");
  for (int i = 0; i < 100; i++) {
    snprintf(buf, sizeof buf, "/work/dir/file-%02d-with-a-longish-name.txt", i);
    int g = open(buf, O_CREAT | O_WRONLY, 0666);
    close(g);
  }
  DIR *d = opendir("/work/dir");
  CHECK(d != NULL, "opendir");
  int count = 0;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) if (e->d_name[0] != '.') count++;
  if (d) closedir(d);
  printf("entries %d\n", count);
  CHECK(count == 100, "readdir sees 100 files");

  CHECK(rename("/work/out.txt", "/work/dir/renamed.txt") == 0, "rename");
  CHECK(access("/work/out.txt", F_OK) == -1 && errno == ENOENT, "old name gone");
  CHECK(link("/work/dir/renamed.txt", "/work/hard.txt") == 0, "link");
  CHECK(symlink("dir/renamed.txt", "/work/sym") == 0, "symlink");
  ssize_t n = readlink("/work/sym", buf, sizeof buf);
  CHECK(n == 15 && memcmp(buf, "dir/renamed.txt", 15) == 0, "readlink");
  CHECK(lstat("/work/sym", &st) == 0 && S_ISLNK(st.st_mode), "lstat symlink");
  CHECK(stat("/work/sym", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 100, "stat through symlink");
  CHECK(unlink("/work/sym") == 0 && unlink("/work/hard.txt") == 0, "unlink");
  CHECK(rmdir("/work/dir") == -1 && errno == ENOTEMPTY, "rmdir non-empty: ENOTEMPTY");

  // Escapes: all refused, nothing created outside.
  CHECK(open("/work/../escape.txt", O_CREAT | O_WRONLY, 0666) == -1, "create ../escape.txt refused");
  printf("escape errno %s\n", errno == ENOTCAPABLE ? "ENOTCAPABLE" : strerror(errno));
  CHECK(open("/etc/passwd", O_RDONLY) == -1, "open /etc/passwd refused");
  CHECK(symlink("../../etc", "/work/evil") == -1, "symlink out refused");
  CHECK(open("/work/outlink/x", O_CREAT | O_WRONLY, 0666) == -1, "through a host symlink out refused");

  struct timespec t0, t1, req = {0, 30 * 1000 * 1000};
  clock_gettime(CLOCK_MONOTONIC, &t0);
  nanosleep(&req, NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
  CHECK(ms >= 29, "nanosleep 30 ms");
  struct timespec rt;
  CHECK(clock_gettime(CLOCK_REALTIME, &rt) == 0 && rt.tv_sec > 1600000000, "realtime clock");
  unsigned char rnd[32] = {0};
  CHECK(getentropy(rnd, sizeof rnd) == 0, "getentropy");

  n = read(0, buf, sizeof buf - 1);
  if (n >= 0) buf[n] = 0;
  printf("stdin [%s]\n", n >= 0 ? buf : "?");
  fprintf(stderr, "to stderr\n");
  printf("failures %d\n", failures);
  return failures == 0 ? 0 : 10 + failures;
}
