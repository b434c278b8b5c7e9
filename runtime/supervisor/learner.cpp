#include "runtime/supervisor/learner.hpp"

#include <elf.h>

namespace vigil::supervisor {
namespace {

nlohmann::json elf_facts(const verify::ElfInfo& e) {
  return {{"elf32", e.elf32},         {"pie", e.pie()},         {"static", !e.has_interp},
          {"ldso", e.type == ET_DYN && e.has_soname},          {"execstack", e.exec_stack},
          {"wx", e.wx_segment}};
}

}  // namespace

bool Learner::room(pid_t pid, const std::string& syscall) {
  if (files_.size() + paths_.size() + warnings_.size() < kMaxRemembered) return true;
  if (!full_)
    audit_.record({pid, syscall, "", "learn", "learn",
                   "too many files to remember: what is new from here on is not recorded",
                   {{"kind", "incomplete"}}});
  full_ = true;
  return false;
}

void Learner::executed(pid_t pid, const std::string& syscall, const verify::OpenFile& f, verify::Role role,
                       const verify::Facts& facts, verify::FactsCache& cache, std::optional<uint32_t> dir_uid) {
  const bool program = role == verify::Role::program;
  std::lock_guard lock(mu_);
  auto key = std::make_tuple(f.path, int(role), f.st.st_dev, f.st.st_ino, int64_t(f.st.st_mtim.tv_sec),
                             int64_t(f.st.st_mtim.tv_nsec));
  if (files_.count(key) || !room(pid, syscall)) return;
  files_.insert(key);
  nlohmann::json l = {{"kind", "exec"}, {"role", program ? "program" : "library"}, {"fileless", f.fileless}};
  if (facts.elf.is_elf) l["elf"] = elf_facts(facts.elf);
  else if (facts.shebang) l["interpreter"] = facts.shebang->interpreter;
  if (!f.fileless) {
    if (auto d = cache.digest([&] { return f.readable(); }, f.st, verify::DigestAlgo::sha256)) l["digest"] = "sha256:" + *d;
    if (f.dir) {
      l["dir_uid"] = dir_uid ? nlohmann::json(*dir_uid) : nlohmann::json(nullptr);
      l["dir_mode"] = f.dir->st_mode & 07777;
    }
  }
  audit_.record({pid, syscall, f.path, "learn", "learn", program ? "program" : "library", std::move(l)});
}

void Learner::wx_map(pid_t pid, const std::string& syscall) {
  std::lock_guard lock(mu_);
  if (wx_seen_) return;
  wx_seen_ = true;
  audit_.record({pid, syscall, "PROT_WRITE|PROT_EXEC", "learn", "learn", "writable and executable memory", {{"kind", "wx"}}});
}

void Learner::touched(pid_t pid, const std::string& syscall, const std::string& path, policy::AccessSet accesses) {
  std::lock_guard lock(mu_);
  auto it = paths_.find(path);
  policy::AccessSet fresh = accesses & ~(it == paths_.end() ? 0 : it->second);
  if (!fresh || (it == paths_.end() && !room(pid, syscall))) return;
  paths_[path] |= fresh;
  nlohmann::json names = nlohmann::json::array();
  for (size_t i = 0; i < policy::kAccessCount; i++)
    if (fresh & policy::bit(policy::Access(i))) names.push_back(policy::access_name(policy::Access(i)));
  audit_.record({pid, syscall, path, "learn", "learn", policy::access_names(fresh), {{"kind", "path"}, {"access", names}}});
}

bool Learner::first_warning(const std::string& rule, const std::string& subject) {
  std::lock_guard lock(mu_);
  auto key = std::make_pair(rule, subject);
  if (warnings_.count(key) || !room(0, "")) return false;
  warnings_.insert(std::move(key));
  return true;
}

void Learner::write_peak(pid_t pid, const std::string& syscall, const char* scope, Peak& p) {
  p.written = p.seen;
  audit_.record({pid, syscall, scope, "learn", "learn", std::to_string(p.seen) + " bytes committed",
                 {{"kind", "memory"}, {"scope", scope}, {"bytes", p.seen}}});
}

void Learner::committed(pid_t pid, const std::string& syscall, uint64_t process, uint64_t container) {
  std::lock_guard lock(mu_);
  // A line each time a peak grows by an eighth (and a MiB): few lines, and the last one
  // near the peak should the supervisor not see the end.
  constexpr uint64_t kMiB = 1 << 20;
  for (auto [figure, scope, peak] : {std::tuple{process, "process", &process_}, {container, "container", &container_}}) {
    if (figure <= peak->seen) continue;
    peak->seen = figure;
    if (figure > peak->written + std::max(peak->written / 8, kMiB)) write_peak(pid, syscall, scope, *peak);
  }
}

void Learner::finish() {
  std::lock_guard lock(mu_);
  for (auto [scope, peak] : {std::pair{"process", &process_}, {"container", &container_}})
    if (peak->seen > peak->written) write_peak(0, "exit", scope, *peak);
}

}  // namespace vigil::supervisor
