#include "runtime/init/spawn.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <optional>
#include <string>

#include "runtime/base/scope_guard.hpp"
#include "runtime/init/reexec.hpp"
#include "runtime/init/protocol.hpp"
#include "runtime/namespaces/namespaces.hpp"
#include "runtime/process/process_handle.hpp"

namespace vigil {
Result<SpawnedInit> spawn_init(const oci::Spec& spec, InitRequest req, const InitFds& fds, const SpawnHandlers& on) {
  auto exe = TRY(readonly_self_exe());
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) return Error::from_errno("socketpair");
  unique_fd sock(sv[0]), child_sock(sv[1]);
  Child stage1 = TRY(reexec_self(exe.get(), child_sock.get(), "init"));
  child_sock.reset();
  TRY(on.stage1(stage1.pid()));

  std::vector<int> sent = {fds.first};
  req.has_exec_done = fds.exec_done >= 0;
  req.has_log = fds.log >= 0;
  if (req.has_exec_done) sent.push_back(fds.exec_done);
  req.has_console = fds.console >= 0;
  if (req.has_log) sent.push_back(fds.log);
  if (req.has_console) sent.push_back(fds.console);
  TRY(send_message(sock.get(), MsgType::request, 0, encode_request(req), sent));
  // init_pid comes from stage 1 and ready from the init itself: either may arrive first.
  std::optional<Child> init;
  unique_fd listener;
  bool ready = false, hooks_pending = false;
  for (;;) {
    // The hook point may come before stage 1 has said who the init is.
    if (hooks_pending && init) {
      hooks_pending = false;
      auto state = TRY(on.hooks(init->pid()));
      TRY(send_message(sock.get(), MsgType::hooks_done, 0, state));
    }
    if (init && ready) {
      stage1.reap();
      SpawnedInit out;
      out.pid = init->pid();
      // The container's init waits for start, so it is alive now unless it died; an exec'd
      // process runs at once and may be gone already, and no state records it.
      if (!req.exec) {
        auto start = process_start_time(init->pid());
        if (!start) return Error(ESRCH, "the container's init exited right after setup");
        out.start_time = *start;
      }
      out.pidfd = init->release();
      out.seccomp_listener = std::move(listener);
      return out;
    }
    auto msg = recv_message(sock.get());
    if (!msg) {
      if (msg.error().code() != 0) return std::move(msg).error();
      int status = stage1.reap();
      return Error(0, "the container's init exited during setup (status " + std::to_string(status) + ")");
    }
    switch (msg->type) {
      case MsgType::maps:
        TRY_CTX(write_id_maps(stage1.pid(), spec.linux), "write id mappings");
        TRY(send_message(sock.get(), MsgType::maps_done, 0, ""));
        break;
      case MsgType::init_pid:
        if (msg->fds.size() != 1) return Error(EPROTO, "init_pid without a pidfd");
        init.emplace(TRY(decode_pid(msg->payload)), std::move(msg->fds[0]));
        break;
      case MsgType::log:
        on.log(msg->err, msg->payload);
        break;
      case MsgType::hooks:
        hooks_pending = true;
        break;
      case MsgType::error:
        return Error(msg->err, msg->payload);
      case MsgType::ready:
        ready = true;
        break;
      case MsgType::seccomp:
        if (msg->fds.size() != 1) return Error(EPROTO, "seccomp message without the listener fd");
        listener = std::move(msg->fds[0]);
        break;
      default:
        return Error(EPROTO, "unexpected message from init");
    }
  }
}

}  // namespace vigil
