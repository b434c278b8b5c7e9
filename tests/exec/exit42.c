// A program whose only system call is exit_group(42): under a profile that allows execve and
// exit_group alone, it exits 42 only if the runtime called nothing else after loading it.
// x86_64 only, like the hosts the tests run on.
void _start(void) {
  __asm__ volatile("syscall" : : "a"(231), "D"(42));
  __builtin_unreachable();
}
