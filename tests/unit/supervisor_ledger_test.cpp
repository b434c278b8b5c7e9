#include <gtest/gtest.h>

#include <map>
#include <set>

#include "runtime/supervisor/memory_ledger.hpp"
#include "runtime/supervisor/memory_source.hpp"
#include "runtime/supervisor/memory_watch.hpp"
#include "runtime/supervisor/proc_maps.hpp"

namespace vigil::supervisor {
namespace {

constexpr uint64_t MiB = 1 << 20;

// The kernel as the ledger sees it, and how often it was asked.
struct FakeSource : MemorySource {
  struct Task {
    pid_t tgid;
    Statm st;
    std::vector<SharedExtent> shared;
    uint64_t heap_end = 0;
  };
  std::map<pid_t, Task> tasks;
  std::set<pid_t> seen;
  int statm_reads = 0, shared_reads = 0, heap_reads = 0, listings = 0;

  Result<Statm> statm(pid_t tid) override {
    statm_reads++;
    auto it = tasks.find(tid);
    if (it == tasks.end()) return Error(ESRCH, "gone");
    Statm st = it->second.st;
    st.new_task = seen.insert(tid).second;
    return st;
  }
  Result<pid_t> tgid(pid_t tid) override { return tasks.at(tid).tgid; }
  Result<std::vector<SharedExtent>> shared(pid_t pid) override {
    shared_reads++;
    return tasks.at(pid).shared;
  }
  Result<uint64_t> heap_end(pid_t pid) override {
    heap_reads++;
    return tasks.at(pid).heap_end;
  }
  Result<std::vector<pid_t>> processes() override {
    listings++;
    std::vector<pid_t> out;
    for (const auto& [tid, t] : tasks)
      if (t.tgid == tid) out.push_back(tid);
    return out;
  }
  void forget(pid_t tid) override { seen.erase(tid); }
  uint64_t pinned = 0;
  Result<uint64_t> cgroup_pinned() override { return pinned; }
  std::vector<std::pair<pid_t, uint64_t>> data_limits;  // what set_data_limit was asked
  Status set_data_limit(pid_t tid, uint64_t bytes) override {
    data_limits.emplace_back(tid, bytes);
    return {};
  }
  void add(pid_t tid, uint64_t committed, pid_t tgid = 0) { tasks[tid] = {tgid ? tgid : tid, {committed * 4, committed, false}, {}, 0x1000000}; }
};

policy::MemoryPolicy limits(uint64_t max, uint64_t vm_max = 0, uint64_t container_max = 0) {
  policy::MemoryPolicy m;
  m.max = max, m.vm_max = vm_max, m.container_max = container_max;
  return m;
}

MemoryRequest committing(uint64_t bytes) { return {bytes, std::nullopt, bytes, std::nullopt}; }
MemoryRequest object(dev_t dev, ino_t ino, uint64_t begin, uint64_t end) {
  return {0, SharedExtent{dev, ino, begin, end}, end - begin, std::nullopt};
}
MemoryRequest brk_to(uint64_t addr) { return {0, std::nullopt, 0, addr}; }

TEST(SharedBytes, EachObjectsOverlapsCountOnce) {
  EXPECT_EQ(covered_bytes({{1, 1, 0, 10}, {1, 1, 5, 20}, {1, 1, 30, 40}}), 30u);
  EXPECT_EQ(shared_bytes({{1, 1, 0, 10}, {1, 2, 0, 10}, {1, 1, 0, 10}}), 20u);
  EXPECT_EQ(new_bytes_of({{1, 1, 0, 10}}, {1, 1, 5, 15}), 5u);
  EXPECT_EQ(new_bytes_of({{1, 1, 0, 10}}, {1, 2, 5, 15}), 10u);
}

TEST(MemoryLedger, MaxCountsPrivateAndSharedTogether) {
  FakeSource src;
  src.add(10, 40 * MiB);
  MemoryLedger ledger(limits(64 * MiB), src);
  auto r = object(7, 1, 0, 20 * MiB);
  auto b = ledger.admit(10, r);
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(*b);
  ledger.grant(10, r);
  src.tasks[10].shared = {*r.object};
  // 40 private + 20 shared: 5 more is over.
  auto more = committing(5 * MiB);
  b = ledger.admit(10, more);
  ASSERT_TRUE(b.ok() && *b);
  EXPECT_EQ((*b)->limit, "memory.max");
  EXPECT_EQ((*b)->current, 60 * MiB);
  EXPECT_EQ((*b)->request, 5 * MiB);
  // The same object mapped again adds nothing.
  auto again = object(7, 1, 0, 20 * MiB);
  b = ledger.admit(10, again);
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(*b);
}

TEST(MemoryLedger, BrksShareOfMaxIsWhatSharedMemoryLeaves) {
  FakeSource src;
  src.add(10, 10 * MiB);
  src.add(11, 1 * MiB, 10);  // a thread of 10
  MemoryLedger ledger(limits(64 * MiB), src, true);
  auto r = object(7, 1, 0, 16 * MiB);
  ASSERT_FALSE(*ledger.admit(11, r));
  ledger.grant(11, r);
  src.tasks[10].shared = {*r.object};
  ASSERT_TRUE(ledger.settle(11).ok());
  // Set through the calling thread; the same figure again asks nothing.
  ASSERT_TRUE(ledger.settle(10).ok());
  EXPECT_EQ(src.data_limits, (std::vector<std::pair<pid_t, uint64_t>>{{11, 48 * MiB}}));
  auto more = object(7, 2, 0, 8 * MiB);
  ASSERT_FALSE(*ledger.admit(10, more));
  ledger.grant(10, more);
  ASSERT_TRUE(ledger.settle(10).ok());
  EXPECT_EQ(src.data_limits.back(), (std::pair<pid_t, uint64_t>{10, 40 * MiB}));
  // Without data_room the kernel's limit is left as it is.
  FakeSource other;
  other.add(10, 10 * MiB);
  MemoryLedger plain(limits(64 * MiB), other);
  auto again = object(7, 1, 0, 16 * MiB);
  ASSERT_FALSE(*plain.admit(10, again));
  ASSERT_TRUE(plain.settle(10).ok());
  EXPECT_TRUE(other.data_limits.empty());
}

TEST(MemoryLedger, KeptFiguresAreReadAgainBeforeARefusal) {
  FakeSource src;
  src.add(10, 10 * MiB);
  MemoryLedger ledger(limits(64 * MiB), src);
  auto r = object(7, 1, 0, 40 * MiB);
  ASSERT_FALSE(*ledger.admit(10, r));
  ledger.grant(10, r);
  // The process unmapped it (the kernel's maps say so): 30 MiB more is fine.
  int reads = src.shared_reads;
  auto more = committing(30 * MiB);
  auto b = ledger.admit(10, more);
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(*b);
  EXPECT_EQ(src.shared_reads, reads + 1);
}

TEST(MemoryLedger, BrkAsksForTheGrowthOnlyAndShrinksCostNoRead) {
  FakeSource src;
  src.add(10, 10 * MiB);
  src.tasks[10].heap_end = 100 * MiB;
  MemoryLedger ledger(limits(64 * MiB), src);
  auto grow = brk_to(130 * MiB);
  ASSERT_FALSE(*ledger.admit(10, grow));
  EXPECT_EQ(grow.committed, 30 * MiB);
  ledger.grant(10, grow);
  int reads = src.statm_reads;
  auto shrink = brk_to(120 * MiB);
  ASSERT_FALSE(*ledger.admit(10, shrink));
  ledger.grant(10, shrink);
  EXPECT_EQ(src.statm_reads, reads);
  EXPECT_EQ(src.heap_reads, 1);
  auto over = brk_to(180 * MiB);
  auto b = ledger.admit(10, over);
  ASSERT_TRUE(b.ok() && *b);
  EXPECT_EQ((*b)->request, 60 * MiB);
  EXPECT_EQ(ledger.old_break(10), 120 * MiB);
  // An exec: the heap is read again.
  ledger.exec_seen();
  src.tasks[10].heap_end = 50 * MiB;
  auto fresh = brk_to(60 * MiB);
  ASSERT_FALSE(*ledger.admit(10, fresh));
  EXPECT_EQ(fresh.committed, 10 * MiB);
  EXPECT_EQ(src.heap_reads, 2);
}

TEST(MemoryLedger, ThreadsShareTheirProcesssFigures) {
  FakeSource src;
  src.add(10, 10 * MiB);
  src.add(11, 10 * MiB, 10);
  MemoryLedger ledger(limits(64 * MiB), src);
  auto r = object(7, 1, 0, 40 * MiB);
  ASSERT_FALSE(*ledger.admit(11, r));
  ledger.grant(11, r);
  src.tasks[10].shared = {*r.object};
  auto more = committing(20 * MiB);
  EXPECT_TRUE(*ledger.admit(10, more));
  EXPECT_EQ(ledger.tracked(), 1u);
}

TEST(MemoryLedger, VmMaxIsTheVirtualSizePlusTheRequest) {
  FakeSource src;
  src.add(10, 10 * MiB);  // 40 MiB of address space
  MemoryLedger ledger(limits(0, 64 * MiB), src);
  MemoryRequest reserve{0, std::nullopt, 24 * MiB, std::nullopt};
  EXPECT_FALSE(*ledger.admit(10, reserve));
  reserve.virtual_size = 25 * MiB;
  auto b = ledger.admit(10, reserve);
  ASSERT_TRUE(b.ok() && *b);
  EXPECT_EQ((*b)->limit, "memory.vm_max");
}

TEST(MemoryLedger, ContainerMaxAddsUpProcessesAndCountsSharedObjectsOnce) {
  FakeSource src;
  src.add(10, 30 * MiB);
  src.add(20, 30 * MiB);
  src.tasks[10].shared = src.tasks[20].shared = {{7, 1, 0, 20 * MiB}};
  MemoryLedger ledger(limits(0, 0, 100 * MiB), src);
  // 30 + 30 + 20 once = 80: 20 more fits, 21 does not.
  auto fits = committing(20 * MiB);
  EXPECT_FALSE(*ledger.admit(10, fits));
  auto over = committing(21 * MiB);
  auto b = ledger.admit(20, over);
  ASSERT_TRUE(b.ok() && *b);
  EXPECT_EQ((*b)->limit, "memory.container_max");
  EXPECT_EQ((*b)->current, 80 * MiB);
  // A forked child that never made a call is counted once the list is read again.
  src.add(30, 15 * MiB);
  auto small = committing(8 * MiB);
  b = ledger.admit(10, small);
  ASSERT_TRUE(b.ok() && *b);
  EXPECT_EQ((*b)->current, 95 * MiB);
}

TEST(MemoryLedger, FromTheCgroupTheKernelsPartCountsToo) {
  FakeSource src;
  src.add(10, 100 * MiB);
  src.pinned = 20 * MiB;
  auto m = limits(0, 0, 128 * MiB);
  auto r = committing(10 * MiB);
  MemoryLedger bytes(m, src);
  EXPECT_FALSE(*bytes.admit(10, r));
  m.container_max_from_cgroup = true;
  MemoryLedger cgroup(m, src);
  auto b = cgroup.admit(10, r);
  ASSERT_TRUE(b.ok() && *b);
  // And a reserve of 1/128 of the limit.
  EXPECT_EQ((*b)->current, 121 * MiB);
}

TEST(MemoryLedger, FarFromTheLimitTheProcessListIsNotReadEachCall) {
  FakeSource src;
  src.add(10, 10 * MiB);
  MemoryLedger ledger(limits(0, 0, 1024 * MiB), src);
  for (int i = 0; i < 10; i++) {
    auto r = committing(MiB);
    ASSERT_FALSE(*ledger.admit(10, r));
    ledger.grant(10, r);
  }
  EXPECT_EQ(src.listings, 1);
}

TEST(MemoryLedger, WarnsOncePerProcessAndLimit) {
  FakeSource src;
  src.add(10, MiB);
  src.add(20, MiB);
  MemoryLedger ledger(limits(MiB), src);
  auto r = committing(MiB);
  ASSERT_TRUE(*ledger.admit(10, r));
  EXPECT_TRUE(ledger.first_warning(10, "memory.max"));
  EXPECT_FALSE(ledger.first_warning(10, "memory.max"));
  EXPECT_TRUE(ledger.first_warning(10, "memory.vm_max"));
  ASSERT_TRUE(*ledger.admit(20, r));
  EXPECT_TRUE(ledger.first_warning(20, "memory.max"));
}

TEST(MemoryLedger, AGoneProcessIsAnError) {
  FakeSource src;
  MemoryLedger ledger(limits(MiB), src);
  auto r = committing(MiB);
  auto b = ledger.admit(99, r);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code(), ESRCH);
}

TEST(ProcText, StatmAndMapsAsTheLedgerReadsThem) {
  auto st = parse_statm("2500 300 200 10 0 1500 0\n", 4096);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->size, 2500u * 4096);
  EXPECT_EQ(st->committed, 1500u * 4096);
  EXPECT_FALSE(parse_statm("garbage", 4096).ok());
  auto maps = parse_maps(
      "55d0-55e0 r--p 00000000 08:01 1234 /bin/x\n"
      "55e0-56e0 rw-p 00000000 00:00 0 [heap]\n"
      "7f00-7f10 rw-s 00002000 00:01 42 /memfd:a (deleted)\n");
  ASSERT_EQ(maps.size(), 3u);
  EXPECT_TRUE(maps[1].heap);
  EXPECT_FALSE(maps[1].shared);
  EXPECT_TRUE(maps[2].shared);
  EXPECT_EQ(maps[2].offset, 0x2000u);
  EXPECT_EQ(maps[2].inode, 42u);
}

TEST(MemoryWatch, WhatTheSupervisorMustSee) {
  policy::MemoryPolicy m = limits(64 * MiB, 1024 * MiB);
  auto w = memory_watch(m, false);
  EXPECT_TRUE(w.committed);
  EXPECT_FALSE(w.virtual_);  // RLIMIT_AS refuses by itself
  EXPECT_TRUE(w.brk);
  EXPECT_FALSE(w.data_room);
  // brk is RLIMIT_DATA's where the supervisor can set every process's soft limit.
  w = memory_watch(m, true);
  EXPECT_TRUE(w.committed);
  EXPECT_FALSE(w.brk);
  EXPECT_TRUE(w.data_room);
  // A container's figure adds up every brk; warn and kill must see each call.
  EXPECT_TRUE(memory_watch(limits(64 * MiB, 0, 128 * MiB), true).brk);
  m.action = policy::Action::kill;
  EXPECT_TRUE(memory_watch(m, true).virtual_);
  EXPECT_TRUE(memory_watch(m, true).brk);
  EXPECT_FALSE(memory_watch(m, true).data_room);
  EXPECT_FALSE(memory_watch(limits(0, 1024 * MiB), true).any());
  EXPECT_FALSE(memory_watch(limits(0, 1024 * MiB), true).brk);
  EXPECT_TRUE(memory_watch(limits(0, 0, MiB), true).committed);
}

TEST(MemoryWatch, ContainerMaxFromTheCgroupLimit) {
  policy::MemoryPolicy m;
  m.container_max_from_cgroup = true;
  auto r = resolve_container_max(m, nlohmann::json::parse(R"({"memory": {"limit": 134217728}})"));
  EXPECT_EQ(r.container_max, 134217728u);
  EXPECT_TRUE(r.container_max_from_cgroup);
  EXPECT_EQ(resolve_container_max(m, nlohmann::json::parse(R"({"memory": {"limit": -1}})")).container_max, 0u);
  EXPECT_EQ(resolve_container_max(m, nlohmann::json()).container_max, 0u);
}

}  // namespace
}  // namespace vigil::supervisor

namespace vigil::supervisor {
namespace {

TEST(CgroupPinned, TheKernelsMemoryAndMappedFilesOfV1AndV2) {
  auto v1 = parse_cgroup_pinned("cache 100\nmapped_file 7\ntotal_mapped_file 4096\ntotal_rss 9999\n", "8192\n");
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(*v1, 8192u + 4096u);
  auto v2 = parse_cgroup_pinned("anon 5000\nfile 900\nkernel 3000\nkernel_stack 16\nfile_mapped 200\n", "");
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(*v2, 3200u);
  auto old = parse_cgroup_pinned("kernel_stack 16\npagetables 32\nslab_unreclaimable 64\nslab_reclaimable 1000\n", "");
  EXPECT_EQ(*old, 112u);
  EXPECT_FALSE(parse_cgroup_pinned("", "garbage").ok());
}

}  // namespace
}  // namespace vigil::supervisor
