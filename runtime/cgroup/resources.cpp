#include "runtime/cgroup/resources.hpp"

#include "oci/json_reader.hpp"

namespace vigil::cgroup {
namespace {

using oci::JsonReader;

Status get_weight(const JsonReader& r, std::string_view key, std::optional<uint16_t>& out) {
  std::optional<uint32_t> v;
  TRY(r.get(key, v));
  if (!v) return {};
  if (*v > 1000) return Error::msg(r.member_path(key) + " must be at most 1000");
  out = uint16_t(*v);
  return {};
}

Result<DeviceRule> read_device(const JsonReader& r) {
  DeviceRule d;
  TRY(r.require("allow", d.allow));
  std::string type = "a";
  TRY(r.get("type", type));
  if (type != "a" && type != "c" && type != "b")
    return Error::msg(r.member_path("type") + " must be a, c or b (got " + oci::quote(type) + ")");
  d.type = type[0];
  TRY(r.get("major", d.major));
  TRY(r.get("minor", d.minor));
  TRY(r.get("access", d.access));
  if (d.access.empty()) d.access = "rwm";
  for (char c : d.access)
    if (c != 'r' && c != 'w' && c != 'm')
      return Error::msg(r.member_path("access") + " must be made of r, w and m (got " + oci::quote(d.access) + ")");
  return d;
}

Result<Memory> read_memory(const JsonReader& r) {
  Memory m;
  TRY(r.get("limit", m.limit));
  TRY(r.get("reservation", m.reservation));
  TRY(r.get("swap", m.swap));
  TRY(r.get("kernel", m.kernel));
  TRY(r.get("kernelTCP", m.kernel_tcp));
  TRY(r.get("swappiness", m.swappiness));
  if (m.swappiness && *m.swappiness > 100) return Error::msg(r.member_path("swappiness") + " must be 0 to 100");
  TRY(r.get("disableOOMKiller", m.disable_oom_killer));
  return m;
}

Result<Cpu> read_cpu(const JsonReader& r) {
  Cpu c;
  TRY(r.get("shares", c.shares));
  TRY(r.get("quota", c.quota));
  TRY(r.get("period", c.period));
  TRY(r.get("realtimeRuntime", c.realtime_runtime));
  TRY(r.get("realtimePeriod", c.realtime_period));
  TRY(r.get("cpus", c.cpus));
  TRY(r.get("mems", c.mems));
  TRY(r.get("idle", c.idle));
  TRY(r.get("burst", c.burst));
  return c;
}

Result<std::vector<ThrottleDevice>> read_throttles(const JsonReader& r, std::string_view key) {
  std::vector<ThrottleDevice> out;
  for (const auto& e : TRY(r.array(key))) {
    ThrottleDevice t;
    TRY(e.require("major", t.major));
    TRY(e.require("minor", t.minor));
    TRY(e.require("rate", t.rate));
    out.push_back(t);
  }
  return out;
}

Result<BlockIO> read_block_io(const JsonReader& r) {
  BlockIO b;
  TRY(get_weight(r, "weight", b.weight));
  TRY(get_weight(r, "leafWeight", b.leaf_weight));
  for (const auto& e : TRY(r.array("weightDevice"))) {
    WeightDevice w;
    TRY(e.require("major", w.major));
    TRY(e.require("minor", w.minor));
    TRY(get_weight(e, "weight", w.weight));
    TRY(get_weight(e, "leafWeight", w.leaf_weight));
    b.weight_device.push_back(w);
  }
  b.read_bps = TRY(read_throttles(r, "throttleReadBpsDevice"));
  b.write_bps = TRY(read_throttles(r, "throttleWriteBpsDevice"));
  b.read_iops = TRY(read_throttles(r, "throttleReadIOPSDevice"));
  b.write_iops = TRY(read_throttles(r, "throttleWriteIOPSDevice"));
  return b;
}

}  // namespace

Result<Resources> parse_resources(const nlohmann::json& j, const std::string& path) {
  Resources res;
  if (j.is_null()) return res;
  JsonReader r(j, path);
  if (!j.is_object()) return r.error("must be an object");
  for (const auto& d : TRY(r.array("devices"))) res.devices.push_back(TRY(read_device(d)));
  if (auto m = TRY(r.object("memory"))) res.memory = TRY(read_memory(*m));
  if (auto c = TRY(r.object("cpu"))) res.cpu = TRY(read_cpu(*c));
  if (auto p = TRY(r.object("pids"))) {
    int64_t limit = 0;
    TRY(p->require("limit", limit));
    res.pids_limit = limit;
  }
  if (auto b = TRY(r.object("blockIO"))) res.block_io = TRY(read_block_io(*b));
  for (const auto& h : TRY(r.array("hugepageLimits"))) {
    HugepageLimit l;
    TRY(h.require("pageSize", l.page_size));
    TRY(h.require("limit", l.limit));
    res.hugepage_limits.push_back(l);
  }
  if (auto n = TRY(r.object("network"))) {
    Network net;
    TRY(n->get("classID", net.class_id));
    for (const auto& p : TRY(n->array("priorities"))) {
      std::string name;
      uint32_t prio = 0;
      TRY(p.require("name", name));
      TRY(p.require("priority", prio));
      net.priorities.emplace_back(name, prio);
    }
    res.network = net;
  }
  if (auto rd = TRY(r.object("rdma"))) {
    for (const auto& [dev, limits] : TRY(rd->members())) {
      Rdma l;
      TRY(limits.get("hcaHandles", l.hca_handles));
      TRY(limits.get("hcaObjects", l.hca_objects));
      res.rdma[dev] = l;
    }
  }
  TRY(r.get("unified", res.unified));
  for (const auto& [key, value] : res.unified)
    if (key.find('/') != std::string::npos || key.find("..") != std::string::npos || key.rfind("cgroup.", 0) == 0)
      return Error::msg(r.member_path("unified") + ": key " + oci::quote(key) + " is not a resource file");
  return res;
}

}  // namespace vigil::cgroup
