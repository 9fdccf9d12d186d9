/* binary-trees (Benchmarks Game), single-threaded C. Usage: binarytrees [depth] */
#include <stdio.h>
#include <stdlib.h>

typedef struct node { struct node *left, *right; } node;

static node *create(int depth) {
  node *n = (node *)malloc(sizeof(node));
  if (depth > 0) {
    n->left = create(depth - 1);
    n->right = create(depth - 1);
  } else {
    n->left = n->right = NULL;
  }
  return n;
}

static long check(const node *n) {
  return n->left ? 1 + check(n->left) + check(n->right) : 1;
}

static void destroy(node *n) {
  if (n->left) {
    destroy(n->left);
    destroy(n->right);
  }
  free(n);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 16;
  const int min_depth = 4;
  int max_depth = n < min_depth + 2 ? min_depth + 2 : n;
  int stretch = max_depth + 1;

  node *s = create(stretch);
  printf("stretch tree of depth %d\t check: %ld\n", stretch, check(s));
  destroy(s);

  node *long_lived = create(max_depth);
  for (int d = min_depth; d <= max_depth; d += 2) {
    long iterations = 1L << (max_depth - d + min_depth);
    long sum = 0;
    for (long i = 0; i < iterations; i++) {
      node *t = create(d);
      sum += check(t);
      destroy(t);
    }
    printf("%ld\t trees of depth %d\t check: %ld\n", iterations, d, sum);
  }
  printf("long lived tree of depth %d\t check: %ld\n", max_depth, check(long_lived));
  destroy(long_lived);
  return 0;
}
