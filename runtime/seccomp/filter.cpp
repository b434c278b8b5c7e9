// Profile → libseccomp filter → BPF, with runc's choices where libseccomp leaves one.
#include "runtime/seccomp/filter.hpp"

#include <linux/seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <utility>

#include "runtime/base/file.hpp"
#include "runtime/base/unique_fd.hpp"
#include "runtime/seccomp/enosys.hpp"

namespace vigil::seccomp {

namespace {

void note(std::vector<std::string>* debug, std::string line) {
  if (debug) debug->push_back(std::move(line));
}

// libseccomp returns negated errno values.
Error lib_error(int rc, std::string what) { return Error(-rc, std::move(what)); }

uint32_t scmp_action(Action a, uint32_t errno_ret) {
  switch (a) {
    // runc and crun both make the plain KILL kill the thread, as libseccomp's SCMP_ACT_KILL does.
    case Action::kill:
    case Action::kill_thread: return SCMP_ACT_KILL_THREAD;
    case Action::kill_process: return SCMP_ACT_KILL_PROCESS;
    case Action::trap: return SCMP_ACT_TRAP;
    case Action::errno_ret: return SCMP_ACT_ERRNO(errno_ret);
    case Action::trace: return SCMP_ACT_TRACE(errno_ret);
    case Action::allow: return SCMP_ACT_ALLOW;
    case Action::log: return SCMP_ACT_LOG;
    case Action::notify: return SCMP_ACT_NOTIFY;
  }
  return SCMP_ACT_KILL_PROCESS;  // not reached: every Action is handled above
}

scmp_compare scmp_op(Op op) {
  switch (op) {
    case Op::ne: return SCMP_CMP_NE;
    case Op::lt: return SCMP_CMP_LT;
    case Op::le: return SCMP_CMP_LE;
    case Op::eq: return SCMP_CMP_EQ;
    case Op::ge: return SCMP_CMP_GE;
    case Op::gt: return SCMP_CMP_GT;
    case Op::masked_eq: return SCMP_CMP_MASKED_EQ;
  }
  return SCMP_CMP_EQ;  // not reached
}

Status set_attr(scmp_filter_ctx ctx, scmp_filter_attr attr, uint32_t value, const std::string& what) {
  int rc = seccomp_attr_set(ctx, attr, value);
  if (rc < 0) return lib_error(rc, "seccomp: " + what);
  return {};
}

// The native architecture is in every new filter; the listed ones are added before any
// rule, because libseccomp adds a rule only to the architectures present at that time.
Status add_architectures(scmp_filter_ctx ctx, const Profile& p) {
  for (const auto& name : p.architectures) {
    auto token = arch_token(name);
    if (!token) return Error(EOPNOTSUPP, "seccomp: architecture " + name + " is not supported by libseccomp " +
                                             std::to_string(seccomp_version()->major) + "." +
                                             std::to_string(seccomp_version()->minor));
    int rc = seccomp_arch_add(ctx, *token);
    if (rc < 0 && rc != -EEXIST) return lib_error(rc, "seccomp: add architecture " + name);
  }
  return {};
}

// Each flag is set as a libseccomp attribute too, which is how libseccomp checks that it
// and the kernel support it (it probes seccomp(2) with the flag); the bits themselves go
// to our own seccomp(2) call in load_filter().
Status apply_flags(scmp_filter_ctx ctx, const Profile& p, unsigned int& flags, bool& wait_killable,
                   std::vector<std::string>* debug) {
  if (!p.flags) {
    // runc (1.2+) and crun turn SPEC_ALLOW on when config.json names no flags at all: the
    // speculative store bypass mitigation costs much and containers rarely need it.
    if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1) == 0) flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
    else note(debug, "seccomp: SECCOMP_FILTER_FLAG_SPEC_ALLOW not supported, left off");
    return {};
  }
  for (Flag f : *p.flags) {
    std::string what = "flag " + std::string(name_of(f)) + " (not supported by libseccomp or this kernel)";
    switch (f) {
      case Flag::tsync:
        TRY(set_attr(ctx, SCMP_FLTATR_CTL_TSYNC, 1, what));
        flags |= SECCOMP_FILTER_FLAG_TSYNC;
        break;
      case Flag::log:
        TRY(set_attr(ctx, SCMP_FLTATR_CTL_LOG, 1, what));
        flags |= SECCOMP_FILTER_FLAG_LOG;
        break;
      case Flag::spec_allow:
        TRY(set_attr(ctx, SCMP_FLTATR_CTL_SSB, 1, what));
        flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
        break;
      case Flag::wait_killable_recv:
#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6)
        TRY(set_attr(ctx, SCMP_FLTATR_CTL_WAITKILL, 1, what));
#endif
        // Only meaningful with a listener; load_filter() adds it when there is one.
        wait_killable = true;
        break;
    }
  }
  return {};
}

// Adds `action` for syscall `nr` under the conditions `args`.
//
// The runc quirk, kept for compatibility: libseccomp keeps one comparison per argument in
// a rule and refuses (EINVAL) a second one on the same argument. runc then falls back to
// one rule per comparison, which ORs them, and does so for all of the entry's comparisons,
// not only those sharing the index. crun does the same, and profiles written for them use
// it: {index 0, EQ x} and {index 0, EQ y} in one entry mean "argument 0 is x or y".
// Without a shared index the comparisons are ANDed in one rule, as the spec reads.
Status add_conditional_rule(scmp_filter_ctx ctx, uint32_t action, int nr, const std::vector<Arg>& args,
                            const std::string& name) {
  std::vector<scmp_arg_cmp> cmps;
  unsigned per_index[6] = {};
  bool shared_index = false;
  for (const Arg& a : args) {
    cmps.push_back(scmp_arg_cmp{a.index, scmp_op(a.op), a.value, a.value_two});
    shared_index |= ++per_index[a.index] > 1;
  }
  std::string what = "seccomp: add rule for syscall " + name;
  if (!shared_index) {
    int rc = seccomp_rule_add_array(ctx, action, nr, unsigned(cmps.size()), cmps.empty() ? nullptr : cmps.data());
    return rc < 0 ? Status(lib_error(rc, what)) : Status();
  }
  for (const auto& c : cmps) {
    int rc = seccomp_rule_add_array(ctx, action, nr, 1, &c);
    if (rc < 0) return lib_error(rc, what);
  }
  return {};
}

Status add_rule(scmp_filter_ctx ctx, const Rule& rule, size_t index, uint32_t default_action,
                std::vector<std::string>* debug) {
  uint32_t action = scmp_action(rule.action, rule.errno_or_default());
  // libseccomp refuses a rule that repeats the default action; it would change nothing.
  if (action == default_action) {
    note(debug, "seccomp: syscalls[" + std::to_string(index) + "] has the default action " +
                    std::string(name_of(rule.action)) + ", skipped");
    return {};
  }
  for (const auto& name : rule.names) {
    // Profiles list syscalls of newer kernels (and other architectures' names); like runc,
    // a name this libseccomp does not know is not an error.
    int nr = seccomp_syscall_resolve_name(name.c_str());
    if (nr == __NR_SCMP_ERROR) {
      note(debug, "seccomp: syscall " + name + " unknown, skipped");
      continue;
    }
    TRY(add_conditional_rule(ctx, action, nr, rule.args, name));
  }
  return {};
}

// libseccomp 2.5 exports only to an fd (seccomp_export_bpf_mem came in 2.6). A memfd,
// unlike a pipe, takes a program of any size without a reader on the other end.
Result<std::string> export_to_string(scmp_filter_ctx ctx, int (*exporter)(const scmp_filter_ctx, int),
                                     const char* what) {
  unique_fd fd(::memfd_create("vigil-seccomp", MFD_CLOEXEC));
  if (!fd) return Error::from_errno(std::string("seccomp: memfd_create for ") + what);
  int rc = exporter(ctx, fd.get());
  if (rc < 0) return lib_error(rc, std::string("seccomp: ") + what);
  if (::lseek(fd.get(), 0, SEEK_SET) < 0) return Error::from_errno(std::string("seccomp: rewind ") + what);
  return with_context(read_fd(fd.get()), std::string("seccomp: read ") + what);
}

Result<std::vector<sock_filter>> export_program(scmp_filter_ctx ctx) {
  auto bytes = TRY(export_to_string(ctx, seccomp_export_bpf, "seccomp_export_bpf"));
  if (bytes.empty() || bytes.size() % sizeof(sock_filter) != 0)
    return Error(EINVAL, "seccomp: libseccomp exported " + std::to_string(bytes.size()) + " bytes, not a BPF program");
  std::vector<sock_filter> prog(bytes.size() / sizeof(sock_filter));
  std::memcpy(prog.data(), bytes.data(), bytes.size());
  return prog;
}

size_t count_names(const Profile& p) {
  size_t n = 0;
  for (const auto& r : p.syscalls) n += r.names.size();
  return n;
}

}  // namespace

Filter::Filter(Filter&& o) noexcept
    : ctx_(std::exchange(o.ctx_, nullptr)),
      program_(std::move(o.program_)),
      flags_(o.flags_),
      wait_killable_(o.wait_killable_) {}

Filter& Filter::operator=(Filter&& o) noexcept {
  if (this != &o) {
    if (ctx_) seccomp_release(ctx_);
    ctx_ = std::exchange(o.ctx_, nullptr);
    program_ = std::move(o.program_);
    flags_ = o.flags_;
    wait_killable_ = o.wait_killable_;
  }
  return *this;
}

Filter::~Filter() {
  if (ctx_) seccomp_release(ctx_);
}

bool Filter::has_listener() const { return (flags_ & SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0; }

std::optional<uint32_t> arch_token(std::string_view name) {
  constexpr std::string_view prefix = "SCMP_ARCH_";
  if (!is_arch_name(name) || !name.starts_with(prefix)) return std::nullopt;
  std::string lower(name.substr(prefix.size()));
  for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
  uint32_t token = seccomp_arch_resolve_name(lower.c_str());
  if (token == 0) return std::nullopt;
  return token;
}

Result<Filter> build_filter(const Profile& p, std::vector<std::string>* debug) {
  uint32_t default_action = scmp_action(p.default_action, p.default_errno_or_default());
  Filter f;
  f.ctx_ = seccomp_init(default_action);
  if (!f.ctx_)
    return Error(EOPNOTSUPP, "seccomp: default action " + std::string(name_of(p.default_action)) +
                                 " is not supported by libseccomp or this kernel");
  // Whether no_new_privs is set is the runtime's decision (process.noNewPrivileges), made
  // before loading; libseccomp would otherwise set it on seccomp_load.
  TRY(set_attr(f.ctx_, SCMP_FLTATR_CTL_NNP, 0, "clear the no_new_privs attribute"));
  TRY(add_architectures(f.ctx_, p));
  TRY(apply_flags(f.ctx_, p, f.flags_, f.wait_killable_, debug));
  if (p.has_notify()) {
    // API level 5: libseccomp and the kernel both know SCMP_ACT_NOTIFY (libseccomp 2.5, Linux 5.0).
    if (unsigned level = seccomp_api_get(); level < 5)
      return Error(EOPNOTSUPP, "seccomp: SCMP_ACT_NOTIFY needs libseccomp API level 5, this one has " +
                                   std::to_string(level) + " (libseccomp >= 2.5 and Linux >= 5.0)");
    f.flags_ |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  }
  // A binary tree of syscalls instead of a linear list, as runc does past 32 names: much
  // faster for long profiles. libseccomp <= 2.5.4 misbehaves with it and no rules at all.
  if (count_names(p) > 32 && seccomp_attr_set(f.ctx_, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
    note(debug, "seccomp: binary tree optimization not available");
  for (size_t i = 0; i < p.syscalls.size(); i++) TRY(add_rule(f.ctx_, p.syscalls[i], i, default_action, debug));
  f.program_ = TRY(enosys_stub(p, debug));
  auto program = TRY(export_program(f.ctx_));
  f.program_.insert(f.program_.end(), program.begin(), program.end());
  // The kernel would refuse it with a bare EINVAL at load time, inside the container's init.
  if (f.program_.size() > BPF_MAXINSNS)
    return Error(EINVAL, "seccomp: the filter has " + std::to_string(f.program_.size()) +
                             " instructions, more than the kernel takes (" + std::to_string(BPF_MAXINSNS) + ")");
  return f;
}

Result<std::string> export_pfc(const Filter& f) {
  return export_to_string(f.ctx(), seccomp_export_pfc, "seccomp_export_pfc");
}

}  // namespace vigil::seccomp
