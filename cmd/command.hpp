// The CLI: global flags, then one verb. Each verb lives in cmd/VERB.cpp, parses its flags,
// calls one function of runtime/, and returns the exit code.
#pragma once

#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "runtime/container/container.hpp"
#include "runtime/policy/sources.hpp"

namespace vigil::cmd {

namespace po = boost::program_options;

struct GlobalOptions {
  std::string root = "/run/vigil";
  std::string log;
  std::string log_format = "text";
  bool debug = false;
  bool systemd_cgroup = false;
  std::string rootless = "auto";
  policy::Sources policy;  // --policy FILE, --policy-dir DIR
};

using Args = std::vector<std::string>;
using Handler = int (*)(const GlobalOptions&, const Args&);

struct Verb {
  const char* name;
  const char* usage;  // "create [flags] ID"
  Handler run;  // nullptr: not implemented yet
};

// Parses a verb's arguments: `options` plus the named positionals in order (the last may
// repeat when `rest` is true). Throws po::error with a message fit for the user.
po::variables_map parse(const Args& args, const po::options_description& options,
                        const std::vector<std::string>& positionals, bool rest = false);
// The required positional `name`, or a po::error naming it.
std::string required(const po::variables_map& vm, const std::string& name);

int create(const GlobalOptions&, const Args&);
int start(const GlobalOptions&, const Args&);
int run(const GlobalOptions&, const Args&);
int state(const GlobalOptions&, const Args&);
int kill(const GlobalOptions&, const Args&);
int delete_(const GlobalOptions&, const Args&);
int list(const GlobalOptions&, const Args&);
int spec(const GlobalOptions&, const Args&);
int ps(const GlobalOptions&, const Args&);
int pause(const GlobalOptions&, const Args&);
int resume(const GlobalOptions&, const Args&);
int events(const GlobalOptions&, const Args&);
int update(const GlobalOptions&, const Args&);
int features(const GlobalOptions&, const Args&);
int exec(const GlobalOptions&, const Args&);
int policy(const GlobalOptions&, const Args&);

// Flags shared by create and run, and what they say.
po::options_description create_flags();
CreateOptions create_options(const GlobalOptions& g, const po::variables_map& vm);

// Prints the error the runc way (one line on stderr, JSON in --log) and returns 1.
int fail(const std::string& message);

}  // namespace vigil::cmd
