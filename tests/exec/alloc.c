// alloc MODE: allocates memory one way until the kernel or vigil refuses, then prints
// "MODE: N KiB, then ERRNO" and exits 0: the program goes on running after the refusal.
// Modes: small (malloc 1000 B), large (malloc 1 MiB), mmap, mremap, brk, noreserve (a 64 GiB
// MAP_NORESERVE map, then a 16 MiB one touched), threads (8 MiB stacks), reserve (8 GiB
// PROT_NONE, then mprotect 16 MiB at a time), raise (setrlimit RLIMIT_DATA and RLIMIT_AS up).
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define MiB (1024L * 1024)

static long got;  // bytes obtained

static int report(const char* mode, int err) {
  printf("%s: %ld KiB, then %s\n", mode, got / 1024, err ? strerrorname_np(err) : "nothing");
  return 0;
}

static void* block(void* arg) {
  (void)arg;
  pause();
  return NULL;
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "small") || !strcmp(mode, "large")) {
    size_t n = !strcmp(mode, "small") ? 1000 : MiB;
    for (void* p; (p = malloc(n)) != NULL; got += n) memset(p, 1, 1);
    return report(mode, errno);
  }
  if (!strcmp(mode, "mmap")) {
    while (mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED) got += MiB;
    return report(mode, errno);
  }
  if (!strcmp(mode, "mremap")) {
    void* p = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return report(mode, errno);
    for (got = MiB;; got += MiB) {
      void* q = mremap(p, got, got + MiB, MREMAP_MAYMOVE);
      if (q == MAP_FAILED) break;
      p = q;
    }
    return report(mode, errno);
  }
  if (!strcmp(mode, "brk")) {
    while (sbrk(MiB) != (void*)-1) got += MiB;
    return report(mode, errno);
  }
  if (!strcmp(mode, "noreserve")) {
    if (mmap(NULL, 64L << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) !=
        MAP_FAILED)
      return printf("noreserve: 64 GiB mapped\n"), 1;
    int err = errno;
    char* p = mmap(NULL, 16 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return report(mode, errno);
    for (long i = 0; i < 16 * MiB; i += 4096) p[i] = 1;
    got = 16 * MiB;
    return report(mode, err);
  }
  if (!strcmp(mode, "threads")) {
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 8 * MiB);
    pthread_t t;
    int err;
    while ((err = pthread_create(&t, &a, block, NULL)) == 0) got += 8 * MiB;
    return report(mode, err);
  }
  if (!strcmp(mode, "reserve")) {
    char* p = mmap(NULL, 8L << 30, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return report(mode, errno);
    while (got < (8L << 30) && mprotect(p + got, 16 * MiB, PROT_READ | PROT_WRITE) == 0) got += 16 * MiB;
    return report(mode, errno);
  }
  if (!strcmp(mode, "raise")) {
    struct rlimit up = {RLIM_INFINITY, RLIM_INFINITY};
    int data = setrlimit(RLIMIT_DATA, &up) ? errno : 0;
    int as = prlimit(0, RLIMIT_AS, &up, NULL) ? errno : 0;
    printf("raise: RLIMIT_DATA %s, RLIMIT_AS %s\n", data ? strerrorname_np(data) : "raised",
           as ? strerrorname_np(as) : "raised");
    return 0;
  }
  fprintf(stderr, "usage: alloc small|large|mmap|mremap|brk|noreserve|threads|reserve|raise\n");
  return 2;
}
