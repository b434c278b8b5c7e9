// dlopen LIB: loads LIB with RTLD_NOW and prints "dlopen ok", or "dlopen failed: <dlerror>"
// and exits 1.
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: dlopen LIB\n");
    return 2;
  }
  void* h = dlopen(argv[1], RTLD_NOW);
  if (!h) {
    printf("dlopen failed: %s\n", dlerror());
    return 1;
  }
  int (*f)(void) = (int (*)(void))dlsym(h, "lib_hello");
  if (!f || f() != 42) {
    printf("dlopen failed: lib_hello is missing\n");
    return 1;
  }
  puts("dlopen ok");
  return 0;
}
