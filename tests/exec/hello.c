// A program that prints "hello from NAME" and exits with STATUS; the Makefile builds it in the
// variants exec verification tells apart (PIE or not, static or dynamic, 32-bit, executable
// stack), each with its own NAME.
#include <stdio.h>

#ifndef NAME
#error "build with -DNAME='\"name\"'"
#endif
#ifndef STATUS
#define STATUS 0
#endif

int main(void) {
  puts("hello from " NAME);
  return STATUS;
}
