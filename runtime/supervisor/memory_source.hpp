// The kernel's figures for memory limits (memory_ledger.hpp), read from the host's /proc and
// the container's cgroup: statm, the shared lines of maps, cgroup.procs.
#pragma once

#include <sys/types.h>

#include <set>
#include <unordered_map>
#include <string_view>

#include "runtime/base/unique_fd.hpp"
#include "runtime/supervisor/memory_ledger.hpp"

namespace vigil::supervisor {

class ProcMemorySource : public MemorySource {
 public:
  // `cgroup`: the container's cgroup directory whose cgroup.procs lists it, `memory` its
  // memory controller's ("" for none); both kept as fds, as the judging thread may be in a
  // container's root. The device of the kernel's own shmem mount (memfd, shared anonymous
  // memory, System V segments) is found here; call before the supervisor confines itself.
  static Result<ProcMemorySource> open(const std::string& cgroup, const std::string& memory);
  Result<Statm> statm(pid_t tid) override;
  Result<pid_t> tgid(pid_t tid) override;
  Result<std::vector<SharedExtent>> shared(pid_t pid) override;
  Result<uint64_t> heap_end(pid_t pid) override;
  Result<std::vector<pid_t>> processes() override;
  void forget(pid_t tid) override { statm_.erase(tid); }
  Result<uint64_t> cgroup_pinned() override;
  Status set_data_limit(pid_t tid, uint64_t bytes) override;
  // Files on `dev` are shared memory (a tmpfs or hugetlbfs seen behind a mapped fd).
  void add_shmem_device(dev_t dev) { shmem_.insert(dev); }
  // Where System V segments live: their inode number is their shmid.
  dev_t kernel_shmem_device() const { return kernel_shmem_; }

 private:
  explicit ProcMemorySource(unique_fd cgroup) : cgroup_(std::move(cgroup)) {}
  unique_fd cgroup_, memory_;
  std::set<dev_t> shmem_;
  dev_t kernel_shmem_ = 0;
  // /proc/TID/statm kept open: a read is then one pread, and a task that is gone (its id
  // reused or not) fails it.
  std::unordered_map<pid_t, unique_fd> statm_;
};

// From the texts of a memory cgroup's memory.stat and, on cgroup v1, its
// memory.kmem.usage_in_bytes ("" on v2): the kernel's memory and the mapped file pages.
Result<uint64_t> parse_cgroup_pinned(std::string_view stat, std::string_view kmem_usage);

// The text of /proc/PID/statm, in bytes.
Result<Statm> parse_statm(std::string_view text, uint64_t page_size);

// The size of System V segment `shmid` in the namespace of the notified process `pidfd`
// (the calling thread joins that IPC namespace to ask).
Result<uint64_t> shm_segment_size(int pidfd, int shmid);

}  // namespace vigil::supervisor
