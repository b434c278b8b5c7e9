// What the supervisor's path judgements share (open_notice.cpp, remove_notice.cpp,
// make_notice.cpp, rename_notice.cpp, change_notice.cpp): the process it acts for, gathered
// and proven while the process waits in its syscall; the judging thread in its root, acting
// as it; the files and entries its paths name; and the rules' word on a path and a file.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>

#include <optional>
#include <string>

#include "runtime/base/unique_fd.hpp"
#include "runtime/supervisor/act_as.hpp"
#include "runtime/supervisor/in_root.hpp"
#include "runtime/supervisor/judge.hpp"
#include "runtime/supervisor/path_walk.hpp"

namespace vigil::supervisor {

struct Process {
  RootId root;
  unique_fd base;  // its cwd or the call's dirfd, for a relative path
  Identity identity;
  std::string tgid, tid;  // as the container's /proc names them
  bool protected_symlinks = true;
  WalkFrom from() const { return from(base); }
  WalkFrom from(const unique_fd& b) const { return {b ? b.get() : AT_FDCWD, tgid, tid, protected_symlinks, {}}; }
};

// The process of `who`, and the path at `path_addr` (from `dirfd`) of its call; nullopt
// when it cannot be had (then answered as the kernel would have failed the call).
std::optional<Process> gather(const JudgeContext& c, const Notified& who, int dirfd, uint64_t path_addr, std::string& path);
// The process of `who`, for a call on its fd `fd`: that fd, duplicated, is its `base`.
std::optional<Process> gather_fd(const JudgeContext& c, const Notified& who, int fd);
// A second path of the call (link, rename) and where it starts, into `base` when relative:
// `p.from(base)` walks it.
bool read_path(const Notified& who, int dirfd, uint64_t path_addr, std::string& path, unique_fd& base);
// The name at `addr` (a path, a symlink's target) as the kernel reads one: at most PATH_MAX,
// not empty. False when answered.
bool read_name(const Notified& who, uint64_t addr, std::string& name);
// The process's `dirfd` (its cwd for AT_FDCWD), into `base`. False when answered.
bool take_dirfd(const Notified& who, int dirfd, unique_fd& base);

// The judging thread in the process's root, acting as the process.
struct Acting {
  InRoot in;
  ActingAs as;
  const PathsJudge* pj = nullptr;
  // In a user-namespaced container, its capabilities hold over the files the namespace maps
  // only: the thread takes them call by call.
  bool varies = false;
  // The process's capabilities for the calls ahead when the files `fds` (ours) and `files`
  // are all mapped in its user namespace, none otherwise; false when that cannot be done.
  bool over(std::initializer_list<int> fds, std::initializer_list<const struct stat*> files = {});
  // `from`, taking them so for each directory a component walk searches.
  WalkFrom walking(WalkFrom from);
};
std::optional<Acting> act_for(const JudgeContext& c, const Notified& who, const Process& p);

// What a path names: an O_PATH fd of it (a symlink itself when not followed), its path as the
// container sees it, and what it is.
struct Located {
  unique_fd fd;
  std::string judged;
  struct stat st;
};
std::optional<Located> locate_file(const Notified& who, Acting& acting, const WalkFrom& from, const std::string& path,
                                   bool follow);
// The file of `fd` (one taken from the process: gather_fd), a duplicate of it as `fd`.
std::optional<Located> locate_fd(const Notified& who, const InRoot& in, const unique_fd& fd);

// A call on one file: the process, acting as it, and the file its path at `path_addr` (from
// `fd`) names, or with no path (0) the file of the fd itself.
struct OnFile {
  Process p;
  Acting acting;
  Located f;
};
std::optional<OnFile> on_file(const JudgeContext& c, const Notified& who, int fd, uint64_t path_addr, bool follow);
// Whether the path at `path_addr` is "" (the call then is on its fd, with AT_EMPTY_PATH).
bool empty_path(const Notified& who, uint64_t path_addr);

// An entry a path names in its directory (trailing slashes dropped): the directory (an
// O_PATH fd, symlinks on the way there followed), the entry's name in it and its path as the
// container sees it, and the file it is, not followed, when there is one.
struct Entry {
  unique_fd dir;
  std::string name, judged;
  std::optional<struct stat> st;
};
std::optional<Entry> locate_entry(const Notified& who, Acting& acting, const WalkFrom& from, const std::string& path);

struct Word {
  policy::Action action = policy::Action::allow;
  std::string rule;
  std::string detail;
  policy::AccessSet accesses = 0;  // what was asked
};

// The strictest word of the rules on `path` (the file `st`, if it exists, by its identity
// too) for `accesses`.
Word decide(const PathsJudge& pj, const std::string& path, const struct stat* st, policy::AccessSet accesses);

// Audits a word that is not allow; answers one that refuses (EACCES; kill: SIGKILL too)
// and returns true then.
bool refused(const JudgeContext& c, const Notified& who, const std::string& syscall, const std::string& path, Word w);
// The same for access `a` of the file `f`; an fd of nothing in the tree (a pipe, a socket,
// an anonymous inode) no rule can name, and is never refused.
bool refused(const JudgeContext& c, const Notified& who, const std::string& syscall, const Located& f, policy::Access a);

}  // namespace vigil::supervisor
