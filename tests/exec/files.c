// files VERB ARGS...: one file operation, as a container's process would try it, printing
// "ok" (and what it read) or "refused: ERRNO". Static: it needs nothing from the rootfs.
//   read PATH          open(PATH, O_RDONLY) and read it
//   at DIR NAME        openat(open(DIR), NAME), then read
//   reopen PATH        open(PATH, O_PATH), then /proc/self/fd/N for reading
//   write PATH         open(PATH, O_WRONLY|O_CREAT|O_TRUNC) and write "written"
//   rename FROM TO     rename(2)
//   link FROM TO       link(2)
//   uring PATH         io_uring's IORING_OP_OPENAT, then read
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
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
  return fprintf(stderr, "files: unknown verb %s\n", verb), 2;
}
