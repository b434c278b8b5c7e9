// What `vigil features` reports under linux.seccomp (runtime-spec features-linux.md):
//   "actions": known_actions(), "operators": known_operators(), "archs": supported_archs(),
//   "knownFlags": known_flags(), "supportedFlags": supported_flags().
// The known_* lists are what parse_profile() accepts; the supported_* ones what the linked
// libseccomp and the running kernel can do (probed, nothing loaded).
#pragma once

#include <string>
#include <vector>

namespace vigil::seccomp {

std::vector<std::string> known_actions();
// The known actions the kernel implements (SECCOMP_GET_ACTION_AVAIL) and libseccomp can emit.
std::vector<std::string> supported_actions();

std::vector<std::string> known_operators();

std::vector<std::string> known_archs();
// The known architectures the linked libseccomp can build a filter for.
std::vector<std::string> supported_archs();

std::vector<std::string> known_flags();
// The known flags the kernel's seccomp(2) accepts (SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
// needs a listener as well, and is probed with one).
std::vector<std::string> supported_flags();

}  // namespace vigil::seccomp
