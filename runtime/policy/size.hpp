// Memory sizes as a policy writes them: a byte count, or a number with K, M, G or T (powers of 1024).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::policy {

// "256M" → 268435456; "0" → 0. nullopt for anything else, and for sizes past 2^63.
std::optional<uint64_t> parse_size(std::string_view text);
// The shortest way to write `bytes`: "256M" rather than "268435456", "1536K", "100".
std::string size_text(uint64_t bytes);

}  // namespace vigil::policy
