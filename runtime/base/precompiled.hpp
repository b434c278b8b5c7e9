// The headers that most translation units parse, compiled once for the sanitized build (the
// Makefile's -include-pch): nlohmann/json alone is about 3 s of parsing in each of 90 files,
// and Boost.Program_options 2 s in each command. Nothing may depend on being included this
// way: every file still includes what it uses.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

