// The memory benchmark's workload: a million malloc/free pairs of mixed sizes, most small
// (80 % under 256 B, 17 % under 4 KiB, 3 % up to 64 KiB). They come in rounds that each
// allocate a random number of blocks and free them newest first, so the heap grows
// and shrinks and glibc calls brk thousands of times.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t x = 88172645463325252ull;
static uint64_t next(void) {
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return x;
}

int main(void) {
  enum { MAX_ROUND = 2048 };
  static void* live[MAX_ROUND];
  for (long done = 0; done < 1000000;) {
    int n = 1 + (int)(next() % MAX_ROUND);
    for (int i = 0; i < n; i++) {
      uint64_t r = next();
      size_t size = r % 100 < 80 ? 16 + (r >> 8) % 240 : r % 100 < 97 ? 256 + (r >> 8) % 3840 : 4096 + (r >> 8) % 61440;
      if (!(live[i] = malloc(size))) return 1;
      memset(live[i], 1, size < 64 ? size : 64);
    }
    for (int i = n - 1; i >= 0; i--) free(live[i]);
    done += n;
  }
  return 0;
}
