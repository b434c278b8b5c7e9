#include "oci/spec.hpp"

#include <sched.h>
#include <sys/personality.h>

#include <iterator>
#include <utility>

namespace vigil::oci {

namespace {

struct NamespaceNames {
  NamespaceType type;
  const char* name;       // runtime-spec
  const char* proc_name;  // /proc/PID/ns/NAME
  int clone_flag;
};

constexpr NamespaceNames kNamespaces[] = {
    {NamespaceType::pid, "pid", "pid", CLONE_NEWPID},
    {NamespaceType::network, "network", "net", CLONE_NEWNET},
    {NamespaceType::mount, "mount", "mnt", CLONE_NEWNS},
    {NamespaceType::ipc, "ipc", "ipc", CLONE_NEWIPC},
    {NamespaceType::uts, "uts", "uts", CLONE_NEWUTS},
    {NamespaceType::user, "user", "user", CLONE_NEWUSER},
    {NamespaceType::cgroup, "cgroup", "cgroup", CLONE_NEWCGROUP},
    {NamespaceType::time, "time", "time", CLONE_NEWTIME},
};

// The table is in enum order, so a type indexes it directly.
constexpr bool in_enum_order() {
  for (size_t i = 0; i < std::size(kNamespaces); i++)
    if (size_t(kNamespaces[i].type) != i) return false;
  return true;
}
static_assert(in_enum_order());

const NamespaceNames& names_of(NamespaceType t) { return kNamespaces[size_t(t)]; }

constexpr std::pair<const char*, unsigned long> kPersonalityFlags[] = {
    {"UNAME26", UNAME26},
    {"ADDR_NO_RANDOMIZE", ADDR_NO_RANDOMIZE},
    {"FDPIC_FUNCPTRS", FDPIC_FUNCPTRS},
    {"MMAP_PAGE_ZERO", MMAP_PAGE_ZERO},
    {"ADDR_COMPAT_LAYOUT", ADDR_COMPAT_LAYOUT},
    {"READ_IMPLIES_EXEC", READ_IMPLIES_EXEC},
    {"ADDR_LIMIT_32BIT", ADDR_LIMIT_32BIT},
    {"SHORT_INODE", SHORT_INODE},
    {"WHOLE_SECONDS", WHOLE_SECONDS},
    {"STICKY_TIMEOUTS", STICKY_TIMEOUTS},
    {"ADDR_LIMIT_3GB", ADDR_LIMIT_3GB},
};

}  // namespace

const char* namespace_name(NamespaceType t) { return names_of(t).name; }
const char* namespace_proc_name(NamespaceType t) { return names_of(t).proc_name; }
int namespace_clone_flag(NamespaceType t) { return names_of(t).clone_flag; }

std::optional<NamespaceType> namespace_from_name(std::string_view name) {
  for (const auto& n : kNamespaces)
    if (name == n.name) return n.type;
  return std::nullopt;
}

std::optional<unsigned long> personality_flag(std::string_view name) {
  for (const auto& [flag_name, flag] : kPersonalityFlags)
    if (name == flag_name) return flag;
  return std::nullopt;
}

unsigned long personality_value(const Personality& p) {
  unsigned long value = p.domain == "LINUX32" ? PER_LINUX32 : PER_LINUX;
  for (const auto& f : p.flags) value |= personality_flag(f).value_or(0);
  return value;
}

}  // namespace vigil::oci
