// spawn PATH...: fork+execs each PATH in turn (no arguments) and reports how it went:
//   PATH: ERRNO-NAME          the exec failed (from the child, which then exits 126)
//   PATH: exit N              after the child exited
//   PATH: killed by SIGNAME   after the child was killed
// A dynamic PIE, for policies under which busybox's shell (static, not PIE) may not run.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  for (int i = 1; i < argc; i++) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
      perror("fork");
      return 1;
    }
    if (pid == 0) {
      char* args[] = {argv[i], NULL};
      execv(argv[i], args);
      printf("%s: %s\n", argv[i], strerrorname_np(errno));
      fflush(stdout);
      _exit(126);
    }
    int st;
    if (waitpid(pid, &st, 0) < 0) {
      perror("waitpid");
      return 1;
    }
    if (WIFEXITED(st))
      printf("%s: exit %d\n", argv[i], WEXITSTATUS(st));
    else
      printf("%s: killed by SIG%s\n", argv[i], sigabbrev_np(WTERMSIG(st)));
  }
  return 0;
}
