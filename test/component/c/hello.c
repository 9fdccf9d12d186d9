// A small WASI command for the component tests (built into a command component by build.sh):
// argv, environ, stdout and stderr, stdin, clocks, random, and the exit status.
//   hello [exit-code [stdin]]: prints its arguments and GREETING, with "stdin" also echoes
//   standard input upper-cased, then exits with exit-code (default 0).
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  printf("hello from a component: argc %d", argc);
  for (int i = 1; i < argc; i++) printf(" [%s]", argv[i]);
  printf("\nGREETING=%s\n", getenv("GREETING") ? getenv("GREETING") : "(unset)");
  fprintf(stderr, "to stderr\n");
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  struct timespec d = {0, 20 * 1000 * 1000};
  nanosleep(&d, NULL);
  clock_gettime(CLOCK_MONOTONIC, &b);
  long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
  printf("slept %s\n", ms >= 20 ? "at least 20 ms" : "too little");
  unsigned char r[16];
  printf("random %s\n", getentropy(r, sizeof r) == 0 ? "ok" : "failed");
  time_t now = time(NULL);
  printf("wall clock %s\n", now > 1600000000 ? "ok" : "wrong");
  if (argc > 2 && strcmp(argv[2], "stdin") == 0) {
    int c;
    while ((c = getchar()) != EOF) putchar(toupper(c));
  }
  fflush(stdout);
  return argc > 1 ? atoi(argv[1]) : 0;
}
