// The figures memory limits are judged on, per process and for the whole container, and the
// judgement (docs/POLICY.md, "The memory section"). A process's commitment is its private
// writable memory and stacks (statm's data, as the kernel counts it for RLIMIT_DATA and
// RLIMIT_STACK), read fresh at each of its notified calls, plus the shared memory objects it
// maps (memfd, shm, MAP_SHARED|MAP_ANONYMOUS), each object counted once over the parts of it
// that are mapped. What is kept between calls (shared objects, where the heap ends, the other
// processes' figures) can only be too high, as an unmap is not seen, or is dropped when it
// cannot be trusted (an exec): whenever a limit would be passed it is read again from the
// kernel before anything is refused.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/policy/memory_policy.hpp"

namespace vigil::supervisor {

// A part of a shared object [begin, end) in bytes, mapped by some process.
struct SharedExtent {
  dev_t dev = 0;
  ino_t ino = 0;
  uint64_t begin = 0, end = 0;
};

struct Statm {
  uint64_t size = 0;       // the virtual size (VmSize), bytes
  uint64_t committed = 0;  // private writable memory and stacks (VmData + VmStk), bytes
  bool new_task = false;   // the first figures of this thread id, or of a new task that reuses it
};

// What the ledger asks the kernel; a fake in the unit tests. Threads are named by thread id.
class MemorySource {
 public:
  virtual ~MemorySource() = default;
  virtual Result<Statm> statm(pid_t tid) = 0;
  virtual Result<pid_t> tgid(pid_t tid) = 0;
  // The shared memory objects the process maps (maps lines of shmem files).
  virtual Result<std::vector<SharedExtent>> shared(pid_t pid) = 0;
  // Where the process's heap ends now.
  virtual Result<uint64_t> heap_end(pid_t pid) = 0;
  // Every process of the container.
  virtual Result<std::vector<pid_t>> processes() = 0;
  // What the container's cgroup holds besides its processes' own memory and cannot reclaim
  // without an OOM kill: the kernel's memory for them, and the file pages they have mapped.
  virtual Result<uint64_t> cgroup_pinned() = 0;
  // `tid` is gone: whatever is kept for it can go.
  virtual void forget(pid_t tid) = 0;
  // Sets the soft RLIMIT_DATA of `tid`'s process to `bytes` (at most its hard limit).
  virtual Status set_data_limit(pid_t tid, uint64_t bytes) = 0;
};

// What one notified call asks for.
struct MemoryRequest {
  uint64_t committed = 0;              // new private memory (with no object), bytes
  std::optional<SharedExtent> object;  // or a part of a shared object, counted once
  uint64_t virtual_size = 0;           // new address space, bytes
  std::optional<uint64_t> brk;         // or brk to this break: the ledger knows the old one
};

struct Breach {
  std::string limit;  // "memory.max", "memory.vm_max", "memory.container_max"
  uint64_t limit_bytes = 0, current = 0, request = 0;
};

uint64_t page_size();
// `n` rounded up to whole pages, as the kernel maps it (saturating).
uint64_t page_up(uint64_t n);
// The bytes covered by `extents` of one object, overlaps counted once.
uint64_t covered_bytes(std::vector<SharedExtent> extents);
// Bytes of all objects in `extents`, each object's overlaps counted once.
uint64_t shared_bytes(const std::vector<SharedExtent>& extents);
// The bytes `e` adds to what `held` covers of its object.
uint64_t new_bytes_of(const std::vector<SharedExtent>& held, const SharedExtent& e);

class MemoryLedger {
 public:
  // `m.container_max` already resolved (memory_watch.hpp). `data_room`: the kernel holds brk,
  // each process's soft RLIMIT_DATA kept by settle() at memory.max less its shared memory.
  MemoryLedger(const policy::MemoryPolicy& m, MemorySource& source, bool data_room = false)
      : m_(m), source_(source), data_room_(data_room) {}

  // Judges `r` from thread `tid` against every limit: the first limit it would pass, or
  // nullopt. `r` is completed (a brk's bytes) for grant().
  Result<std::optional<Breach>> admit(pid_t tid, MemoryRequest& r);
  // `r` was let through: it counts until the kernel's figures are read again.
  void grant(pid_t tid, const MemoryRequest& r);
  // After a call of `tid` was judged: its process's soft RLIMIT_DATA set to what memory.max
  // leaves its private memory, when that changed (with data_room; a process not known yet
  // keeps the limit it inherited).
  Status settle(pid_t tid);
  // Where the heap of `tid`'s process ends, as brk answers when it refuses.
  uint64_t old_break(pid_t tid) const;
  // Some process of the container execs: heaps are no longer where they were.
  void exec_seen() { epoch_++; }
  // True the first time `tid`'s process passes `limit`: warn audits once per process and limit.
  bool first_warning(pid_t tid, const std::string& limit);
  size_t tracked() const { return procs_.size(); }
  // The process's commitment and the container's, with the request, as the last admit()
  // judged them (0 where no limit needed it): what learn mode records.
  struct Figures {
    uint64_t process = 0, container = 0;
  };
  Figures last() const { return last_; }
  const policy::MemoryPolicy& policy() const { return m_; }

 private:
  struct Process {
    uint64_t committed = 0, size = 0;
    std::vector<SharedExtent> shared;
    uint64_t heap_end = 0;
    uint64_t heap_epoch = UINT64_MAX;  // heap_end is good while this is epoch_
    std::vector<std::string> warned;
    uint64_t data_limit = UINT64_MAX;  // the soft RLIMIT_DATA settle() last set
  };
  // The process of `tid`, its figures fresh.
  Result<Process*> process_of(pid_t tid);
  Status reload_shared(pid_t pid, Process& p);
  Status sync_processes(pid_t keep);
  // The container's figure from the kept ones, and what `r` adds to it (its object counted
  // against every process's parts of it).
  std::pair<uint64_t, uint64_t> container_figure(const MemoryRequest& r) const;
  Result<std::optional<Breach>> check_container(pid_t pid, const MemoryRequest& r);
  void prune();

  policy::MemoryPolicy m_;
  MemorySource& source_;
  bool data_room_;
  std::unordered_map<pid_t, Process> procs_;  // by thread group id
  std::unordered_map<pid_t, pid_t> tgid_;     // thread id → its thread group
  uint64_t epoch_ = 0;
  uint64_t container_checks_ = 0;
  size_t prune_at_ = 256;
  ino_t next_anonymous_ = 0;
  Figures last_;  // stand-in inodes of MAP_SHARED|MAP_ANONYMOUS maps until maps are read
};

}  // namespace vigil::supervisor
