#include "runtime/supervisor/memory_ledger.hpp"

#include <algorithm>
#include <limits>
#include <tuple>
#include <unordered_set>

#include <unistd.h>

namespace vigil::supervisor {
namespace {

bool same_object(const SharedExtent& a, const SharedExtent& b) { return a.dev == b.dev && a.ino == b.ino; }

// How often the container's figure is rebuilt from its process list even far from its limit:
// processes that have not made a notified call yet (forked children) count from then on.
constexpr uint64_t kSyncEvery = 64;
constexpr uint64_t kCgroupReserve = 128;  // 1/128 of a "cgroup" limit (check_container)

}  // namespace

uint64_t page_size() {
  static const uint64_t page = uint64_t(::sysconf(_SC_PAGESIZE));
  return page;
}

uint64_t page_up(uint64_t n) {
  uint64_t page = page_size();
  return n > UINT64_MAX - page ? UINT64_MAX : (n + page - 1) / page * page;
}

uint64_t covered_bytes(std::vector<SharedExtent> extents) {
  std::sort(extents.begin(), extents.end(), [](const auto& a, const auto& b) { return a.begin < b.begin; });
  uint64_t total = 0, reached = 0;
  for (const auto& e : extents) {
    uint64_t from = std::max(e.begin, reached);
    if (e.end > from) total += e.end - from;
    reached = std::max(reached, e.end);
  }
  return total;
}

uint64_t shared_bytes(const std::vector<SharedExtent>& extents) {
  auto sorted = extents;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return std::tie(a.dev, a.ino) < std::tie(b.dev, b.ino); });
  uint64_t total = 0;
  for (auto it = sorted.begin(); it != sorted.end();) {
    auto next = std::find_if(it, sorted.end(), [&](const auto& e) { return !same_object(e, *it); });
    total += covered_bytes({it, next});
    it = next;
  }
  return total;
}

uint64_t new_bytes_of(const std::vector<SharedExtent>& held, const SharedExtent& e) {
  std::vector<SharedExtent> same;
  for (const auto& h : held)
    if (same_object(h, e)) same.push_back(h);
  uint64_t before = covered_bytes(same);
  same.push_back(e);
  return covered_bytes(same) - before;
}

Status MemoryLedger::reload_shared(pid_t pid, Process& p) {
  p.shared = TRY(source_.shared(pid));
  return {};
}

Result<MemoryLedger::Process*> MemoryLedger::process_of(pid_t tid) {
  auto st = TRY(source_.statm(tid));
  auto known = tgid_.find(tid);
  bool renewed = false;
  if (st.new_task || known == tgid_.end()) {
    pid_t group = TRY(source_.tgid(tid));
    // A thread group leader seen anew may be a new process under a reused id: nothing kept
    // under that id is trusted.
    renewed = st.new_task && group == tid;
    known = tgid_.insert_or_assign(tid, group).first;
  }
  pid_t pid = known->second;
  auto [it, added] = procs_.try_emplace(pid);
  Process& p = it->second;
  p.committed = st.committed;
  p.size = st.size;
  if (renewed && !added) {
    p.heap_epoch = UINT64_MAX;
    p.warned.clear();
    p.data_limit = UINT64_MAX;
  }
  if (added || renewed) {
    if (Status loaded = reload_shared(pid, p); !loaded) {
      procs_.erase(it);
      return std::move(loaded).error();
    }
  }
  return &p;
}

Status MemoryLedger::sync_processes(pid_t keep) {
  auto listed = TRY(source_.processes());
  std::unordered_set<pid_t> now(listed.begin(), listed.end());
  // `keep` even if the listing missed it: it is in the middle of a call (it moved cgroup).
  std::erase_if(procs_, [&](const auto& entry) { return entry.first != keep && !now.count(entry.first); });
  for (pid_t pid : listed) {
    auto [it, added] = procs_.try_emplace(pid);
    if (!added) continue;
    auto st = source_.statm(pid);
    // Gone since it was listed.
    if (!st || !reload_shared(pid, it->second)) {
      procs_.erase(it);
      continue;
    }
    tgid_[pid] = pid;
    it->second.committed = st->committed;
    it->second.size = st->size;
  }
  return {};
}

std::pair<uint64_t, uint64_t> MemoryLedger::container_figure(const MemoryRequest& r) const {
  uint64_t committed = 0;
  std::vector<SharedExtent> all;
  for (const auto& [pid, p] : procs_) {
    committed += p.committed;
    all.insert(all.end(), p.shared.begin(), p.shared.end());
  }
  return {committed + shared_bytes(all), r.object ? new_bytes_of(all, *r.object) : r.committed};
}

void MemoryLedger::prune() {
  if (procs_.size() + tgid_.size() < prune_at_) return;
  std::erase_if(tgid_, [&](const auto& entry) {
    auto st = source_.statm(entry.first);
    if (st && !st->new_task) return false;
    source_.forget(entry.first);
    return true;
  });
  std::erase_if(procs_, [&](const auto& entry) {
    auto group = tgid_.find(entry.first);
    return group == tgid_.end() || group->second != entry.first;
  });
  prune_at_ = std::max<size_t>(256, 2 * (procs_.size() + tgid_.size()));
}

Result<std::optional<Breach>> MemoryLedger::check_container(pid_t pid, const MemoryRequest& r) {
  auto [current, request] = container_figure(r);
  // "cgroup": the limit is the kernel's OOM line, which the kernel's own part counts towards,
  // with a reserve of 1/128 for what it charges between two readings (page tables of the
  // memory granted, slab): without it a cgroup filled by small mallocs was now and then
  // OOM-killed within 200 KiB of its limit.
  uint64_t pinned = 0;
  if (current + request > m_.container_max / 8 * 7 || container_checks_++ % kSyncEvery == 0) {
    TRY(sync_processes(pid));
    std::tie(current, request) = container_figure(r);
    if (m_.container_max_from_cgroup) pinned = TRY(source_.cgroup_pinned()) + m_.container_max / kCgroupReserve;
    current += pinned;
  }
  if (current + request > m_.container_max) {
    for (auto& [other, q] : procs_) {
      if (other == pid) continue;  // read just now
      auto fresh = source_.statm(other);
      if (!fresh) continue;  // exited: the next listing drops it
      q.committed = fresh->committed;
      (void)reload_shared(other, q);
    }
    (void)reload_shared(pid, procs_[pid]);
    std::tie(current, request) = container_figure(r);
    current += pinned;
  }
  last_.container = current + request;
  if (current + request > m_.container_max)
    return std::optional<Breach>(Breach{"memory.container_max", m_.container_max, current, request});
  return std::optional<Breach>{};
}

Result<std::optional<Breach>> MemoryLedger::admit(pid_t tid, MemoryRequest& r) {
  last_ = {};
  // A heap that shrinks asks for nothing: no figure needs reading.
  if (auto group = tgid_.find(tid); r.brk && group != tgid_.end()) {
    auto it = procs_.find(group->second);
    if (it != procs_.end() && it->second.heap_epoch == epoch_ && page_up(*r.brk) <= page_up(it->second.heap_end))
      return std::optional<Breach>{};
  }
  prune();
  Process& p = *TRY(process_of(tid));
  pid_t pid = tgid_[tid];
  if (r.brk) {
    if (p.heap_epoch != epoch_) {
      p.heap_end = TRY(source_.heap_end(pid));
      p.heap_epoch = epoch_;
    }
    uint64_t want = page_up(*r.brk), have = page_up(p.heap_end);
    r.committed = r.virtual_size = want > have ? want - have : 0;
    if (!r.committed) return std::optional<Breach>{};  // a shrink
  }
  auto own_request = [&] { return r.object ? new_bytes_of(p.shared, *r.object) : r.committed; };
  if (m_.max) {
    uint64_t request = own_request(), current = p.committed + shared_bytes(p.shared);
    if (current + request > m_.max) {
      TRY(reload_shared(pid, p));
      request = own_request(), current = p.committed + shared_bytes(p.shared);
    }
    last_.process = current + request;
    if (current + request > m_.max) return std::optional<Breach>(Breach{"memory.max", m_.max, current, request});
  }
  if (m_.vm_max && p.size + r.virtual_size > m_.vm_max)
    return std::optional<Breach>(Breach{"memory.vm_max", m_.vm_max, p.size, r.virtual_size});
  if (m_.container_max) return check_container(pid, r);
  return std::optional<Breach>{};
}

void MemoryLedger::grant(pid_t tid, const MemoryRequest& r) {
  auto group = tgid_.find(tid);
  auto it = group == tgid_.end() ? procs_.end() : procs_.find(group->second);
  if (it == procs_.end()) return;
  Process& p = it->second;
  if (r.brk) p.heap_end = *r.brk;
  p.size += r.virtual_size;
  if (!r.object) {
    p.committed += r.committed;
    return;
  }
  SharedExtent e = *r.object;
  // A MAP_SHARED|MAP_ANONYMOUS map is an object of its own; its real name comes with the
  // next read of maps.
  if (e.dev == 0 && e.ino == 0) e.ino = std::numeric_limits<ino_t>::max() - next_anonymous_++;
  p.shared.push_back(e);
}

Status MemoryLedger::settle(pid_t tid) {
  if (!data_room_) return {};
  auto group = tgid_.find(tid);
  auto it = group == tgid_.end() ? procs_.end() : procs_.find(group->second);
  if (it == procs_.end()) return {};
  Process& p = it->second;
  uint64_t shared = shared_bytes(p.shared);
  uint64_t room = m_.max > shared ? m_.max - shared : 0;
  if (room == p.data_limit) return {};
  // Once, whether it works or not: a process the supervisor may not set limits for (it took
  // another uid) keeps what it inherited, and is not asked again at every call.
  p.data_limit = room;
  return source_.set_data_limit(tid, room);
}

uint64_t MemoryLedger::old_break(pid_t tid) const {
  auto group = tgid_.find(tid);
  auto it = group == tgid_.end() ? procs_.end() : procs_.find(group->second);
  return it == procs_.end() ? 0 : it->second.heap_end;
}

bool MemoryLedger::first_warning(pid_t tid, const std::string& limit) {
  auto group = tgid_.find(tid);
  auto& warned = procs_[group == tgid_.end() ? tid : group->second].warned;
  if (std::find(warned.begin(), warned.end(), limit) != warned.end()) return false;
  warned.push_back(limit);
  return true;
}

}  // namespace vigil::supervisor
