#include "runtime/process/signals.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstring>

namespace vigil {
namespace {

struct Named {
  const char* name;
  int sig;
};

constexpr Named kSignals[] = {
    {"HUP", SIGHUP},     {"INT", SIGINT},       {"QUIT", SIGQUIT},   {"ILL", SIGILL},     {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT},   {"IOT", SIGIOT},       {"BUS", SIGBUS},     {"FPE", SIGFPE},     {"KILL", SIGKILL},
    {"USR1", SIGUSR1},   {"SEGV", SIGSEGV},     {"USR2", SIGUSR2},   {"PIPE", SIGPIPE},   {"ALRM", SIGALRM},
    {"TERM", SIGTERM},   {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},   {"CLD", SIGCHLD},    {"CONT", SIGCONT},
    {"STOP", SIGSTOP},   {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN},   {"TTOU", SIGTTOU},   {"URG", SIGURG},
    {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ},     {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
    {"IO", SIGIO},       {"POLL", SIGPOLL},     {"PWR", SIGPWR},     {"SYS", SIGSYS},
};

bool parse_int(const std::string& s, int& out) {
  if (s.empty() || s.size() > 3) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

}  // namespace

Result<int> parse_signal(const std::string& input) {
  int n;
  if (parse_int(input, n)) {
    if (n < 1 || n > SIGRTMAX) return Error(EINVAL, "invalid signal " + input);
    return n;
  }
  std::string s = input;
  for (auto& c : s) c = char(toupper(c));
  if (s.rfind("SIG", 0) == 0) s = s.substr(3);
  for (const auto& [name, sig] : kSignals)
    if (s == name) return sig;
  struct Rt {
    const char* prefix;
    int base;
    int dir;
  };
  for (const Rt& rt : {Rt{"RTMIN", SIGRTMIN, 1}, Rt{"RTMAX", SIGRTMAX, -1}}) {
    const std::string p = rt.prefix;
    const int base = rt.base, dir = rt.dir;
    if (s == p) return base;
    if (s.rfind(p, 0) == 0 && s.size() > p.size() + 1 && s[p.size()] == (dir > 0 ? '+' : '-') &&
        parse_int(s.substr(p.size() + 1), n)) {
      int sig = base + dir * n;
      if (sig >= SIGRTMIN && sig <= SIGRTMAX) return sig;
    }
  }
  return Error(EINVAL, "invalid signal \"" + input + "\"");
}

void reset_signals_for_exec() {
  // The kernel's struct sigaction on x86-64 and the other 64-bit ports.
  struct {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)();
    uint64_t mask;
  } dfl{SIG_DFL, 0, nullptr, 0};
  for (int s = 1; s <= SIGRTMAX; s++)
    if (s != SIGKILL && s != SIGSTOP) ::syscall(SYS_rt_sigaction, s, &dfl, nullptr, sizeof dfl.mask);
  uint64_t none = 0;
  ::syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, nullptr, sizeof none);
}

}  // namespace vigil
