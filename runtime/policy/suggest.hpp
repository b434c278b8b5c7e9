// `vigil policy suggest`: from what a learn-mode run saw (learned.hpp), a policy that would
// have let that run through and little more (docs/POLICY.md, "Learning"): exec rules grouped
// by directory and tree, the strictest ELF switches the run allows, trusted path execution
// where every file came from a trusted directory, optional checksums, memory limits at the
// peaks times a margin, and path rules that Landlock can hold. Pure: what it needs to know of
// the container's files comes through the options.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/landlock/landlock.hpp"

#include "runtime/policy/learned.hpp"

namespace vigil::policy {

struct SuggestOptions {
  double margin = 1.5;     // memory limits: the peak times this
  bool checksums = false;  // list each file's digest, and refuse the files not listed
  // How many executable regular files the container's directory DIR holds; nullopt when
  // unknown (no rootfs at hand).
  std::function<std::optional<size_t>(const std::string& dir)> programs_in;
  // Whether PATH exists in the container's rootfs as it is before a run; nullopt when unknown.
  std::function<std::optional<bool>(const std::string& path)> exists;
  // The Landlock ABI of the kernel the policy is for: below kIoctlDevAbi nothing here can
  // refuse ioctl. By default, one that can.
  int landlock_abi = landlock::kIoctlDevAbi;
};

struct Suggestion {
  nlohmann::json policy;
  std::vector<std::string> notes;  // what the reader should know: files that changed, …
};

Suggestion suggest_policy(const Observations& seen, const SuggestOptions& options);

// `text` as a glob that matches exactly it: `*?[\` escaped.
std::string glob_literal(std::string_view text);
// Whether a path component looks made up at run time: a number (a pid), or a mktemp name
// ("tmp.Xa81Qz": after a dot, six or more letters and digits with a capital among them).
bool generated_name(std::string_view component);

}  // namespace vigil::policy
