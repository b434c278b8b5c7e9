// Path globs of policy rules: `*` any run of characters but `/`, `**` any run including `/`
// (`/usr/**` matches everything below /usr), `?` one character but `/`, `[...]` a class
// (`[!...]` or `[^...]` negated, ranges `a-z`, a leading `]` literal), `\` escapes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil::policy {

bool glob_match(std::string_view pattern, std::string_view path);
// Why `pattern` is not a valid glob (an unterminated class, a trailing `\`, not absolute), or nullopt.
std::optional<std::string> glob_error(std::string_view pattern);

}  // namespace vigil::policy
