#include "runtime/cgroup/stats.hpp"

#include <sstream>

#include "runtime/base/file.hpp"

namespace vigil::cgroup {
namespace {

using nlohmann::json;

std::string read(const Dir* d, const std::string& file) { return d ? read_file(d->path + "/" + file).value_or("") : ""; }

uint64_t number(const std::string& text) {
  if (text.rfind("max", 0) == 0) return UINT64_MAX;
  try {
    return std::stoull(text);
  } catch (...) {
    return 0;
  }
}

// "key value" lines (memory.stat, cpu.stat, memory.events) as a map.
std::map<std::string, uint64_t> keyed(const std::string& text) {
  std::map<std::string, uint64_t> out;
  std::istringstream in(text);
  std::string key;
  uint64_t value;
  while (in >> key >> value) out[key] = value;
  return out;
}

std::vector<uint64_t> numbers(const std::string& text) {
  std::vector<uint64_t> out;
  std::istringstream in(text);
  uint64_t v;
  while (in >> v) out.push_back(v);
  return out;
}

json cpu_stats(const Cgroup& cg) {
  json usage = json::object(), throttling = json::object();
  if (const Dir* acct = cg.find("cpuacct"); acct && !acct->hierarchy.v2) {
    auto stat = keyed(read(acct, "cpuacct.stat"));
    // cpuacct.stat counts USER_HZ ticks; runc reports nanoseconds.
    const uint64_t ns_per_tick = 1000000000ull / uint64_t(sysconf(_SC_CLK_TCK));
    usage = {{"total", number(read(acct, "cpuacct.usage"))},
             {"percpu", numbers(read(acct, "cpuacct.usage_percpu"))},
             {"percpu_kernel", numbers(read(acct, "cpuacct.usage_percpu_sys"))},
             {"percpu_user", numbers(read(acct, "cpuacct.usage_percpu_user"))},
             {"kernel", stat["system"] * ns_per_tick},
             {"user", stat["user"] * ns_per_tick}};
  }
  if (const Dir* cpu = cg.find("cpu")) {
    auto stat = keyed(read(cpu, "cpu.stat"));
    if (cpu->hierarchy.v2)
      usage = {{"total", stat["usage_usec"] * 1000}, {"kernel", stat["system_usec"] * 1000}, {"user", stat["user_usec"] * 1000}};
    throttling = {{"periods", stat["nr_periods"]},
                  {"throttledPeriods", stat["nr_throttled"]},
                  {"throttledTime", cpu->hierarchy.v2 ? stat["throttled_usec"] * 1000 : stat["throttled_time"]}};
  }
  return {{"usage", usage}, {"throttling", throttling}};
}

json memory_stats(const Cgroup& cg) {
  const Dir* d = cg.find("memory");
  if (!d) return json::object();
  auto entry = [&](const std::string& prefix) {
    return json{{"usage", number(read(d, prefix + "usage_in_bytes"))},
                {"max", number(read(d, prefix + "max_usage_in_bytes"))},
                {"failcnt", number(read(d, prefix + "failcnt"))},
                {"limit", number(read(d, prefix + "limit_in_bytes"))}};
  };
  auto stat = keyed(read(d, "memory.stat"));
  if (!d->hierarchy.v2)
    return {{"cache", stat["total_cache"]},  {"usage", entry("memory.")},
            {"swap", entry("memory.memsw.")}, {"kernel", entry("memory.kmem.")},
            {"kernelTCP", entry("memory.kmem.tcp.")}, {"raw", stat}};
  auto events = keyed(read(d, "memory.events"));
  uint64_t usage = number(read(d, "memory.current")), swap = number(read(d, "memory.swap.current"));
  return {{"cache", stat["file"]},
          {"usage", {{"usage", usage}, {"max", number(read(d, "memory.peak"))}, {"failcnt", events["max"]},
                     {"limit", number(read(d, "memory.max"))}}},
          {"swap", {{"usage", usage + swap}, {"limit", number(read(d, "memory.swap.max"))}}},
          {"raw", stat}};
}

json blkio_stats(const Cgroup& cg) {
  const Dir* d = cg.find("blkio");
  if (!d) return json::object();
  json bytes = json::array(), ios = json::array();
  if (!d->hierarchy.v2) {
    // "8:0 Read 4096" lines, and a "Total" line without a device.
    auto parse = [&](const std::string& file, json& out) {
      std::istringstream in(read(d, file));
      std::string devno, op;
      uint64_t value;
      while (in >> devno) {
        if (devno == "Total") {
          in >> value;
          continue;
        }
        if (!(in >> op >> value)) break;
        auto colon = devno.find(':');
        out.push_back({{"major", std::stoull(devno.substr(0, colon))},
                       {"minor", std::stoull(devno.substr(colon + 1))}, {"op", op}, {"value", value}});
      }
    };
    parse("blkio.throttle.io_service_bytes_recursive", bytes);
    parse("blkio.throttle.io_serviced_recursive", ios);
  } else {
    // io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 ..."
    std::istringstream in(read(d, "io.stat"));
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream f(line);
      std::string devno, kv;
      f >> devno;
      auto colon = devno.find(':');
      if (colon == std::string::npos) continue;
      uint64_t major = std::stoull(devno.substr(0, colon)), minor = std::stoull(devno.substr(colon + 1));
      while (f >> kv) {
        auto eq = kv.find('=');
        std::string k = kv.substr(0, eq);
        uint64_t v = number(kv.substr(eq + 1));
        json e = {{"major", major}, {"minor", minor}, {"value", v}};
        if (k == "rbytes" || k == "wbytes") e["op"] = k == "rbytes" ? "Read" : "Write", bytes.push_back(e);
        if (k == "rios" || k == "wios") e["op"] = k == "rios" ? "Read" : "Write", ios.push_back(e);
      }
    }
  }
  return {{"ioServiceBytesRecursive", bytes}, {"ioServicedRecursive", ios}};
}

json hugetlb_stats(const Cgroup& cg) {
  json out = json::object();
  const Dir* d = cg.find("hugetlb");
  if (!d) return out;
  for (const char* size : {"2MB", "1GB"}) {
    std::string p = std::string("hugetlb.") + size;
    if (d->hierarchy.v2)
      out[size] = {{"usage", number(read(d, p + ".current"))},
                   {"max", number(read(d, p + ".max"))},
                   {"failcnt", keyed(read(d, p + ".events"))["max"]}};
    else
      out[size] = {{"usage", number(read(d, p + ".usage_in_bytes"))},
                   {"max", number(read(d, p + ".max_usage_in_bytes"))},
                   {"failcnt", number(read(d, p + ".failcnt"))}};
  }
  return out;
}

}  // namespace

json read_stats(const Cgroup& cg) {
  const Dir* pids = cg.find("pids");
  return {{"cpu", cpu_stats(cg)},
          {"memory", memory_stats(cg)},
          {"pids", {{"current", number(read(pids, "pids.current"))}, {"limit", number(read(pids, "pids.max"))}}},
          {"blkio", blkio_stats(cg)},
          {"hugetlb", hugetlb_stats(cg)}};
}

std::optional<uint64_t> oom_kills(const Cgroup& cg) {
  const Dir* d = cg.find("memory");
  if (!d) return std::nullopt;
  auto m = keyed(read(d, d->hierarchy.v2 ? "memory.events" : "memory.oom_control"));
  return m["oom_kill"];
}

}  // namespace vigil::cgroup
