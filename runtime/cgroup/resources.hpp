// linux.resources, typed: what podman, containerd and `vigil update --resources` send.
// Absent fields stay nullopt and are never written, so the kernel's defaults stand.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/base/error.hpp"

namespace vigil::cgroup {

struct DeviceRule {
  bool allow = false;
  char type = 'a';             // a, c, b
  std::optional<int64_t> major, minor;  // nullopt: any (*)
  std::string access = "rwm";
};

struct Memory {
  std::optional<int64_t> limit, reservation, swap, kernel, kernel_tcp;
  std::optional<uint64_t> swappiness;
  std::optional<bool> disable_oom_killer;
};

struct Cpu {
  std::optional<uint64_t> shares, period, realtime_period;
  std::optional<int64_t> quota, realtime_runtime, idle;
  std::optional<uint64_t> burst;
  std::string cpus, mems;
};

struct WeightDevice {
  int64_t major = 0, minor = 0;
  std::optional<uint16_t> weight, leaf_weight;
};

struct ThrottleDevice {
  int64_t major = 0, minor = 0;
  uint64_t rate = 0;
};

struct BlockIO {
  std::optional<uint16_t> weight, leaf_weight;
  std::vector<WeightDevice> weight_device;
  std::vector<ThrottleDevice> read_bps, write_bps, read_iops, write_iops;
};

struct HugepageLimit {
  std::string page_size;  // "2MB"
  uint64_t limit = 0;
};

struct Network {
  std::optional<uint32_t> class_id;
  std::vector<std::pair<std::string, uint32_t>> priorities;  // interface, priority
};

struct Rdma {
  std::optional<uint32_t> hca_handles, hca_objects;
};

struct Resources {
  std::vector<DeviceRule> devices;
  std::optional<Memory> memory;
  std::optional<Cpu> cpu;
  std::optional<int64_t> pids_limit;
  std::optional<BlockIO> block_io;
  std::vector<HugepageLimit> hugepage_limits;
  std::optional<Network> network;
  std::map<std::string, Rdma> rdma;
  std::map<std::string, std::string> unified;
};

// `path` names the object in messages: "linux.resources" in config.json, "resources" for update.
Result<Resources> parse_resources(const nlohmann::json& j, const std::string& path);

}  // namespace vigil::cgroup
