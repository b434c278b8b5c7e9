// race DIR DENIED ALLOWED N: a time-of-check/time-of-use attack on exec verification.
// One thread keeps replacing DIR/target, atomically (link to a temporary name, then rename
// over), by DENIED and by ALLOWED (both in DIR), while the main thread fork+execs DIR/target
// N times, waiting for each. After half of its swaps, at random, it holds still for up to
// twice as long as the last exec took (at least 2 ms), so that on a slow machine too (an
// emulated guest, a checksum of each file) some execs find the file as it was checked.
// DENIED is expected to print a MARKER line and exit 42, ALLOWED to exit 0. A child whose
// execve fails exits 126 for EACCES, 127 for any other errno (which it names on stderr).
// Prints the outcomes:
//   race: N execs: allowed=A marker=M eacces=E killed=K errno=O other=X
// and exits 0 once all N ran.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char target[4096], tmp[4096], denied[4096], allowed[4096];
static atomic_bool stop;
static atomic_long last_exec_us;

static void swap_in(const char* file) {
  if (link(file, tmp) != 0) {
    fprintf(stderr, "race: link %s %s: %s\n", file, tmp, strerrorname_np(errno));
    exit(1);
  }
  if (rename(tmp, target) != 0) {
    fprintf(stderr, "race: rename %s %s: %s\n", tmp, target, strerrorname_np(errno));
    exit(1);
  }
}

// Holds still after half the swaps, at random, for up to twice the last exec's time (2 ms at least).
static void jitter(unsigned* seed) {
  long most = 2 * atomic_load(&last_exec_us);
  if (most < 2000) most = 2000;
  if (rand_r(seed) & 1) usleep((useconds_t)(rand_r(seed) % most));
}

static void* swapper(void* unused) {
  (void)unused;
  unsigned seed = (unsigned)getpid();
  while (!atomic_load(&stop)) {
    swap_in(denied);
    jitter(&seed);
    swap_in(allowed);
    jitter(&seed);
  }
  return NULL;
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: race DIR DENIED ALLOWED N\n");
    return 2;
  }
  snprintf(target, sizeof target, "%s/target", argv[1]);
  snprintf(tmp, sizeof tmp, "%s/.target.tmp", argv[1]);
  snprintf(denied, sizeof denied, "%s", argv[2]);
  snprintf(allowed, sizeof allowed, "%s", argv[3]);
  long n = atol(argv[4]);
  // A rename between two links of one file does nothing (and leaves tmp): start afresh.
  unlink(tmp);
  unlink(target);
  swap_in(allowed);

  pthread_t t;
  if (pthread_create(&t, NULL, swapper, NULL) != 0) {
    fprintf(stderr, "race: pthread_create failed\n");
    return 1;
  }
  long ok = 0, marker = 0, eacces = 0, killed = 0, other_errno = 0, other = 0;
  for (long i = 0; i < n; i++) {
    fflush(stdout);
    struct timespec began, ended;
    clock_gettime(CLOCK_MONOTONIC, &began);
    pid_t pid = fork();
    if (pid < 0) {
      perror("race: fork");
      return 1;
    }
    if (pid == 0) {
      char* args[] = {target, NULL};
      execv(target, args);
      int e = errno;
      if (e != EACCES) fprintf(stderr, "race: execve %s: %s\n", target, strerrorname_np(e));
      _exit(e == EACCES ? 126 : 127);
    }
    int st;
    if (waitpid(pid, &st, 0) < 0) {
      perror("race: waitpid");
      return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &ended);
    atomic_store(&last_exec_us, (ended.tv_sec - began.tv_sec) * 1000000 + (ended.tv_nsec - began.tv_nsec) / 1000);
    if (WIFSIGNALED(st))
      killed++;
    else if (WEXITSTATUS(st) == 0)
      ok++;
    else if (WEXITSTATUS(st) == 42)
      marker++;
    else if (WEXITSTATUS(st) == 126)
      eacces++;
    else if (WEXITSTATUS(st) == 127)
      other_errno++;
    else
      other++;
  }
  atomic_store(&stop, true);
  pthread_join(t, NULL);
  printf("race: %ld execs: allowed=%ld marker=%ld eacces=%ld killed=%ld errno=%ld other=%ld\n", n, ok, marker, eacces,
         killed, other_errno, other);
  return 0;
}
