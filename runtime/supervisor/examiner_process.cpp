#include "runtime/supervisor/examiner_process.hpp"

#include <grp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>

#include "runtime/base/unix_socket.hpp"
#include "runtime/landlock/landlock.hpp"
#include "runtime/process/exec.hpp"
#include "runtime/process/identity.hpp"
#include "runtime/process/process_handle.hpp"
#include "runtime/seccomp/load.hpp"
#include "runtime/supervisor/confine.hpp"
#include "runtime/verify/examiner_wire.hpp"

namespace vigil::supervisor {
namespace {

enum Op : uint8_t { kFacts = 1, kDigest = 2 };

// Reading the fds it is sent (pread, fstat), answering, memory, exiting.
const std::vector<std::string>& examiner_calls() {
  static const std::vector<std::string> names = {"recvmsg", "sendmsg", "pread64", "fstat", "newfstatat", "close",
                                                 "mmap", "munmap", "mremap", "madvise", "brk", "futex",
                                                 "rt_sigreturn", "exit", "exit_group"};
  return names;
}

constexpr uid_t kNobody = 65534;
// A reply can take the time of hashing a big file; one that takes longer than this is from
// an examiner that is stuck, or subverted.
constexpr timeval kReplyTimeout = {30, 0};
constexpr size_t kMaxReply = 16 * 1024;

// The examiner's side, forked from the single-threaded supervisor before its threads.
// Failures before it serves end it: the supervisor then finds no examiner and refuses.
[[noreturn]] void serve(int sock, const seccomp::Program& allow_list) {
  ::prctl(PR_SET_NAME, "vigil-examiner", 0, 0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (!close_fds_from(3, {sock})) _exit(1);
  // Nobody, with nothing: groups, then gid, then uid (which clears every capability).
  if (!drop_bounding_set(0) || ::setgroups(0, nullptr) < 0 || ::setresgid(kNobody, kNobody, kNobody) < 0 ||
      ::setresuid(kNobody, kNobody, kNobody) < 0)
    _exit(1);
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || !landlock::deny_all() || !seccomp::load_filter(allow_list))
    _exit(1);
  for (;;) {
    uint8_t req[2];
    std::vector<unique_fd> fds;
    auto n = recv_with_fds(sock, req, sizeof req, fds);
    if (!n || *n == 0) _exit(0);
    if (*n != sizeof req || fds.size() != 1) _exit(1);
    verify::LocalExaminer local;
    std::string reply = req[0] == kFacts ? verify::encode_facts_reply(local.facts(fds[0].get()))
                                         : verify::encode_digest_reply(local.digest(fds[0].get(), verify::DigestAlgo(req[1])));
    if (!send_with_fds(sock, reply, {})) _exit(1);
  }
}

}  // namespace

Result<seccomp::Program> examiner_confinement(const std::string& cache_dir) {
  return compile_allow_list({{examiner_calls(), seccomp::Action::allow, std::nullopt, {}}}, "examiner", cache_dir);
}

Result<std::unique_ptr<ExaminerProcess>> ExaminerProcess::start(const seccomp::Program& allow_list) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) return Error::from_errno("examiner: socketpair");
  unique_fd ours(sv[0]), theirs(sv[1]);
  auto child = TRY(fork_child("the examiner"));
  if (child.pid() == 0) {
    ours.reset();
    serve(theirs.get(), allow_list);
  }
  if (::setsockopt(ours.get(), SOL_SOCKET, SO_RCVTIMEO, &kReplyTimeout, sizeof kReplyTimeout) < 0)
    return Error::from_errno("examiner: set its reply timeout");
  return std::make_unique<ExaminerProcess>(std::move(child), std::move(ours));
}

Result<std::string> ExaminerProcess::ask(uint8_t op, uint8_t algo, int fd) {
  std::lock_guard lock(mu_);
  if (!sock_) return Error(EPIPE, "examiner: gone");
  uint8_t req[2] = {op, algo};
  int fds[] = {fd};
  auto sent = send_with_fds(sock_.get(), std::string_view(reinterpret_cast<char*>(req), sizeof req), fds);
  std::string reply(kMaxReply, '\0');
  std::vector<unique_fd> none;
  auto n = sent ? recv_with_fds(sock_.get(), reply.data(), reply.size(), none) : Result<size_t>(std::move(sent).error());
  if (!n || *n == 0 || !none.empty()) {
    // Dead, stuck or talking nonsense: it is not asked again.
    (void)send_signal(child_.pidfd(), SIGKILL);
    sock_.reset();
    return n ? Error(EPIPE, "examiner: gone") : std::move(n).error().context("examiner");
  }
  reply.resize(*n);
  return reply;
}

Result<verify::Facts> ExaminerProcess::facts(int fd) {
  return verify::decode_facts_reply(TRY(ask(kFacts, 0, fd)));
}

Result<std::string> ExaminerProcess::digest(int fd, verify::DigestAlgo algo) {
  return verify::decode_digest_reply(TRY(ask(kDigest, uint8_t(algo), fd)));
}

}  // namespace vigil::supervisor
