#include "runtime/cgroup/translate.hpp"

namespace vigil::cgroup {
namespace {

std::string num(int64_t v) { return std::to_string(v); }
std::string max_or(int64_t v) { return v < 0 ? "max" : std::to_string(v); }
std::string dev(int64_t major, int64_t minor) { return num(major) + ":" + num(minor); }

class Builder {
 public:
  explicit Builder(const Locate& where) : where_(where) {}

  // Adds a write to whichever hierarchy has `controller`; v1_file/v2_file empty means that
  // version has no such knob, which is an error for a value that was asked for.
  Status add(const std::string& controller, const std::string& v1_file, const std::string& v2_file,
             const std::string& v1_value, const std::string& v2_value, bool optional = false) {
    Where w = where_(controller);
    if (w == Where::absent) {
      if (optional) return {};
      return Error(ENOENT, "the " + controller + " controller is not available on this host (needed for " +
                               (v1_file.empty() ? v2_file : v1_file) + ")");
    }
    const std::string& file = w == Where::v1 ? v1_file : v2_file;
    if (file.empty()) {
      if (optional) return {};
      return Error(ENOTSUP, std::string("cgroup ") + (w == Where::v1 ? "v1" : "v2") + " has no equivalent of " +
                                (w == Where::v1 ? v2_file : v1_file) + " in the " + controller + " controller");
    }
    out_.push_back({controller, file, w == Where::v1 ? v1_value : v2_value, optional});
    return {};
  }
  Status same(const std::string& controller, const std::string& file, const std::string& value) {
    return add(controller, file, file, value, value);
  }
  Where where(const std::string& c) const { return where_(c); }
  void push(Write w) { out_.push_back(std::move(w)); }
  std::vector<Write> take() { return std::move(out_); }

 private:
  const Locate& where_;
  std::vector<Write> out_;
};

// As in runc, 0 means "not set" for these fields.
template <class T>
bool set(const std::optional<T>& v) {
  return v && *v != 0;
}

Status memory(Builder& b, const Memory& m) {
  // -1 (unlimited) is what the kernel has anyway: a host without the file is no error for it.
  if (set(m.limit))
    TRY(b.add("memory", "memory.limit_in_bytes", "memory.max", num(*m.limit), max_or(*m.limit), *m.limit < 0));
  if (set(m.reservation))
    TRY(b.add("memory", "memory.soft_limit_in_bytes", "memory.low", num(*m.reservation), max_or(*m.reservation),
              *m.reservation < 0));
  if (set(m.swap)) {
    // OCI's swap is memory+swap, as v1's memsw; v2's swap.max counts swap alone.
    std::string v2 = *m.swap < 0 || !m.limit || *m.limit < 0 ? max_or(*m.swap) : num(*m.swap - *m.limit);
    TRY(b.add("memory", "memory.memsw.limit_in_bytes", "memory.swap.max", num(*m.swap), v2, *m.swap < 0));
  }
  if (m.swappiness) TRY(b.add("memory", "memory.swappiness", "", num(int64_t(*m.swappiness)), ""));
  if (m.disable_oom_killer && *m.disable_oom_killer) TRY(b.add("memory", "memory.oom_control", "", "1", ""));
  // Kernel memory accounting is gone from newer kernels; where it is, it is only a warning.
  if (m.kernel) TRY(b.add("memory", "memory.kmem.limit_in_bytes", "", num(*m.kernel), "", true));
  if (m.kernel_tcp) TRY(b.add("memory", "memory.kmem.tcp.limit_in_bytes", "", num(*m.kernel_tcp), "", true));
  return {};
}

Status cpu(Builder& b, const Cpu& c) {
  if (set(c.shares))
    TRY(b.add("cpu", "cpu.shares", "cpu.weight", num(int64_t(*c.shares)), num(int64_t(shares_to_weight(*c.shares))),
              *c.shares == 1024));
  if (set(c.quota) || set(c.period)) {
    // v1: the period first, so a quota is never checked against the old period.
    if (b.where("cpu") == Where::v1) {
      if (set(c.period)) TRY(b.same("cpu", "cpu.cfs_period_us", num(int64_t(*c.period))));
      if (set(c.quota)) TRY(b.same("cpu", "cpu.cfs_quota_us", num(*c.quota)));
    } else {
      std::string quota = set(c.quota) && *c.quota > 0 ? num(*c.quota) : "max";
      TRY(b.same("cpu", "cpu.max", quota + " " + num(int64_t(set(c.period) ? *c.period : 100000))));
    }
  }
  if (c.burst) TRY(b.add("cpu", "cpu.cfs_burst_us", "cpu.max.burst", num(int64_t(*c.burst)), num(int64_t(*c.burst))));
  if (set(c.realtime_period)) TRY(b.add("cpu", "cpu.rt_period_us", "", num(int64_t(*c.realtime_period)), ""));
  if (set(c.realtime_runtime)) TRY(b.add("cpu", "cpu.rt_runtime_us", "", num(*c.realtime_runtime), ""));
  if (c.idle) TRY(b.same("cpu", "cpu.idle", num(*c.idle)));
  if (!c.cpus.empty()) TRY(b.same("cpuset", "cpuset.cpus", c.cpus));
  if (!c.mems.empty()) TRY(b.same("cpuset", "cpuset.mems", c.mems));
  return {};
}

Status block_io(Builder& b, const BlockIO& io) {
  if (set(io.weight))
    TRY(b.add("blkio", "blkio.weight", "io.weight", num(*io.weight), num(int64_t(blkio_to_io_weight(*io.weight)))));
  if (set(io.leaf_weight)) TRY(b.add("blkio", "blkio.leaf_weight", "", num(*io.leaf_weight), ""));
  for (const auto& w : io.weight_device) {
    if (set(w.weight))
      TRY(b.add("blkio", "blkio.weight_device", "io.weight", dev(w.major, w.minor) + " " + num(*w.weight),
                dev(w.major, w.minor) + " " + num(int64_t(blkio_to_io_weight(*w.weight)))));
    if (set(w.leaf_weight))
      TRY(b.add("blkio", "blkio.leaf_weight_device", "", dev(w.major, w.minor) + " " + num(*w.leaf_weight), ""));
  }
  const std::tuple<const std::vector<ThrottleDevice>*, const char*, const char*> throttles[] = {
      {&io.read_bps, "blkio.throttle.read_bps_device", "rbps"},
      {&io.write_bps, "blkio.throttle.write_bps_device", "wbps"},
      {&io.read_iops, "blkio.throttle.read_iops_device", "riops"},
      {&io.write_iops, "blkio.throttle.write_iops_device", "wiops"},
  };
  for (const auto& [list, v1_file, v2_key] : throttles)
    for (const auto& t : *list) {
      std::string d = dev(t.major, t.minor);
      TRY(b.add("blkio", v1_file, "io.max", d + " " + num(int64_t(t.rate)), d + " " + v2_key + "=" + num(int64_t(t.rate))));
    }
  return {};
}

}  // namespace

uint64_t shares_to_weight(uint64_t shares) {
  if (shares == 0) return 0;
  if (shares < 2) shares = 2;
  if (shares > 262144) shares = 262144;
  return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t blkio_to_io_weight(uint64_t weight) {
  if (weight == 0) return 0;
  return 1 + (weight - 10) * 9999 / 990;
}

std::vector<Write> v1_device_writes(const std::vector<DeviceRule>& rules) {
  std::vector<Write> out;
  for (const auto& r : rules) {
    auto part = [](const std::optional<int64_t>& v) { return v && *v >= 0 ? std::to_string(*v) : std::string("*"); };
    std::string line = std::string(1, r.type) + " " + part(r.major) + ":" + part(r.minor) + " " + r.access;
    out.push_back({"devices", r.allow ? "devices.allow" : "devices.deny", line});
  }
  return out;
}

Result<std::vector<Write>> translate(const Resources& r, const Locate& where) {
  Builder b(where);
  if (r.memory) TRY(memory(b, *r.memory));
  if (r.cpu) TRY(cpu(b, *r.cpu));
  if (r.pids_limit && *r.pids_limit != 0) TRY(b.same("pids", "pids.max", max_or(*r.pids_limit)));
  if (r.block_io) TRY(block_io(b, *r.block_io));
  for (const auto& h : r.hugepage_limits)
    TRY(b.add("hugetlb", "hugetlb." + h.page_size + ".limit_in_bytes", "hugetlb." + h.page_size + ".max",
              num(int64_t(h.limit)), num(int64_t(h.limit))));
  if (r.network) {
    if (r.network->class_id) TRY(b.add("net_cls", "net_cls.classid", "", num(*r.network->class_id), ""));
    for (const auto& [ifname, prio] : r.network->priorities)
      TRY(b.add("net_prio", "net_prio.ifpriomap", "", ifname + " " + num(prio), ""));
  }
  for (const auto& [device, l] : r.rdma) {
    std::string v = device;
    if (l.hca_handles) v += " hca_handle=" + num(*l.hca_handles);
    if (l.hca_objects) v += " hca_object=" + num(*l.hca_objects);
    TRY(b.same("rdma", "rdma.max", v));
  }
  for (const auto& [key, value] : r.unified) {
    std::string controller = key.substr(0, key.find('.'));
    if (where(controller) != Where::v2)
      return Error(ENOTSUP, "unified." + key + ": the " + controller + " controller is not on a cgroup v2 hierarchy here");
    b.push({controller, key, value});
  }
  // On v2 the rules are an eBPF program (device_filter.hpp), not files.
  if (!r.devices.empty() && where("devices") == Where::v1)
    for (auto& d : v1_device_writes(r.devices)) b.push(std::move(d));
  return b.take();
}

}  // namespace vigil::cgroup
