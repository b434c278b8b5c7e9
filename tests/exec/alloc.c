// alloc MODE [CAP]: allocates memory one way until the kernel or vigil refuses (or it has CAP
// MiB), then prints "MODE: N KiB, then ERRNO" ("then nothing" at CAP) and exits 0: the
// program goes on running after the refusal.
// Modes: small (malloc 1000 B), large (malloc 1 MiB), mmap, mremap, brk, noreserve (a 64 GiB
// MAP_NORESERVE map, then a 16 MiB one touched), threads (8 MiB stacks), reserve (8 GiB
// PROT_NONE, then mprotect 16 MiB at a time), raise (setrlimit RLIMIT_DATA and RLIMIT_AS up),
// shared (MAP_SHARED|MAP_ANONYMOUS), memfd (grown by ftruncate, each MiB mapped), bigmemfd
// (ftruncate to 1 GiB, mapped whole), shm (System V segments attached), heapshared (32 MiB of
// brk, then memfd), sharedheap (32 MiB of memfd, then brk), twice (one 40 MiB memfd mapped three times, then mmap), children (forked
// children holding 8 MiB each), growsdown (one-page MAP_GROWSDOWN maps).
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define MiB (1024L * 1024)

static long got;        // bytes obtained
static long cap = -1;   // stop there (bytes), or never

static int report(const char* mode, int err) {
  printf("%s: %ld KiB, then %s\n", mode, got / 1024, err ? strerrorname_np(err) : "nothing");
  return 0;
}

// Whether to go on: below CAP.
static int more(void) { return cap < 0 || got < cap; }

// One MiB more of memfd `fd`, mapped and touched.
static int memfd_step(int fd) {
  if (ftruncate(fd, got + MiB) < 0) return errno;
  char* p = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, got);
  if (p == MAP_FAILED) return errno;
  p[0] = 1;
  return 0;
}

// Forks children that each map and touch 8 MiB, then wait; stops at the first that cannot.
static int children(void) {
  pid_t kids[256];
  int n = 0, err = 0;
  while (n < 256 && more()) {
    int pipefd[2];
    if (pipe(pipefd) < 0) return report("children", errno);
    pid_t pid = fork();
    if (pid < 0) {
      err = errno;
      break;
    }
    if (pid == 0) {
      char* p = mmap(NULL, 8 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      int e = p == MAP_FAILED ? errno : 0;
      if (!e) memset(p, 1, 8 * MiB);
      (void)!write(pipefd[1], &e, sizeof e);
      if (e) _exit(0);
      pause();
      _exit(0);
    }
    close(pipefd[1]);
    int e = EIO;
    (void)!read(pipefd[0], &e, sizeof e);
    close(pipefd[0]);
    kids[n++] = pid;
    if (e) {
      err = e;
      break;
    }
    got += 8 * MiB;
  }
  for (int i = 0; i < n; i++) kill(kids[i], SIGKILL), waitpid(kids[i], NULL, 0);
  return report("children", err);
}

static void* block(void* arg) {
  (void)arg;
  pause();
  return NULL;
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (argc > 2) cap = atol(argv[2]) * MiB;
  if (!strcmp(mode, "small") || !strcmp(mode, "large")) {
    size_t n = !strcmp(mode, "small") ? 1000 : MiB;
    for (void* p; more() && (p = malloc(n)) != NULL; got += n) memset(p, 1, 1);
    return report(mode, errno);
  }
  if (!strcmp(mode, "mmap")) {
    while (more() && mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED)
      got += MiB;
    return report(mode, more() ? errno : 0);
  }
  if (!strcmp(mode, "mremap")) {
    void* p = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return report(mode, errno);
    for (got = MiB; more(); got += MiB) {
      void* q = mremap(p, got, got + MiB, MREMAP_MAYMOVE);
      if (q == MAP_FAILED) return report(mode, errno);
      p = q;
    }
    return report(mode, 0);
  }
  if (!strcmp(mode, "brk")) {
    while (more() && sbrk(MiB) != (void*)-1) got += MiB;
    return report(mode, more() ? errno : 0);
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
    while (more() && (err = pthread_create(&t, &a, block, NULL)) == 0) got += 8 * MiB;
    if (!more()) err = 0;
    return report(mode, err);
  }
  if (!strcmp(mode, "reserve")) {
    char* p = mmap(NULL, 8L << 30, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return report(mode, errno);
    while (more() && got < (8L << 30) && mprotect(p + got, 16 * MiB, PROT_READ | PROT_WRITE) == 0) got += 16 * MiB;
    return report(mode, more() && got < (8L << 30) ? errno : 0);
  }
  if (!strcmp(mode, "raise")) {
    struct rlimit up = {RLIM_INFINITY, RLIM_INFINITY};
    int data = setrlimit(RLIMIT_DATA, &up) ? errno : 0;
    int as = prlimit(0, RLIMIT_AS, &up, NULL) ? errno : 0;
    printf("raise: RLIMIT_DATA %s, RLIMIT_AS %s\n", data ? strerrorname_np(data) : "raised",
           as ? strerrorname_np(as) : "raised");
    return 0;
  }
  if (!strcmp(mode, "shared")) {
    char* p;
    while (more() && (p = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)) != MAP_FAILED)
      p[0] = 1, got += MiB;
    return report(mode, more() ? errno : 0);
  }
  if (!strcmp(mode, "memfd") || !strcmp(mode, "heapshared")) {
    if (!strcmp(mode, "heapshared")) {
      if (sbrk(32 * MiB) == (void*)-1) return report(mode, errno);
      got = 32 * MiB;
    }
    int fd = memfd_create("alloc", MFD_CLOEXEC), err = 0;
    if (fd < 0) return report(mode, errno);
    long base = got;
    got = 0;  // memfd_step maps at offset `got`
    while (more() && (err = memfd_step(fd)) == 0) got += MiB;
    got += base;
    return report(mode, err);
  }
  if (!strcmp(mode, "sharedheap")) {
    int fd = memfd_create("alloc", MFD_CLOEXEC), err = 0;
    if (fd < 0) return report(mode, errno);
    while (got < 32 * MiB && (err = memfd_step(fd)) == 0) got += MiB;
    if (err) return report(mode, err);
    while (more() && sbrk(MiB) != (void*)-1) got += MiB;
    return report(mode, more() ? errno : 0);
  }
  if (!strcmp(mode, "bigmemfd")) {
    int fd = memfd_create("alloc", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, 1L << 30) < 0) return report(mode, errno);
    char* p = mmap(NULL, 1L << 30, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return report(mode, errno);
    for (long i = 0; i < (1L << 30) && more(); i += 4096) p[i] = 1, got += 4096;
    return report(mode, 0);
  }
  if (!strcmp(mode, "shm")) {
    for (;;) {
      int id = shmget(IPC_PRIVATE, MiB, IPC_CREAT | 0600);
      if (id < 0) return report(mode, errno);
      char* p = shmat(id, NULL, 0);
      int err = p == (void*)-1 ? errno : 0;
      shmctl(id, IPC_RMID, NULL);  // freed when detached: at exit
      if (err || !more()) return report(mode, err);
      p[0] = 1, got += MiB;
    }
  }
  if (!strcmp(mode, "twice")) {
    int fd = memfd_create("alloc", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, 40 * MiB) < 0) return report(mode, errno);
    int maps = 0;
    for (; maps < 3; maps++) {
      char* p = mmap(NULL, 40 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
      if (p == MAP_FAILED) return printf("twice: map %d refused: %s\n", maps + 1, strerrorname_np(errno)), 0;
      p[maps * MiB] = 1;
    }
    got = 40 * MiB;
    while (more() && mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED)
      got += MiB;
    return report(mode, errno);
  }
  if (!strcmp(mode, "children")) return children();
  if (!strcmp(mode, "growsdown")) {
    // Each map is a page; page faults below it would grow it as far as RLIMIT_STACK.
    while (more() && mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0) !=
                         MAP_FAILED)
      got += 4096;
    return report(mode, more() ? errno : 0);
  }
  fprintf(stderr, "usage: alloc MODE [CAP-MiB]: small|large|mmap|mremap|brk|noreserve|threads|reserve|raise|shared|"
                  "memfd|bigmemfd|shm|heapshared|sharedheap|twice|children|growsdown\n");
  return 2;
}
