// The one way vigil reads JSON text: every file and flag that someone else wrote (config.json,
// --process, --resources, policies, state.json, audit lines) goes through parse_json, and
// the init request's CBOR through parse_cbor.
// Nesting is bounded before nlohmann sees the text: its parser is iterative, but copying,
// dumping and CBOR-encoding a value recurse once per level, and 100000 levels overflow the
// stack. Errors name the file and the place: "config.json: invalid JSON at line 3, column 7: …".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "runtime/base/error.hpp"

namespace vigil {

// Deeper documents are refused. The OCI spec's deepest value is 5 levels down; at 1024 a
// copy or dump of the whole value takes about 150 KiB of stack (measured: 10000 levels
// overflow a 1 MiB stack), so even a small stack limit or a sanitizer build has room.
inline constexpr size_t kMaxJsonDepth = 1024;

// `what` names the input in errors ("config.json", "--process FILE").
Result<nlohmann::json> parse_json(std::string_view text, const std::string& what);

// CBOR (the init request), with the same bound: nlohmann's CBOR reader recurses once per
// level as it reads, so the bound is kept while reading, not before.
Result<nlohmann::json> parse_cbor(std::string_view bytes, const std::string& what);

}  // namespace vigil
