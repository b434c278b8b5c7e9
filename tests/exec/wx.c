// wx: asks for memory both writable and executable, with mmap and with mprotect, then flips
// a writable page to read+execute (W^X done right), and prints each outcome: "ok" or the
// errno's name.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static const char* outcome(int failed) { return failed ? strerrorname_np(errno) : "ok"; }

int main(void) {
  const size_t len = 4096;
  void* p = mmap(NULL, len, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("mmap wx: %s\n", outcome(p == MAP_FAILED));
  void* q = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (q == MAP_FAILED) {
    printf("mmap rw: %s\n", strerrorname_np(errno));
    return 1;
  }
  printf("mprotect wx: %s\n", outcome(mprotect(q, len, PROT_READ | PROT_WRITE | PROT_EXEC) != 0));
  memset(q, 0xc3, len);  // ret
  printf("mprotect rx: %s\n", outcome(mprotect(q, len, PROT_READ | PROT_EXEC) != 0));
  return 0;
}
