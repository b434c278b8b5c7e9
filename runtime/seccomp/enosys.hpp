// runc's answer to profiles older than the system calls a program makes: a call numbered
// above every call the profile names, on that architecture, gets ENOSYS instead of the
// profile's default errno. glibc and Go take ENOSYS as "this kernel lacks it" and fall back
// (clone3 → clone, faccessat2 → faccessat, close_range → close); EPERM they report as a
// failure. The rules, as runc's libcontainer/seccomp/patchbpf has them:
//   - only when the default action refuses: not for SCMP_ACT_ALLOW, SCMP_ACT_LOG or
//     SCMP_ACT_TRACE (a tracer is left to handle new calls), nor where the default already
//     is SCMP_ACT_ERRNO with ENOSYS;
//   - per architecture listed in `architectures` (none listed: no stub), its threshold the
//     largest number, on that architecture, of any name the profile lists, whatever that
//     rule's action; names unknown there are skipped;
//   - x86_64 and x32 share AUDIT_ARCH_X86_64 and are told apart by the x32 bit (1 << 30);
//   - on s390 and s390x, call 0 (the multiplexer of calls the kernel does not know) too.
// A call added out of order below the threshold (rare) keeps the default action.
#pragma once

#include <linux/filter.h>

#include <string>
#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/seccomp/profile.hpp"

namespace vigil::seccomp {

// The instructions to put before libseccomp's program, or none when the rules above ask for
// none. Each line of `debug` (may be null) tells a threshold.
Result<std::vector<sock_filter>> enosys_stub(const Profile& p, std::vector<std::string>* debug);

}  // namespace vigil::seccomp
