#include "runtime/supervisor/memory_source.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>
#include <string>

#include "runtime/base/file.hpp"
#include "runtime/cgroup/cgroup.hpp"
#include "runtime/process/process_handle.hpp"
#include "runtime/supervisor/memory_rlimits.hpp"
#include "runtime/supervisor/proc_maps.hpp"
#include "runtime/supervisor/tracee_files.hpp"

namespace vigil::supervisor {

Result<ProcMemorySource> ProcMemorySource::open(const std::string& cgroup, const std::string& memory) {
  unique_fd dir(::open(cgroup.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return Error::from_errno("open " + cgroup);
  ProcMemorySource source(std::move(dir));
  if (!memory.empty()) {
    source.memory_ = unique_fd(::open(memory.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!source.memory_) return Error::from_errno("open " + memory);
  }
  // memfd, MAP_SHARED|MAP_ANONYMOUS and System V segments all live on the kernel's one
  // internal shmem mount: a memfd of ours names its device.
  unique_fd probe(int(::memfd_create("vigil-shmem-probe", MFD_CLOEXEC)));
  struct stat st {};
  if (!probe || ::fstat(probe.get(), &st) < 0) return Error::from_errno("memfd_create");
  source.shmem_.insert(st.st_dev);
  source.kernel_shmem_ = st.st_dev;
  return source;
}

Status ProcMemorySource::set_data_limit(pid_t tid, uint64_t bytes) { return set_data_soft_limit(tid, bytes); }

Result<Statm> parse_statm(std::string_view text, uint64_t page) {
  // size resident shared text lib data dt, in pages; data is data_vm + stack_vm.
  unsigned long long size, resident, shared, code, lib, data;
  if (std::sscanf(std::string(text).c_str(), "%llu %llu %llu %llu %llu %llu", &size, &resident, &shared, &code, &lib,
                  &data) != 6)
    return Error(EINVAL, "statm: cannot parse \"" + std::string(text.substr(0, 80)) + "\"");
  return Statm{size * page, data * page};
}

Result<Statm> ProcMemorySource::statm(pid_t tid) {
  bool opened = false;
  for (int attempt = 0; attempt < 2; attempt++) {
    auto [it, added] = statm_.try_emplace(tid);
    if (added || !it->second) {
      std::string rel = std::to_string(tid) + "/statm";
      it->second = unique_fd(::openat(host_proc(), rel.c_str(), O_RDONLY | O_CLOEXEC));
      if (!it->second) {
        statm_.erase(it);
        return Error::from_errno("open /proc/" + rel);
      }
      opened = true;
    }
    char buf[256];
    ssize_t n = ::pread(it->second.get(), buf, sizeof buf - 1, 0);
    if (n > 0) {
      Statm st = TRY(parse_statm(std::string_view(buf, size_t(n)), page_size()));
      st.new_task = opened;
      return st;
    }
    // The task it was opened for is gone: the id may name another one now.
    it->second.reset();
    if (opened) break;
  }
  statm_.erase(tid);
  return Error(ESRCH, "/proc/" + std::to_string(tid) + "/statm: the task is gone");
}

Result<pid_t> ProcMemorySource::tgid(pid_t tid) {
  std::string value = TRY(status_field(tid, "Tgid"));
  return pid_t(std::strtol(value.c_str(), nullptr, 10));
}

Result<std::vector<SharedExtent>> ProcMemorySource::shared(pid_t pid) {
  std::vector<SharedExtent> out;
  for (const auto& m : TRY(read_maps(pid)))
    if (m.shared && shmem_.count(m.dev)) out.push_back({m.dev, m.inode, m.offset, m.offset + (m.end - m.start)});
  return out;
}

Result<std::vector<pid_t>> ProcMemorySource::processes() { return cgroup::pids_at(cgroup_.get()); }

Result<uint64_t> ProcMemorySource::heap_end(pid_t pid) {
  std::string rel = std::to_string(pid) + "/maps";
  unique_fd fd(::openat(host_proc(), rel.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Error::from_errno("open /proc/" + rel);
  // The heap follows the program's own mappings: a page or two of maps, not all of it.
  std::string text;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) return Error::from_errno("read /proc/" + rel);
    if (n == 0) break;
    text.append(buf, size_t(n));
    auto at = text.find(" [heap]\n");
    if (at == std::string::npos) continue;
    auto line = text.rfind('\n', at);
    unsigned long long start, end;
    if (std::sscanf(text.c_str() + (line == std::string::npos ? 0 : line + 1), "%llx-%llx", &start, &end) != 2)
      return Error(EINVAL, "/proc/" + rel + ": cannot parse [heap]");
    return uint64_t(end);
  }
  // No heap yet: it starts at start_brk, field 47 of stat.
  auto start_brk = stat_field(TRY(read_proc_file(pid, "stat")), 47);
  if (!start_brk) return Error(EINVAL, "/proc/" + std::to_string(pid) + "/stat: no start_brk");
  return uint64_t(std::strtoull(start_brk->c_str(), nullptr, 10));
}

Result<uint64_t> parse_cgroup_pinned(std::string_view stat, std::string_view kmem_usage) {
  std::map<std::string, uint64_t> fields;
  std::istringstream in{std::string(stat)};
  std::string key;
  for (uint64_t value; in >> key >> value;) fields[key] = value;
  auto field = [&](const char* name) { return fields.count(name) ? fields[name] : 0; };
  if (!kmem_usage.empty()) {  // v1: kmem has a file of its own; the stat is per hierarchy ("total_")
    char* end = nullptr;
    std::string text(kmem_usage);
    uint64_t kmem = std::strtoull(text.c_str(), &end, 10);
    if (end == text.c_str()) return Error(EINVAL, "memory.kmem.usage_in_bytes: cannot parse \"" + text + "\"");
    return kmem + field("total_mapped_file");
  }
  // v2: "kernel" since Linux 6.1; its parts before.
  uint64_t kernel = fields.count("kernel") ? field("kernel")
                                           : field("kernel_stack") + field("pagetables") + field("sec_pagetables") +
                                                 field("percpu") + field("sock") + field("slab_unreclaimable");
  return kernel + field("file_mapped");
}

Result<uint64_t> ProcMemorySource::cgroup_pinned() {
  if (!memory_) return uint64_t(0);
  auto read_at = [&](const char* name) -> Result<std::string> {
    unique_fd fd(::openat(memory_.get(), name, O_RDONLY | O_CLOEXEC));
    if (!fd) return Error::from_errno(std::string("open the container's ") + name);
    return read_fd(fd.get());
  };
  std::string stat = TRY(read_at("memory.stat"));
  auto kmem = read_at("memory.kmem.usage_in_bytes");
  // Without the v1 file: v2 (or a v1 kernel without kmem accounting, where there is none).
  return parse_cgroup_pinned(stat, kmem ? *kmem : "");
}

Result<uint64_t> shm_segment_size(int pidfd, int shmid) {
  if (::setns(pidfd, CLONE_NEWIPC) < 0) return Error::from_errno("setns to its IPC namespace");
  shmid_ds ds{};
  if (::shmctl(shmid, IPC_STAT, &ds) < 0) return Error::from_errno("shmctl IPC_STAT " + std::to_string(shmid));
  return uint64_t(ds.shm_segsz);
}

}  // namespace vigil::supervisor
