// inject PID NR [ARG...]: makes thread PID, stopped in a blocking system call, make system
// call NR with ARGs, as code that subverted it would, and prints the result: "ok N" or the
// errno's name. An ARG is a number (decimal or 0x…), s:TEXT for a pointer to TEXT copied
// onto the thread's stack, or x:HEX for a pointer to those bytes (an openat2 open_how). Its registers are restored afterwards, so the interrupted call
// restarts. x86_64 only: what the tests check, a confined process refusing what it must
// not do, is the same on every architecture.
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "inject: %s: %s\n", what, std::strerror(errno));
  std::exit(2);
}

void wait_stop(pid_t pid) {
  int status;
  if (::waitpid(pid, &status, __WALL) < 0) die("waitpid");
  if (!WIFSTOPPED(status)) {
    std::fprintf(stderr, "inject: thread %d did not stop (status %#x)\n", pid, status);
    std::exit(2);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: inject PID NR [ARG...]\n");
    return 2;
  }
  pid_t pid = pid_t(std::atoi(argv[1]));
  long nr = std::strtol(argv[2], nullptr, 0);
  if (::ptrace(PTRACE_SEIZE, pid, nullptr, nullptr) < 0) die("PTRACE_SEIZE");
  if (::ptrace(PTRACE_INTERRUPT, pid, nullptr, nullptr) < 0) die("PTRACE_INTERRUPT");
  wait_stop(pid);
  user_regs_struct saved;
  if (::ptrace(PTRACE_GETREGS, pid, nullptr, &saved) < 0) die("PTRACE_GETREGS");
  // Stopped in a system call, the thread's rip is right after its `syscall` (0f 05).
  errno = 0;
  long word = ::ptrace(PTRACE_PEEKTEXT, pid, saved.rip - 2, nullptr);
  if (errno != 0 || (word & 0xffff) != 0x050f) {
    std::fprintf(stderr, "inject: thread %d is not stopped in a system call\n", pid);
    return 2;
  }
  // Strings go below the red zone, well under the stack pointer.
  unsigned long scratch = (saved.rsp - 4096) & ~15ul;
  std::vector<unsigned long> args;
  for (int i = 3; i < argc && args.size() < 6; i++) {
    std::string a = argv[i];
    if (a.rfind("s:", 0) == 0 || a.rfind("x:", 0) == 0) {
      std::string text = a.substr(2);
      if (a[0] == 'x') {
        std::string bytes;
        for (size_t j = 0; j + 1 < text.size(); j += 2) bytes += char(std::stoi(text.substr(j, 2), nullptr, 16));
        text = bytes;
      }
      scratch -= (text.size() + 16) & ~15ul;
      iovec local{text.data(), text.size() + 1}, remote{reinterpret_cast<void*>(scratch), text.size() + 1};
      if (::process_vm_writev(pid, &local, 1, &remote, 1, 0) < 0) die("process_vm_writev");
      args.push_back(scratch);
    } else {
      args.push_back(std::strtoul(a.c_str(), nullptr, 0));
    }
  }
  args.resize(6, 0);
  user_regs_struct call = saved;
  call.rax = nr;
  call.orig_rax = -1;  // not in a system call: no restart of the interrupted one meanwhile
  call.rip = saved.rip - 2;
  call.rdi = args[0], call.rsi = args[1], call.rdx = args[2], call.r10 = args[3], call.r8 = args[4], call.r9 = args[5];
  if (::ptrace(PTRACE_SETREGS, pid, nullptr, &call) < 0) die("PTRACE_SETREGS");
  if (::ptrace(PTRACE_SINGLESTEP, pid, nullptr, nullptr) < 0) die("PTRACE_SINGLESTEP");
  wait_stop(pid);
  user_regs_struct after;
  if (::ptrace(PTRACE_GETREGS, pid, nullptr, &after) < 0) die("PTRACE_GETREGS");
  // Back as it was: leaving this stop, the kernel restarts the interrupted call.
  if (::ptrace(PTRACE_SETREGS, pid, nullptr, &saved) < 0) die("PTRACE_SETREGS");
  if (::ptrace(PTRACE_DETACH, pid, nullptr, nullptr) < 0) die("PTRACE_DETACH");
  long rc = long(after.rax);
  if (rc < 0 && rc > -4096) std::printf("%s\n", strerrorname_np(int(-rc)));
  else std::printf("ok %ld\n", rc);
  return 0;
}
