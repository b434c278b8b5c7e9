// What the paths section's judgements need: the section, which accesses are the
// supervisor's (the rest Landlock holds, or nothing needs holding: paths_plan.hpp), the files
// its refusing rules name, known by identity, the opens that may block, and the status files
// of the processes judged.
#pragma once

#include <sys/stat.h>

#include <map>
#include <optional>
#include <utility>

#include "runtime/policy/paths_policy.hpp"
#include "runtime/supervisor/blocking_opens.hpp"
#include "runtime/supervisor/status_files.hpp"
#include "runtime/supervisor/tracee_files.hpp"

namespace vigil::supervisor {

class PathsJudge {
 public:
  PathsJudge(policy::PathsPolicy p, policy::AccessSet judged) : policy_(std::move(p)), judged_(judged) {}

  const policy::PathsPolicy& policy() const { return policy_; }
  policy::AccessSet judged() const { return judged_; }
  BlockingOpens& blocking() { return blocking_; }
  StatusFiles& status_files() { return status_files_; }

  // What is learned from the first process judged (`pid`, proven): the files
  // the refusing rules without a wildcard name, by identity (a hard link, a bind mount or a
  // rename of one is still that file; a rule whose file does not exist then holds by its name
  // alone), and whether the container is in the host's user namespace.
  void learn(pid_t pid);
  bool host_userns() const { return host_userns_; }
  // Whether the container's user namespace maps the file's owner and group: where its
  // processes' capabilities hold (always, in the host's).
  bool maps(const struct stat& st) const;
  // Whether process `pid` is in the container's user namespace, not one made below it.
  bool in_container_userns(pid_t pid) const;
  // The host's fs.protected_symlinks (not namespaced: the container's too).
  bool protected_symlinks() const { return protected_symlinks_; }
  // How deep the container's pid namespace is (its init's NSpid has this many pids): a
  // process's pid as the container's /proc names it is the pid at that depth of its NSpid,
  // also when it made a pid namespace of its own below.
  void set_pid_depth(size_t depth) { pid_depth_ = depth; }
  size_t pid_depth() const { return pid_depth_; }
  // The refusing rule naming the file `st` for access `a` by its identity, if any.
  std::optional<policy::PathsPolicy::Match> by_identity(const struct stat& st, policy::Access a) const;

 private:
  policy::PathsPolicy policy_;
  policy::AccessSet judged_;
  bool learned_ = false;
  bool host_userns_ = true;
  UidMap uids_, gids_;         // the container's user namespace, when it has one
  dev_t userns_dev_ = 0;
  ino_t userns_ino_ = 0;
  bool protected_symlinks_ = true;
  size_t pid_depth_ = 1;
  std::map<std::pair<dev_t, ino_t>, size_t> identities_;  // → index of the rule
  BlockingOpens blocking_;
  StatusFiles status_files_;
};

}  // namespace vigil::supervisor
