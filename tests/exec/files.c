// files VERB ARGS...: one file operation, as a container's process would try it, printing
// "ok" (and what it read) or "refused: ERRNO". Static: it needs nothing from the rootfs.
//   read PATH          open(PATH, O_RDONLY) and read it
//   at DIR NAME        openat(open(DIR), NAME), then read
//   reopen PATH        open(PATH, O_PATH), then /proc/self/fd/N for reading
//   write PATH         open(PATH, O_WRONLY|O_CREAT|O_TRUNC) and write "written"
//   rename FROM TO     rename(2)
//   link FROM TO       link(2)
//   uring PATH         io_uring's IORING_OP_OPENAT, then read
//   openat2 PATH HOW   openat2 with RESOLVE_ flags: beneath, in_root, no_symlinks, no_magiclinks, none
//   handle PATH        name_to_handle_at, then open_by_handle_at for reading
//   race LINK A B N    a thread points LINK at A and at B by turns, N opens of LINK read it:
//                      prints how many read A's first line, B's, and were refused
//   eintr PATH         open(PATH) for reading with a SIGALRM (no SA_RESTART) a second later
//   unrace LINK A B NAME N   a thread points LINK at the directories A and B by turns, N
//                      unlinks of LINK/NAME, each followed by making A/NAME again: prints how
//                      many unlinks removed a file and how many were refused
//   rerace LINK A B NAME N   the same with renames of LINK/NAME to A/NAME.moved
//   tmpfile DIR        open(DIR, O_TMPFILE|O_WRONLY)
//   truncate PATH      truncate(PATH, 0)
//   ftruncate PATH     open(PATH, O_WRONLY), then ftruncate to 0
//   fchmod PATH MODE   open(PATH, O_RDONLY), then fchmod (MODE in octal)
//   fchown PATH UID GID      open(PATH, O_RDONLY), then fchown
//   xattr PATH         setxattr(PATH, "user.vigil", "set")
//   fxattr PATH        open(PATH, O_RDONLY), then fsetxattr "user.vigil"
//   xattrat PATH       setxattrat (Linux 6.13, syscall 463), which the supervisor cannot see
//   touch PATH         utimensat(PATH, now)
//   futimens PATH      open(PATH, O_RDONLY), then futimens (now)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <sys/syscall.h>
#include <unistd.h>

static int refused(int err) { return printf("refused: %s\n", strerrorname_np(err)), 0; }

static int read_out(int fd) {
  if (fd < 0) return refused(errno);
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  if (n < 0) return refused(errno);
  while (n > 0 && buf[n - 1] == '\n') n--;
  buf[n] = 0;
  return printf("ok %s\n", buf), 0;
}

// One IORING_OP_OPENAT through a ring of one entry, with no library: the fd or -errno.
static int uring_open(const char* path) {
  struct io_uring_params p = {0};
  int ring = (int)syscall(SYS_io_uring_setup, 1, &p);
  if (ring < 0) return -errno;
  size_t sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
  size_t cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
  char* sq = mmap(0, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED, ring, IORING_OFF_SQ_RING);
  char* cq = mmap(0, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED, ring, IORING_OFF_CQ_RING);
  struct io_uring_sqe* sqes = mmap(0, p.sq_entries * sizeof *sqes, PROT_READ | PROT_WRITE, MAP_SHARED, ring, IORING_OFF_SQES);
  if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED) return -errno;
  memset(&sqes[0], 0, sizeof sqes[0]);
  sqes[0].opcode = IORING_OP_OPENAT;
  sqes[0].fd = AT_FDCWD;
  sqes[0].addr = (unsigned long)path;
  sqes[0].open_flags = O_RDONLY;
  unsigned* tail = (unsigned*)(sq + p.sq_off.tail);
  ((unsigned*)(sq + p.sq_off.array))[*tail & *(unsigned*)(sq + p.sq_off.ring_mask)] = 0;
  __atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
  if (syscall(SYS_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, 0, 0) < 0) return -errno;
  unsigned head = *(unsigned*)(cq + p.cq_off.head);
  struct io_uring_cqe* cqes = (struct io_uring_cqe*)(cq + p.cq_off.cqes);
  return cqes[head & *(unsigned*)(cq + p.cq_off.ring_mask)].res;
}

struct flipper {
  const char *link, *a, *b;
  volatile int stop;
};

// Points the link at a and b by turns, each time by a rename over it: never missing.
static void* flip(void* arg) {
  struct flipper* f = arg;
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.new", f->link);
  for (int i = 0; !f->stop; i++) {
    unlink(tmp);
    if (symlink(i % 2 ? f->b : f->a, tmp) == 0) rename(tmp, f->link);
  }
  return 0;
}

static int race(const char* link, const char* a, const char* b, int n) {
  char first_a[64] = "", first_b[64] = "";
  FILE* fa = fopen(a, "r");
  if (fa) fgets(first_a, sizeof first_a, fa), fclose(fa);
  struct flipper f = {link, a, b, 0};
  unlink(link);
  if (symlink(a, link) < 0) return refused(errno);
  pthread_t t;
  pthread_create(&t, 0, flip, &f);
  int got_a = 0, got_b = 0, refused = 0, other = 0, other_errno = 0;
  for (int i = 0; i < n; i++) {
    int fd = open(link, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      refused += errno == EACCES;
      if (errno != EACCES) other++, other_errno = errno;
      continue;
    }
    char buf[64] = "";
    ssize_t r = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (r > 0 && !strcmp(buf, first_a)) got_a++;
    else if (r > 0) got_b++, strncpy(first_b, buf, sizeof first_b - 1);
  }
  f.stop = 1;
  pthread_join(t, 0);
  printf("a=%d b=%d refused=%d other=%d%s%s\n", got_a, got_b, refused, other, other ? " " : "",
         other ? strerrorname_np(other_errno) : "");
  return 0;
}

// Removes (or renames, with `rename_to` set) `via` once: 0, or the errno.
static int take_away(const char* via, const char* rename_to) {
  return (rename_to ? rename(via, rename_to) : unlink(via)) == 0 ? 0 : errno;
}

static int unrace(const char* link, const char* a, const char* b, const char* name, int n, int renames) {
  struct flipper f = {link, a, b, 0};
  unlink(link);
  if (symlink(a, link) < 0) return refused(errno);
  char via[4096], made[4096], moved[4200];
  snprintf(via, sizeof via, "%s/%s", link, name);
  snprintf(made, sizeof made, "%s/%s", a, name);
  snprintf(moved, sizeof moved, "%s.moved", made);
  pthread_t t;
  pthread_create(&t, 0, flip, &f);
  int removed = 0, refused_n = 0, other = 0;
  for (int i = 0; i < n; i++) {
    int err = take_away(via, renames ? moved : 0);
    if (err == 0) removed++;
    else if (err == EACCES) refused_n++;
    else other += err != ENOENT;
    close(open(made, O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
  }
  f.stop = 1;
  pthread_join(t, 0);
  printf("removed=%d refused=%d other=%d\n", removed, refused_n, other);
  return 0;
}

static void on_alarm(int sig) { (void)sig; }

int main(int argc, char** argv) {
  if (argc < 3) return fprintf(stderr, "usage: files VERB ARGS...\n"), 2;
  const char* verb = argv[1];
  if (!strcmp(verb, "read")) return read_out(open(argv[2], O_RDONLY | O_CLOEXEC));
  if (!strcmp(verb, "at") && argc == 4) {
    int dir = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return refused(errno);
    return read_out(openat(dir, argv[3], O_RDONLY | O_CLOEXEC));
  }
  if (!strcmp(verb, "reopen")) {
    int fd = open(argv[2], O_PATH | O_CLOEXEC);
    if (fd < 0) return refused(errno);
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    return read_out(open(proc, O_RDONLY | O_CLOEXEC));
  }
  if (!strcmp(verb, "write")) {
    int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, "written", 7) != 7) return refused(errno);
    return printf("ok\n"), 0;
  }
  if (!strcmp(verb, "rename") && argc == 4) return rename(argv[2], argv[3]) < 0 ? refused(errno) : (printf("ok\n"), 0);
  if (!strcmp(verb, "link") && argc == 4) return link(argv[2], argv[3]) < 0 ? refused(errno) : (printf("ok\n"), 0);
  if (!strcmp(verb, "uring")) {
    int fd = uring_open(argv[2]);
    if (fd < 0) return refused(-fd);
    return read_out(fd);
  }
  if (!strcmp(verb, "openat2") && argc == 4) {
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC};
    const char* names[] = {"beneath", "in_root", "no_symlinks", "no_magiclinks"};
    unsigned long long bits[] = {RESOLVE_BENEATH, RESOLVE_IN_ROOT, RESOLVE_NO_SYMLINKS, RESOLVE_NO_MAGICLINKS};
    for (int i = 0; i < 4; i++)
      if (!strcmp(argv[3], names[i])) how.resolve = bits[i];
    int dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    const char* rel = argv[2][0] == '/' ? argv[2] + 1 : argv[2];
    return read_out((int)syscall(SYS_openat2, dir, rel, &how, sizeof how));
  }
  if (!strcmp(verb, "handle")) {
    struct {
      struct file_handle h;
      unsigned char bytes[128];
    } fh = {.h.handle_bytes = 128};
    int mount_id;
    if (name_to_handle_at(AT_FDCWD, argv[2], &fh.h, &mount_id, 0) < 0) return refused(errno);
    int mnt = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    return read_out(open_by_handle_at(mnt, &fh.h, O_RDONLY | O_CLOEXEC));
  }
  if (!strcmp(verb, "race") && argc == 6) return race(argv[2], argv[3], argv[4], atoi(argv[5]));
  if (!strcmp(verb, "unrace") && argc == 7) return unrace(argv[2], argv[3], argv[4], argv[5], atoi(argv[6]), 0);
  if (!strcmp(verb, "rerace") && argc == 7) return unrace(argv[2], argv[3], argv[4], argv[5], atoi(argv[6]), 1);
  if (!strcmp(verb, "tmpfile")) {
    int fd = open(argv[2], O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    return fd < 0 ? refused(errno) : (printf("ok\n"), 0);
  }
  if (!strcmp(verb, "truncate")) return truncate(argv[2], 0) < 0 ? refused(errno) : (printf("ok\n"), 0);
  if (!strcmp(verb, "ftruncate")) {
    int fd = open(argv[2], O_WRONLY | O_CLOEXEC);
    if (fd < 0 || ftruncate(fd, 0) < 0) return refused(errno);
    return printf("ok\n"), 0;
  }
  if (!strcmp(verb, "fchmod") && argc == 4) {
    int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fchmod(fd, (mode_t)strtol(argv[3], 0, 8)) < 0) return refused(errno);
    return printf("ok\n"), 0;
  }
  if (!strcmp(verb, "xattr")) return setxattr(argv[2], "user.vigil", "set", 3, 0) < 0 ? refused(errno) : (printf("ok\n"), 0);
  if (!strcmp(verb, "fxattr")) {
    int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsetxattr(fd, "user.vigil", "set", 3, 0) < 0) return refused(errno);
    return printf("ok\n"), 0;
  }
  if (!strcmp(verb, "xattrat")) {
    struct {
      unsigned long long value;
      unsigned size, flags;
    } args = {(unsigned long)"set", 3, 0};
    return syscall(463, AT_FDCWD, argv[2], 0, "user.vigil", &args, sizeof args) < 0 ? refused(errno) : (printf("ok\n"), 0);
  }
  if (!strcmp(verb, "touch")) return utimensat(AT_FDCWD, argv[2], 0, 0) < 0 ? refused(errno) : (printf("ok\n"), 0);
  if (!strcmp(verb, "futimens")) {
    int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
    if (fd < 0 || futimens(fd, 0) < 0) return refused(errno);
    return printf("ok\n"), 0;
  }
  if (!strcmp(verb, "fchown") && argc == 5) {
    int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fchown(fd, (uid_t)atoi(argv[3]), (gid_t)atoi(argv[4])) < 0) return refused(errno);
    return printf("ok\n"), 0;
  }
  if (!strcmp(verb, "eintr")) {
    struct sigaction sa = {.sa_handler = on_alarm};
    sigaction(SIGALRM, &sa, 0);
    alarm(1);
    return read_out(open(argv[2], O_RDONLY | O_CLOEXEC));
  }
  return fprintf(stderr, "files: unknown verb %s\n", verb), 2;
}
