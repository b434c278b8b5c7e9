#include <fstream>
#include <iostream>
#include <sstream>

#include "cmd/command.hpp"
#include "cmd/units.hpp"
#include "runtime/base/json_parse.hpp"

namespace vigil::cmd {
namespace {

Result<cgroup::Resources> from_file(const std::string& path) {
  std::stringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(path);
    if (!in) return Error::from_errno("open " + path);
    text << in.rdbuf();
  }
  auto j = TRY(parse_json(text.str(), "--resources " + path));
  return cgroup::parse_resources(j, "resources");
}

// The value of a flag that was given, through `parse`; false when absent.
template <class T, class P>
Result<bool> flag(const po::variables_map& vm, const char* name, T& out, P parse) {
  if (!vm.count(name)) return false;
  auto v = parse(vm[name].as<std::string>());
  if (!v) return std::move(v).error().context(std::string("--") + name);
  out = *v;
  return true;
}

Result<int64_t> integer(const std::string& s) {
  try {
    size_t n;
    int64_t v = std::stoll(s, &n);
    if (n == s.size()) return v;
  } catch (...) {
  }
  return Error(EINVAL, "invalid number \"" + s + "\"");
}

Result<cgroup::Resources> resources_from(const po::variables_map& vm) {
  cgroup::Resources r;
  if (vm.count("resources")) r = TRY(from_file(vm["resources"].as<std::string>()));
  int64_t v;
  auto& mem = r.memory ? *r.memory : r.memory.emplace();
  if (TRY(flag(vm, "memory", v, parse_bytes))) mem.limit = v;
  if (TRY(flag(vm, "memory-reservation", v, parse_bytes))) mem.reservation = v;
  if (TRY(flag(vm, "memory-swap", v, parse_bytes))) mem.swap = v;
  if (TRY(flag(vm, "kernel-memory", v, parse_bytes))) mem.kernel = v;
  if (TRY(flag(vm, "kernel-memory-tcp", v, parse_bytes))) mem.kernel_tcp = v;
  auto& cpu = r.cpu ? *r.cpu : r.cpu.emplace();
  if (TRY(flag(vm, "cpu-shares", v, integer)) || TRY(flag(vm, "cpu-share", v, integer))) cpu.shares = uint64_t(v);
  if (TRY(flag(vm, "cpu-quota", v, integer))) cpu.quota = v;
  if (TRY(flag(vm, "cpu-period", v, integer))) cpu.period = uint64_t(v);
  if (TRY(flag(vm, "cpu-burst", v, integer))) cpu.burst = uint64_t(v);
  if (TRY(flag(vm, "cpu-rt-period", v, integer))) cpu.realtime_period = uint64_t(v);
  if (TRY(flag(vm, "cpu-rt-runtime", v, integer))) cpu.realtime_runtime = v;
  if (vm.count("cpuset-cpus")) cpu.cpus = vm["cpuset-cpus"].as<std::string>();
  if (vm.count("cpuset-mems")) cpu.mems = vm["cpuset-mems"].as<std::string>();
  if (TRY(flag(vm, "pids-limit", v, integer))) r.pids_limit = v;
  if (TRY(flag(vm, "blkio-weight", v, integer))) {
    if (v < 10 || v > 1000) return Error(EINVAL, "--blkio-weight must be 10 to 1000");
    (r.block_io ? *r.block_io : r.block_io.emplace()).weight = uint16_t(v);
  }
  return r;
}

}  // namespace

int update(const GlobalOptions& g, const Args& args) {
  po::options_description flags;
  auto add = flags.add_options();
  for (const char* name : {"resources", "memory", "memory-reservation", "memory-swap", "kernel-memory",
                           "kernel-memory-tcp", "cpu-shares", "cpu-share", "cpu-quota", "cpu-period", "cpu-burst",
                           "cpu-rt-period", "cpu-rt-runtime", "cpuset-cpus", "cpuset-mems", "pids-limit",
                           "blkio-weight", "l3-cache-schema", "mem-bw-schema"})
    add(name, po::value<std::string>());
  auto vm = parse(args, flags, {"id"});
  if (vm.count("l3-cache-schema") || vm.count("mem-bw-schema"))
    return fail("update: Intel RDT (--l3-cache-schema, --mem-bw-schema) is not supported by vigil");
  auto r = resources_from(vm);
  if (!r) return fail("update: " + r.error().str());
  auto st = update_container(g.root, required(vm, "id"), std::move(*r));
  return st ? 0 : fail(st.error().str());
}

}  // namespace vigil::cmd
