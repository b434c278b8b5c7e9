// debug MODE...: tracing and exec as debuggers and threaded programs do them, for the
// supervisor's tests (tests/integration/supervisor.bats).
//   debug traceme PATH   a child asks to be traced (PTRACE_TRACEME), stops, and execs PATH;
//                        prints "exec: ERRNO-NAME" if the exec fails, "exec stop" when this
//                        tracer sees it, and "child: exit N" at the end
//   debug attach         attaches to a child that never execs, sees it stop, resumes it,
//                        detaches; prints each step
//   debug failexec       an execve that fails in the kernel (E2BIG), then "waiting" until
//                        killed
//   debug threadexec PATH ARG...   a thread other than the main one execs PATH
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char* what) {
  printf("%s\n", what);
  fflush(stdout);
}

static int die(const char* what) {
  printf("%s: %s\n", what, strerrorname_np(errno));
  fflush(stdout);
  return 1;
}

static int traceme(char* path) {
  pid_t child = fork();
  if (child < 0) return die("fork");
  if (child == 0) {
    if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0) _exit(die("traceme"));
    raise(SIGSTOP);
    char* args[] = {path, NULL};
    execv(path, args);
    printf("exec: %s\n", strerrorname_np(errno));
    fflush(stdout);
    _exit(126);
  }
  for (;;) {
    int st;
    if (waitpid(child, &st, 0) < 0) return die("waitpid");
    if (WIFEXITED(st)) {
      printf("child: exit %d\n", WEXITSTATUS(st));
      return 0;
    }
    if (WIFSIGNALED(st)) {
      printf("child: killed by SIG%s\n", sigabbrev_np(WTERMSIG(st)));
      return 0;
    }
    int sig = WSTOPSIG(st);
    if (sig == SIGTRAP) say("exec stop");
    if (ptrace(PTRACE_CONT, child, NULL, (void*)(long)(sig == SIGTRAP || sig == SIGSTOP ? 0 : sig)) < 0)
      return die("cont");
  }
}

static int attach(void) {
  pid_t child = fork();
  if (child < 0) return die("fork");
  if (child == 0)
    for (;;) pause();
  int st;
  if (ptrace(PTRACE_ATTACH, child, NULL, NULL) < 0) return die("attach");
  if (waitpid(child, &st, 0) < 0 || !WIFSTOPPED(st)) return die("waitpid");
  say("attached, stopped");
  if (ptrace(PTRACE_CONT, child, NULL, NULL) < 0) return die("cont");
  say("resumed");
  // Stopped again to be let go: a tracee must be stopped for PTRACE_DETACH.
  kill(child, SIGSTOP);
  if (waitpid(child, &st, 0) < 0 || !WIFSTOPPED(st)) return die("waitpid");
  if (ptrace(PTRACE_DETACH, child, NULL, NULL) < 0) return die("detach");
  say("detached");
  kill(child, SIGKILL);
  waitpid(child, &st, 0);
  return 0;
}

static int failexec(char* self) {
  // More argument bytes than the kernel takes: E2BIG, after the supervisor allowed the exec.
  size_t n = 64 << 20;
  char* big = malloc(n);
  if (!big) return die("malloc");
  memset(big, 'x', n - 1);
  big[n - 1] = 0;
  char* args[] = {self, big, NULL};
  execv(self, args);
  printf("exec: %s\n", strerrorname_np(errno));
  say("waiting");
  for (;;) pause();
}

static char** thread_args;

static void* exec_from_thread(void* unused) {
  (void)unused;
  execv(thread_args[0], thread_args);
  die("exec");
  exit(126);
}

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "traceme") == 0) return traceme(argv[2]);
  if (argc == 2 && strcmp(argv[1], "attach") == 0) return attach();
  if (argc == 2 && strcmp(argv[1], "failexec") == 0) return failexec(argv[0]);
  if (argc >= 3 && strcmp(argv[1], "threadexec") == 0) {
    thread_args = argv + 2;
    pthread_t t;
    if (pthread_create(&t, NULL, exec_from_thread, NULL) != 0) return die("pthread_create");
    for (;;) pause();
  }
  fprintf(stderr, "usage: debug traceme PATH | attach | failexec | threadexec PATH ARG...\n");
  return 2;
}
