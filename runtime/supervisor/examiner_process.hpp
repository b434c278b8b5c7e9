// The supervisor's examiner: a process of its own that reads the container's files for
// verification (ELF headers, `#!` lines, digests), so that a file built to subvert a parser
// gets a process holding nothing: uid nobody, no capability (bounding set empty), no file it
// may open (Landlock: every right handled, none granted), no TCP, no abstract unix socket or
// signal beyond itself, no_new_privs, and a seccomp allow-list of reading the fds it is sent
// and answering. The supervisor opens each file itself (in the container's root, as it
// judges it) and sends the fd; the examiner reads it with pread and replies (examiner_wire.hpp).
// A reply that does not come, or does not decode, is an error the exec is refused on; an
// examiner that died is not restarted, so every later file not in the cache is refused too.
#pragma once

#include <sys/types.h>

#include <memory>
#include <mutex>
#include <string>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"
#include "runtime/init/reexec.hpp"
#include "runtime/seccomp/program.hpp"
#include "runtime/verify/examiner.hpp"

namespace vigil::supervisor {

// Its seccomp filter, compiled through the cache in `cache_dir`.
Result<seccomp::Program> examiner_confinement(const std::string& cache_dir);

class ExaminerProcess final : public verify::Examiner {
 public:
  // Forks it (before the supervisor confines itself: the examiner's own confinement needs
  // calls the supervisor's filter refuses). `allow_list` is examiner_confinement()'s.
  static Result<std::unique_ptr<ExaminerProcess>> start(const seccomp::Program& allow_list);

  Result<verify::Facts> facts(int fd) override;
  Result<std::string> digest(int fd, verify::DigestAlgo algo) override;
  pid_t pid() const { return child_.pid(); }

  ExaminerProcess(Child child, unique_fd sock) : child_(std::move(child)), sock_(std::move(sock)) {}

 private:
  // One request and its reply, one at a time: the monitor thread is its only client.
  Result<std::string> ask(uint8_t op, uint8_t algo, int fd);

  Child child_;
  unique_fd sock_;
  std::mutex mu_;
};

}  // namespace vigil::supervisor
