// `vigil features`: runtime-spec features.md, describing what this build really implements.
#pragma once

#include <nlohmann/json.hpp>

namespace vigil {

nlohmann::json runtime_features();

}  // namespace vigil
