/* Hello from C: prints its arguments and one environment variable, so a test can
 * see that argv and environ made it through every layer of nesting. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  printf("hello from C");
  for (int i = 1; i < argc; i++) printf(" %s", argv[i]);
  const char* who = getenv("WHO");
  printf("%s%s\n", who ? ", env WHO=" : "", who ? who : "");
  return 0;
}
