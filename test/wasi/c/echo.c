// A TCP echo server for the WASI socket tests: run under `kasane run --tcplisten ADDR:PORT`
// (or wasmtime's), it finds the pre-opened listening socket, checks that a non-blocking accept
// with nothing pending fails with EAGAIN, prints "listening", then serves CONNS connections
// (argv[1], default 1) one after the other: it waits with poll() for each connection and for its
// data, echoes every byte back with send(), and at the client's end of stream shuts down writing
// and closes. One line per connection on stdout: "conn N: M bytes".
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static int find_listener(void) {
  for (int fd = 3; fd < 64; fd++) {
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode)) return fd;
  }
  return -1;
}

int main(int argc, char **argv) {
  int conns = argc > 1 ? atoi(argv[1]) : 1;
  int lfd = find_listener();
  if (lfd < 0) { fprintf(stderr, "no listening socket (use --tcplisten)\n"); return 2; }
  int c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
  if (c >= 0 || errno != EAGAIN) { fprintf(stderr, "nonblocking accept: expected EAGAIN, got %d (%s)\n", c, strerror(errno)); return 3; }
  printf("listening\n");
  fflush(stdout);
  for (int n = 1; n <= conns; n++) {
    struct pollfd p = { .fd = lfd, .events = POLLIN };
    int r;
    while ((r = poll(&p, 1, 100)) == 0) { /* timeout: poll again */ }
    if (r < 0 || !(p.revents & POLLIN)) { fprintf(stderr, "poll(listener): %d %s\n", r, strerror(errno)); return 4; }
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0) { perror("accept"); return 5; }
    long total = 0;
    char buf[4096];
    for (;;) {
      struct pollfd q = { .fd = fd, .events = POLLIN };
      if (poll(&q, 1, -1) != 1) { perror("poll(conn)"); return 6; }
      ssize_t k = recv(fd, buf, sizeof buf, 0);
      if (k < 0) { perror("recv"); return 7; }
      if (k == 0) break;
      for (ssize_t o = 0; o < k;) {
        ssize_t w = send(fd, buf + o, (size_t)(k - o), 0);
        if (w <= 0) { perror("send"); return 8; }
        o += w;
      }
      total += k;
    }
    if (shutdown(fd, SHUT_WR) != 0) { perror("shutdown"); return 9; }
    close(fd);
    printf("conn %d: %ld bytes\n", n, total);
    fflush(stdout);
  }
  return 0;
}
