#include "runtime/cgroup/systemd/properties.hpp"

#include <charconv>

#include "runtime/cgroup/translate.hpp"

namespace vigil::cgroup::systemd {
namespace {

// systemd takes a CPU quota in whole percents, per second: 10 ms at the least.
constexpr uint64_t kQuotaStepUs = 10000;
constexpr uint64_t kMaxCpus = 8192;

Result<uint64_t> number(std::string_view s, const std::string& list) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || n >= kMaxCpus)
    return Error(EINVAL, "cpuset " + list + ": " + std::string(s) + " is not a CPU number");
  return n;
}

}  // namespace

Result<std::vector<uint8_t>> cpu_mask(const std::string& list) {
  std::vector<uint8_t> mask;
  size_t i = 0;
  while (i < list.size()) {
    size_t comma = list.find(',', i);
    if (comma == std::string::npos) comma = list.size();
    std::string_view item(list.data() + i, comma - i);
    size_t dash = item.find('-');
    uint64_t lo = TRY(number(item.substr(0, dash), list));
    uint64_t hi = dash == std::string_view::npos ? lo : TRY(number(item.substr(dash + 1), list));
    if (hi < lo) return Error(EINVAL, "cpuset " + list + ": " + std::string(item) + " is a reversed range");
    if (mask.size() < hi / 8 + 1) mask.resize(hi / 8 + 1);
    for (uint64_t c = lo; c <= hi; c++) mask[c / 8] |= uint8_t(1u << (c % 8));
    i = comma + 1;
  }
  return mask;
}

Result<std::vector<Property>> resource_properties(const Resources& r) {
  std::vector<Property> p;
  auto limit = [](int64_t v) { return v < 0 ? kInfinity : uint64_t(v); };
  if (r.memory) {
    const auto& m = *r.memory;
    if (m.limit && *m.limit != 0) p.push_back({"MemoryMax", limit(*m.limit)});
    if (m.reservation && *m.reservation > 0) p.push_back({"MemoryLow", uint64_t(*m.reservation)});
    // The spec's swap is memory and swap together (v1); systemd's, swap alone (v2).
    if (m.swap && *m.swap < 0) p.push_back({"MemorySwapMax", kInfinity});
    else if (m.swap && *m.swap > 0 && m.limit && *m.limit > 0 && *m.swap >= *m.limit)
      p.push_back({"MemorySwapMax", uint64_t(*m.swap - *m.limit)});
  }
  if (r.cpu) {
    const auto& c = *r.cpu;
    if (c.shares && *c.shares) p.push_back({"CPUWeight", shares_to_weight(*c.shares)});
    uint64_t period = c.period && *c.period ? *c.period : 100000;
    if (c.period && *c.period) p.push_back({"CPUQuotaPeriodUSec", period});
    if (c.quota && *c.quota < 0) p.push_back({"CPUQuotaPerSecUSec", kInfinity});
    else if (c.quota && *c.quota > 0) {
      uint64_t per_sec = uint64_t(*c.quota) * 1000000 / period;
      p.push_back({"CPUQuotaPerSecUSec", (per_sec + kQuotaStepUs - 1) / kQuotaStepUs * kQuotaStepUs});
    }
    if (!c.cpus.empty()) p.push_back({"AllowedCPUs", TRY(cpu_mask(c.cpus))});
    if (!c.mems.empty()) p.push_back({"AllowedMemoryNodes", TRY(cpu_mask(c.mems))});
  }
  if (r.pids_limit && *r.pids_limit != 0) p.push_back({"TasksMax", limit(*r.pids_limit)});
  if (r.block_io && r.block_io->weight && *r.block_io->weight)
    p.push_back({"IOWeight", blkio_to_io_weight(*r.block_io->weight)});
  return p;
}

}  // namespace vigil::cgroup::systemd
