// abstract listen NAME: listens on the abstract unix socket @NAME, prints "listening", and
// accepts until killed. abstract connect NAME: prints "connected", or "refused: ERRNO".
// abstract self NAME: listens, then connects to its own socket.
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 3) return fprintf(stderr, "usage: abstract listen|connect|self NAME\n"), 2;
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  size_t n = strlen(argv[2]);
  if (n + 1 > sizeof a.sun_path) return fprintf(stderr, "name too long\n"), 2;
  memcpy(a.sun_path + 1, argv[2], n);  // sun_path[0] == 0: abstract
  socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  if (s < 0) return perror("socket"), 1;
  if (!strcmp(argv[1], "listen") || !strcmp(argv[1], "self")) {
    if (bind(s, (struct sockaddr*)&a, len) < 0 || listen(s, 16) < 0) return perror("bind"), 1;
    if (!strcmp(argv[1], "self")) {
      s = socket(AF_UNIX, SOCK_STREAM, 0);
      if (s < 0) return perror("socket"), 1;
      if (connect(s, (struct sockaddr*)&a, len) < 0) return printf("refused: %s\n", strerrorname_np(errno)), 0;
      return printf("connected\n"), 0;
    }
    printf("listening\n");
    fflush(stdout);
    for (;;) {
      int c = accept(s, NULL, NULL);
      if (c >= 0) close(c);
    }
  }
  if (connect(s, (struct sockaddr*)&a, len) < 0) return printf("refused: %s\n", strerrorname_np(errno)), 0;
  printf("connected\n");
  return 0;
}
