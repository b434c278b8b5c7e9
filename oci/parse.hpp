// config.json → validated oci::Spec. Every error names the file and the JSON path:
// "config.json: linux.uidMappings[0].size must be > 0"; invalid JSON names line and column.
#pragma once

#include <string>
#include <vector>

#include "oci/spec.hpp"
#include "runtime/base/error.hpp"

namespace vigil::oci {

// Parses and validates the text of a config.json. `file` is the name used in messages.
// Warnings (unknown capabilities, relative mount destinations) are appended to `warnings`.
Result<Spec> parse_spec(const std::string& text, const std::string& file = "config.json",
                        std::vector<std::string>* warnings = nullptr);

// The hooks object of a config.json create already validated (kept in state.json for start
// and delete); null gives no hooks.
Result<Hooks> parse_hooks(const nlohmann::json& hooks);

// Reads and parses <bundle>/config.json.
Result<Spec> load_spec(const std::string& bundle_dir, std::vector<std::string>* warnings = nullptr);

}  // namespace vigil::oci
