// Calls newer than Docker's profiles of 2017 and 2020, each made directly and then through
// glibc, which falls back to an older call when the kernel answers ENOSYS (and only then).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char* result(long rc) { return rc < 0 ? strerrorname_np(errno) : "ok"; }

static void* thread_main(void* arg) { return arg; }

int main(void) {
  struct clone_args args = {.exit_signal = SIGCHLD};
  long rc = syscall(SYS_clone3, &args, sizeof args);
  if (rc == 0) _exit(0);
  if (rc > 0) waitpid((pid_t)rc, NULL, 0);
  printf("clone3: %s\n", result(rc));
  printf("faccessat2: %s\n", result(syscall(SYS_faccessat2, AT_FDCWD, "/", R_OK, AT_EACCESS)));
  printf("close_range: %s\n", result(syscall(SYS_close_range, 100, 200, 0)));

  pthread_t t;
  int err = pthread_create(&t, NULL, thread_main, NULL);
  if (err == 0) pthread_join(t, NULL);
  printf("pthread_create: %s\n", err ? strerrorname_np(err) : "ok");
  pid_t pid;
  char* argv[] = {"true", NULL};
  err = posix_spawn(&pid, "/bin/true", NULL, NULL, argv, NULL);
  int status = -1;
  if (err == 0) waitpid(pid, &status, 0);
  printf("posix_spawn: %s\n", err ? strerrorname_np(err) : status == 0 ? "ok" : "child failed");
  printf("faccessat(AT_EACCESS): %s\n", result(faccessat(AT_FDCWD, "/", R_OK, AT_EACCESS)));
  return 0;
}
