// What an execve was allowed to map, from its judgement to its exec stop. The worker that
// judged the execve records the files it verified under the thread's id; the tracer, at
// PTRACE_EVENT_EXEC, takes them back (by the thread id the event reports) and compares them
// with what the kernel actually mapped. A path swapped between the two never runs.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/verify/file_facts.hpp"

namespace vigil::supervisor {

struct ExpectedImage {
  std::string path;  // the program the process asked for, as the container sees it
  verify::FileKey program;  // /proc/PID/exe: the ELF program (a script's final interpreter)
  std::vector<verify::FileKey> mapped;  // every file the kernel maps: the program and its loader
};

class ExpectedImages {
 public:
  void put(pid_t tid, ExpectedImage e);
  std::optional<ExpectedImage> take(pid_t tid);
  void forget(pid_t tid);  // the thread is gone (an execve that failed leaves an entry)

 private:
  std::mutex mu_;
  std::unordered_map<pid_t, ExpectedImage> by_tid_;
};

}  // namespace vigil::supervisor
