// fileless MODE FILE [ARG...]: runs FILE without executing it by a path of the file system.
//   memfd          copies FILE into a memfd and runs it with execveat(fd, "", AT_EMPTY_PATH)
//   fexecve        the same through glibc's fexecve
//   opath-deleted  copies FILE to a new file in $TMPDIR (or /tmp), opens it O_PATH, deletes
//                  it, and runs it with execveat(fd, "", AT_EMPTY_PATH)
// The program gets argv[0] = FILE. On failure it prints "fileless: MODE: ERRNO-NAME" and
// exits 126.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U  // Linux 6.3: the memfd may be executed, whatever vm.memfd_noexec says
#endif

extern char** environ;
static const char* mode;

static void die(const char* what) {
  printf("fileless: %s: %s%s%s\n", mode, strerrorname_np(errno), *what ? " in " : "", what);
  fflush(stdout);
  exit(126);
}

static void copy(int from, int to) {
  char buf[65536];
  ssize_t n;
  while ((n = read(from, buf, sizeof buf)) > 0) {
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(to, buf + off, (size_t)(n - off));
      if (w < 0) die("write");
      off += w;
    }
  }
  if (n < 0) die("read");
}

static int memfd_copy(const char* file) {
  int in = open(file, O_RDONLY | O_CLOEXEC);
  if (in < 0) die("open");
  int fd = memfd_create("fileless", MFD_CLOEXEC | MFD_EXEC);
  if (fd < 0 && errno == EINVAL) fd = memfd_create("fileless", MFD_CLOEXEC);  // before 6.3
  if (fd < 0) die("memfd_create");
  copy(in, fd);
  close(in);
  return fd;
}

static int opath_deleted_copy(const char* file) {
  const char* dir = getenv("TMPDIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/fileless.XXXXXX", dir && *dir ? dir : "/tmp");
  int in = open(file, O_RDONLY | O_CLOEXEC);
  if (in < 0) die("open");
  int out = mkostemp(path, O_CLOEXEC);
  if (out < 0) die("mkostemp");
  copy(in, out);
  if (fchmod(out, 0755) != 0) die("fchmod");
  close(in);
  close(out);
  int fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) die("open O_PATH");
  if (unlink(path) != 0) die("unlink");
  return fd;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: fileless memfd|fexecve|opath-deleted FILE [ARG...]\n");
    return 2;
  }
  mode = argv[1];
  char** args = argv + 2;
  fflush(stdout);
  if (strcmp(mode, "memfd") == 0) {
    int fd = memfd_copy(args[0]);
    syscall(SYS_execveat, fd, "", args, environ, AT_EMPTY_PATH);
  } else if (strcmp(mode, "fexecve") == 0) {
    int fd = memfd_copy(args[0]);
    fexecve(fd, args, environ);
  } else if (strcmp(mode, "opath-deleted") == 0) {
    int fd = opath_deleted_copy(args[0]);
    syscall(SYS_execveat, fd, "", args, environ, AT_EMPTY_PATH);
  } else {
    fprintf(stderr, "fileless: unknown mode %s\n", mode);
    return 2;
  }
  die("");
}
