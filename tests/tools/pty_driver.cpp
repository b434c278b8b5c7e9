// Test tool: runs a command on a new terminal and plays a script against it, like a tiny
// expect. Steps run in order; the whole run is bounded by --timeout.
//   pty_driver [--size RxC] [--timeout SECONDS] [STEP...] -- COMMAND [ARGS...]
//   STEP: expect=TEXT (wait until TEXT appears after the previous match), send=TEXT,
//         resize=RxC. TEXT understands \r, \n, \xHH and \\.
// Prints what the command wrote (CRs removed) and exits with its status; 124 on timeout.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    if (c == 'r') out += '\r';
    else if (c == 'n') out += '\n';
    else if (c == 'x' && i + 2 < s.size()) {
      out += char(strtol(s.substr(i + 1, 2).c_str(), nullptr, 16));
      i += 2;
    } else out += c;
  }
  return out;
}

winsize parse_size(const std::string& s) {
  winsize ws{};
  ws.ws_row = uint16_t(atoi(s.c_str()));
  ws.ws_col = uint16_t(atoi(s.c_str() + s.find('x') + 1));
  return ws;
}

double now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

std::string output;
void finish(int code) {
  std::string clean;
  for (char c : output)
    if (c != '\r') clean += c;
  fwrite(clean.data(), 1, clean.size(), stdout);
  exit(code);
}

}  // namespace

int main(int argc, char** argv) {
  winsize ws{24, 80, 0, 0};
  double timeout = 20;
  std::vector<std::string> steps;
  int i = 1;
  for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
    std::string a = argv[i];
    if (a == "--size" && i + 1 < argc) ws = parse_size(argv[++i]);
    else if (a == "--timeout" && i + 1 < argc) timeout = atof(argv[++i]);
    else steps.push_back(a);
  }
  if (i + 1 >= argc) {
    fprintf(stderr, "usage: pty_driver [--size RxC] [--timeout S] [STEP...] -- COMMAND [ARGS...]\n");
    return 2;
  }
  int master;
  pid_t pid = forkpty(&master, nullptr, nullptr, &ws);
  if (pid < 0) {
    perror("forkpty");
    return 1;
  }
  if (pid == 0) {
    execvp(argv[i + 1], argv + i + 1);
    perror("exec");
    _exit(127);
  }
  int pidfd = int(syscall(SYS_pidfd_open, pid, 0));
  double deadline = now() + timeout;
  size_t seen = 0, step = 0;
  bool master_open = true;
  int status = -1;
  for (;;) {
    // Steps that need no output run at once; expect waits for it.
    while (step < steps.size()) {
      const std::string& s = steps[step];
      if (s.rfind("send=", 0) == 0) {
        std::string text = unescape(s.substr(5));
        if (write(master, text.data(), text.size()) < 0) perror("send");
      } else if (s.rfind("resize=", 0) == 0) {
        winsize w = parse_size(s.substr(7));
        ioctl(master, TIOCSWINSZ, &w);
      } else if (s.rfind("expect=", 0) == 0) {
        std::string text = unescape(s.substr(7));
        auto at = output.find(text, seen);
        if (at == std::string::npos) break;
        seen = at + text.size();
      }
      step++;
    }
    if (status < 0) {
      int st;
      if (waitpid(pid, &st, WNOHANG) == pid) status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }
    if (status >= 0 && (!master_open || step == steps.size())) {
      // Whatever is still buffered in the terminal.
      pollfd p{master, POLLIN, 0};
      char buf[4096];
      ssize_t n;
      while (master_open && poll(&p, 1, 0) > 0 && (n = read(master, buf, sizeof buf)) > 0) output.append(buf, size_t(n));
      if (step < steps.size()) {
        fprintf(stderr, "pty_driver: command exited (status %d) before step: %s\n", status, steps[step].c_str());
        finish(125);
      }
      finish(status);
    }
    double left = deadline - now();
    if (left <= 0) {
      fprintf(stderr, "pty_driver: timed out at step: %s\n", step < steps.size() ? steps[step].c_str() : "(exit)");
      kill(pid, SIGKILL);
      finish(124);
    }
    pollfd p[2] = {{master_open ? master : -1, POLLIN, 0}, {status < 0 ? pidfd : -1, POLLIN, 0}};
    int r = poll(p, 2, int(left * 1000) + 1);
    if (r > 0 && p[0].revents) {
      char buf[4096];
      ssize_t n = read(master, buf, sizeof buf);
      if (n > 0) output.append(buf, size_t(n));
      else master_open = false;
    }
  }
}
