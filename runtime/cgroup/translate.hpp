// linux.resources → the files to write, for each controller on whichever hierarchy (v1 or
// v2) carries it on this host. Pure: unit-tested against both layouts without a cgroupfs.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/cgroup/resources.hpp"

namespace vigil::cgroup {

struct Write {
  std::string controller;  // "memory", "cpu", ... ; the hierarchy is chosen by it
  std::string file;        // "memory.limit_in_bytes" or "memory.max"
  std::string value;
  // Only a warning where the host lacks the file: kernel memory limits (gone from newer
  // kernels) and values that are the kernel's default anyway (-1 memory, 1024 shares).
  bool optional = false;
};

// Where a controller lives on this host.
enum class Where { v1, v2, absent };
using Locate = std::function<Where(const std::string& controller)>;

// The writes in a working order (device rules only for v1: v2 takes an eBPF program) (period before quota, limit before memsw, ...). A resource
// that no hierarchy carries, or that its hierarchy has no file for, is an error naming the
// controller and the file; absent fields produce nothing.
Result<std::vector<Write>> translate(const Resources& r, const Locate& where);

// cpu.shares (v1, 2..262144) → cpu.weight (v2, 1..10000), as runc and crun convert it.
uint64_t shares_to_weight(uint64_t shares);
// blkio.weight (v1, 10..1000) → io.weight (v2, 1..10000).
uint64_t blkio_to_io_weight(uint64_t weight);
// Device rules → the lines for devices.allow / devices.deny (v1), in order.
std::vector<Write> v1_device_writes(const std::vector<DeviceRule>& rules);

}  // namespace vigil::cgroup
