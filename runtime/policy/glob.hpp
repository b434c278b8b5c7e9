// Path globs of policy rules: `*` any run of characters but `/`, `**` any run including `/`
// (`/usr/**` matches everything below /usr), `?` one character but `/`, `[...]` a class
// (`[!...]` or `[^...]` negated, ranges `a-z`, a leading `]` literal), `\` escapes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::policy {

// A pattern compiled once, matched against many paths (a rule, at every exec).
class Glob {
 public:
  // An invalid pattern (glob_error says why) matches nothing.
  explicit Glob(std::string_view pattern);
  bool matches(std::string_view path) const;

  struct Token {
    enum Kind {
      literal,
      one,       // ?
      set,       // [...]
      star,      // *
      globstar,  // **
      // Before the `**` and `/` of a `**/` starting a segment: `/a/**/b` matches /a/b too.
      skippable,
    } kind;
    char c = 0;  // a literal's
    bool negated = false;
    std::vector<std::pair<unsigned char, unsigned char>> ranges;  // a set's

    Token(Kind k, char ch = 0) : kind(k), c(ch) {}
  };

 private:
  std::optional<std::vector<Token>> tokens_;
};

bool glob_match(std::string_view pattern, std::string_view path);
// Why `pattern` is not a valid glob (an unterminated class, a trailing `\`, not absolute), or nullopt.
std::optional<std::string> glob_error(std::string_view pattern);

}  // namespace vigil::policy
